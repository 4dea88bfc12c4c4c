/**
 * src/routes/ops.ts, ops-session.ts and ops-webhooks.ts as OpenAPI: the operator's screen. Pages
 * and POST forms only; every refusal is a page with its 4xx status, never problem+json. Its forms
 * are read field by field, so their schemas here are written from the handlers.
 */
import * as z from "zod";
import { WebhookEventType } from "../../../machines/index.js";
import { SessionFilters } from "../../pages/ops/form.js";
import type { Operation, PathParam, Reply } from "../operation.js";
import { describeFields } from "../registry.js";
import { SAMPLE, SANDBOX_SECRET_KEY } from "./samples.js";

describeFields(SessionFilters, {
  status: "Only sessions in this status.",
  from: "Created on or after this day (YYYY-MM-DD, UTC).",
  to: "Created on or before this day.",
  amount_min: "At least this amount (minor units).",
  amount_max: "At most this amount (minor units).",
  currency: "ISO 4217.",
  q: "A session, payment, charge or event id (opens it), a StableMint `sessionId`, or text to search.",
  after: "The next page's cursor.",
  before: "The previous page's cursor.",
});

const FORM = "application/x-www-form-urlencoded" as const;
const csrf = z.string().describe("The page's CSRF token (bound to the ops session).");
const Csrf = z.object({ csrf });

const page = (status: number, description: string): Reply => ({
  status,
  description,
  mediaType: "text/html",
});
const REFUSED: Reply = {
  status: "4XX",
  description: "A refusal, as a page with its status (400, 403, 404, 409, 413, 415, 422, 429).",
  mediaType: "text/html",
};
const UNAVAILABLE = page(503, "Our database did not answer (a page, with `Retry-After`).");
const TO_SIGN_IN: Reply = {
  status: 303,
  description: "No ops session: to `/ops/sign-in?next=…`, and back here after.",
  headers: { location: "`/ops/sign-in?next=<this page>`" },
};
const DONE: Reply = {
  status: 303,
  description: "Done: back to the page, with a notice.",
  headers: { location: "The page, with `?done=…`." },
};
const SIGNED_OUT = page(401, "The ops session has ended: the sign-in page.");

const id = (description: string, example: string): PathParam => ({
  name: "id",
  description,
  example,
});
const sessionId = id("The checkout session id, `cs_…`.", SAMPLE.sessionId);
const endpointId = id("The webhook endpoint id, `we_…`.", SAMPLE.endpointId);

const screen = (
  op: Pick<Operation, "id" | "method" | "path" | "summary" | "description"> & Partial<Operation>,
): Operation => ({
  tag: "Ops screen",
  access: op.method === "get" ? "opsPage" : "opsForm",
  replies: [],
  errors: [],
  ...op,
});

const post = (
  opId: string,
  path: string,
  summary: string,
  description: string,
  schema: z.ZodObject,
  example: Record<string, unknown>,
  pathParams: PathParam[] = [],
): Operation =>
  screen({
    id: opId,
    method: "post",
    path,
    summary,
    description,
    pathParams,
    body: { schema, id: `${opId[0]?.toUpperCase()}${opId.slice(1)}Form`, mediaType: FORM, example },
    replies: [DONE, SIGNED_OUT, REFUSED, UNAVAILABLE],
  });

export const opsOperations: Operation[] = [
  screen({
    id: "opsHome",
    method: "get",
    path: "/ops",
    summary: "The ops screen",
    description: "To the session list.",
    access: "public",
    replies: [
      { status: 303, description: "To `/ops/sessions`.", headers: { location: "`/ops/sessions`" } },
    ],
  }),
  screen({
    id: "opsSignInPage",
    method: "get",
    path: "/ops/sign-in",
    summary: "Sign in (page)",
    description: "The sign-in form; already signed in, on to `next`.",
    access: "public",
    queryParams: [
      {
        name: "next",
        description: "Where to go after, a path under `/ops`.",
        example: "/ops/sessions",
      },
    ],
    replies: [page(200, "The form."), DONE, UNAVAILABLE],
  }),
  screen({
    id: "opsSignIn",
    method: "post",
    path: "/ops/sign-in",
    summary: "Sign in",
    description:
      "A merchant's secret key, typed once, is traded for the `ec_ops` cookie (HttpOnly, SameSite=Strict, `Path=/ops`, 8 hours); the cookie holds neither the key nor its hash.",
    access: "public",
    body: {
      schema: z.object({
        secret_key: z.string().describe("The merchant's secret key."),
        next: z.string().optional().describe("Where to go after, a path under `/ops`."),
      }),
      id: "OpsSignInForm",
      mediaType: FORM,
      example: { secret_key: SANDBOX_SECRET_KEY, next: "/ops/sessions" },
    },
    replies: [
      {
        status: 303,
        description: "Signed in: on to `next`, with the cookie.",
        headers: {
          location: "`next`",
          "set-cookie": "`ec_ops=…; HttpOnly; SameSite=Strict; Path=/ops`",
        },
      },
      page(401, "The key is not valid: the form again."),
      page(429, "Too many attempts: the form again, with `Retry-After`."),
      REFUSED,
      UNAVAILABLE,
    ],
  }),
  post("opsSignOut", "/ops/sign-out", "Sign out", "The cookie is cleared.", Csrf, { csrf: "…" }),
  screen({
    id: "opsSessions",
    method: "get",
    path: "/ops/sessions",
    summary: "Sessions",
    description:
      "Every session of the merchant with its state, newest first: filters, search by id or text, keyset pages. An id in `q` opens its session.",
    query: SessionFilters,
    replies: [
      page(200, "The list."),
      page(422, "A filter is not valid: the list's form, with why."),
      TO_SIGN_IN,
      REFUSED,
      UNAVAILABLE,
    ],
  }),
  screen({
    id: "opsSession",
    method: "get",
    path: "/ops/sessions/{id}",
    summary: "A session",
    description:
      "The session with its payment and charges, its webhook deliveries, its journal, and the machine's picture with the current state lit.",
    pathParams: [sessionId],
    replies: [page(200, "The session."), TO_SIGN_IN, REFUSED, UNAVAILABLE],
  }),
  post(
    "opsCancelSession",
    "/ops/sessions/{id}/cancel",
    "Cancel a session",
    "As `POST /v1/checkout-sessions/{id}/cancel`.",
    Csrf,
    { csrf: "…" },
    [sessionId],
  ),
  post(
    "opsCapturePayment",
    "/ops/sessions/{id}/capture",
    "Capture a session's payment",
    "As `POST /v1/payments/{id}/capture`.",
    Csrf,
    { csrf: "…" },
    [sessionId],
  ),
  post(
    "opsRefundPayment",
    "/ops/sessions/{id}/refund",
    "Refund a session's payment",
    "As `POST /v1/payments/{id}/refunds` with no amount: all that is left.",
    Csrf,
    { csrf: "…" },
    [sessionId],
  ),
  post(
    "opsRedeliverEvent",
    "/ops/events/{id}/redeliver",
    "Redeliver an event",
    "As `POST /v1/events/{id}/redeliver`.",
    Csrf.extend({ endpoint_id: z.string().optional().describe("One endpoint; empty: every one.") }),
    { csrf: "…" },
    [id("The event id, `evt_…`.", SAMPLE.eventId)],
  ),
  screen({
    id: "opsWebhooks",
    method: "get",
    path: "/ops/webhooks",
    summary: "Webhook endpoints",
    description: "Every endpoint with its status and recent deliveries, and the form to add one.",
    replies: [page(200, "The endpoints."), TO_SIGN_IN, REFUSED, UNAVAILABLE],
  }),
  {
    ...post(
      "opsCreateWebhookEndpoint",
      "/ops/webhooks",
      "Add a webhook endpoint",
      "As `POST /v1/webhook-endpoints`: the page shows the signing secret once.",
      Csrf.extend({
        url: z.string().describe("The receiver's URL."),
        events: z.array(WebhookEventType).describe("The event types to send (repeat the field)."),
      }),
      { csrf: "…", url: "https://example.com/hooks", events: ["checkout_session.completed"] },
    ),
    replies: [page(201, "Added: the page, with the secret."), SIGNED_OUT, REFUSED, UNAVAILABLE],
  },
  post(
    "opsDisableWebhookEndpoint",
    "/ops/webhooks/{id}/disable",
    "Disable an endpoint",
    "It is sent nothing until enabled.",
    Csrf,
    { csrf: "…" },
    [endpointId],
  ),
  post(
    "opsEnableWebhookEndpoint",
    "/ops/webhooks/{id}/enable",
    "Enable an endpoint",
    "As `POST /v1/webhook-endpoints/{id}/enable`.",
    Csrf,
    { csrf: "…" },
    [endpointId],
  ),
  {
    ...post(
      "opsRotateWebhookSecret",
      "/ops/webhooks/{id}/rotate",
      "Rotate an endpoint's secret",
      "As `POST /v1/webhook-endpoints/{id}/rotate-secret`: the page shows the new secret once.",
      Csrf.extend({
        overlap_seconds: z
          .string()
          .describe("How long the old secret keeps signing: 0 to 604800 seconds."),
      }),
      { csrf: "…", overlap_seconds: "86400" },
      [endpointId],
    ),
    replies: [
      page(200, "Rotated: the page, with the new secret."),
      SIGNED_OUT,
      REFUSED,
      UNAVAILABLE,
    ],
  },
];
