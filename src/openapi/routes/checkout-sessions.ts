/** src/routes/checkout-sessions.ts as OpenAPI: the merchant's session routes. */
import { CreateCheckoutSession, ListCheckoutSessions } from "../../schemas.js";
import type { Operation } from "../operation.js";
import { describeFields } from "../registry.js";
import { CheckoutSessionList, JournalList, SessionAnswer } from "../session.responses.js";
import { SAMPLE } from "./samples.js";

describeFields(CreateCheckoutSession, {
  amount:
    "Minor units (ISO 4217 exponent: 1050 is €10.50). May be left out when `line_items` are given: it is then their total, and when both are given they must agree.",
  currency: "ISO 4217 code, any case (answered upper case).",
  url: "The merchant's own checkout page (semi-hosted): `checkout_session.url` is then this page, and the payer reaches it as `<url>?token=<token>`. Left out: our hosted page.",
  return_url:
    "Where the payer goes when the session is paid (and after a final failure or leaving, when there is no `cancel_url`). `{CHECKOUT_SESSION_ID}` is filled in, else `session_id` is added.",
  cancel_url: "Where the payer goes on leaving without paying.",
  expires_in: "Seconds until the session expires unpaid.",
  metadata: "Your own keys and values; in every view and webhook.",
  customer:
    "What you know of the payer: a `required` name or email it gives need not be asked again.",
  line_items: "What the payer buys; shown on the page.",
  capture_method: "`manual`: a successful card payment stops at `AUTHORIZED` until you capture it.",
  secure_mode: "Always ask for 3-D Secure.",
  custom_fields: "Up to 5 questions the page asks (`optional: false` ones must be answered).",
  payer_fields:
    "Which payer details the page asks for: `required`, `optional` or `hidden` (name and email are `required` by default).",
  locale:
    "The payer pages' language: `auto` (the default: the browser's `Accept-Language`, best match, else English), or `en`, `tr`, `de`, `fr`, `es`, also with a region (`tr-TR`, `de-CH`), which also sets how amounts and dates are written.",
});

describeFields(ListCheckoutSessions, {
  status: "Only sessions in this status.",
  created_gte: "Created at or after: ISO 8601 or epoch milliseconds.",
  created_lte: "Created at or before: ISO 8601 or epoch milliseconds.",
  limit: "Page size.",
  cursor: "`next_cursor` of the previous page.",
});

const sessionId = {
  name: "id",
  description: "The checkout session id, `cs_…`.",
  example: SAMPLE.sessionId,
};

export const checkoutSessionOperations: Operation[] = [
  {
    id: "createCheckoutSession",
    method: "post",
    path: "/v1/checkout-sessions",
    tag: "Checkout sessions",
    summary: "Create a checkout session",
    description:
      "Creates a session and its payer token. Send the payer to `<checkout_session.url>?token=<checkout_session.token>`.\n\nWith an `Idempotency-Key`, a retry with the same body answers the same session (201 again); another body with the same key is a 422 `idempotency_key_reused`.",
    access: "secretKey",
    headers: [
      {
        name: "Idempotency-Key",
        description: "1-255 visible ASCII characters: retries with it create one session.",
        required: false,
        example: "order-123-attempt-1",
      },
    ],
    body: {
      schema: CreateCheckoutSession,
      id: "CreateCheckoutSessionRequest",
      example: {
        amount: 12500,
        currency: "TRY",
        url: "https://pay.merchant.example/checkout",
        return_url: "https://merchant.example/return",
        metadata: { order_id: "ord_123" },
      },
    },
    replies: [
      {
        status: 201,
        description: "The session, with its `token` and `url`.",
        schema: SessionAnswer,
      },
    ],
    errors: ["invalid_idempotency_key", "redirect_url_not_allowed", "idempotency_key_reused"],
  },
  {
    id: "listCheckoutSessions",
    method: "get",
    path: "/v1/checkout-sessions",
    tag: "Checkout sessions",
    summary: "List checkout sessions",
    description:
      "The merchant's sessions, newest first, each as a retrieve shows it. The list trails the sessions by about a second (it is a projection; a retrieve is always current).",
    access: "secretKey",
    query: ListCheckoutSessions,
    replies: [{ status: 200, description: "A page of sessions.", schema: CheckoutSessionList }],
    errors: ["invalid_cursor"],
  },
  {
    id: "retrieveCheckoutSession",
    method: "get",
    path: "/v1/checkout-sessions/{id}",
    tag: "Checkout sessions",
    summary: "Retrieve a checkout session",
    description:
      "The session as it is now, with its payment and charges. Use it on your return page to check the outcome; fulfil on the `checkout_session.completed` webhook.",
    access: "secretKey",
    pathParams: [sessionId],
    replies: [{ status: 200, description: "The session.", schema: SessionAnswer }],
    errors: ["not_found"],
  },
  {
    id: "listCheckoutSessionJournal",
    method: "get",
    path: "/v1/checkout-sessions/{id}/journal",
    tag: "Checkout sessions",
    summary: "Read a session's journal",
    description:
      "Every event the session's machine accepted, in order, with its cause, the request that caused it and the state it led to.",
    access: "secretKey",
    pathParams: [sessionId],
    replies: [{ status: 200, description: "The journal.", schema: JournalList }],
    errors: ["not_found"],
  },
  {
    id: "cancelCheckoutSession",
    method: "post",
    path: "/v1/checkout-sessions/{id}/cancel",
    tag: "Checkout sessions",
    summary: "Cancel a checkout session",
    description:
      "Cancels an open session (`closed_reason: merchant_cancelled`); its token stops working. Sends `checkout_session.cancelled`.",
    access: "secretKey",
    pathParams: [sessionId],
    replies: [{ status: 200, description: "The cancelled session.", schema: SessionAnswer }],
    errors: [
      "not_found",
      "payment_in_progress",
      "session_cancelled",
      "session_completed",
      "session_failed",
      "session_expired",
    ],
  },
];
