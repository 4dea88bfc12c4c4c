/**
 * src/routes/pages.ts, demo.ts and sandbox.ts as OpenAPI: the pages a payer opens. Pages answer
 * HTML (an invalid link is a page too, not a problem), except the JSON the pages' own script
 * reads. Their scripts and stylesheets: assets.ts.
 */
import * as z from "zod";
import { ConfirmCheckoutSession } from "../../schemas.js";
import type { Operation, PathParam, Reply } from "../operation.js";
import { CheckoutState, ConfirmState } from "../payer.responses.js";
import { SAMPLE } from "./samples.js";
import { CLOSED, CONFIRM_EXAMPLE, CONFIRM_REFUSALS } from "./token-api.js";

const ref: PathParam = {
  name: "ref",
  description:
    "The session id (`cs_…`); on `/pay/{ref}` also a token link or a StableMint `sessionId`.",
  example: SAMPLE.sessionId,
};

const page = (status: number, description: string): Reply => ({
  status,
  description,
  mediaType: "text/html",
});
const INVALID_LINK = page(404, "This payment link is not valid (a page).");
const OPEN_AGAIN = page(401, "Open your payment link again: no cookie for this session (a page).");
const TRADED: Reply = {
  status: 303,
  description:
    "A token link: the token is traded for the session's cookie, on to `/pay/<session id>`.",
  headers: {
    location: "`/pay/<session id>`",
    "set-cookie": "`ec_payer=…; HttpOnly; SameSite=Lax`",
  },
};

/** The exit form's fields, for a payer without script (nothing to send). */
const ExitForm = z.object({}).strict();

export const pageOperations: Operation[] = [
  {
    id: "hostedCheckoutEntry",
    method: "get",
    path: "/pay",
    tag: "Payer pages",
    summary: "The hosted checkout's entry",
    description:
      "`checkout_session.url` of a hosted session: the merchant sends the payer to `/pay?token=<token>`.",
    access: "public",
    queryParams: [{ name: "token", description: "The payer token.", example: SAMPLE.token }],
    replies: [TRADED, OPEN_AGAIN, INVALID_LINK],
    errors: [],
  },
  {
    id: "hostedCheckout",
    method: "get",
    path: "/pay/{ref}",
    tag: "Payer pages",
    summary: "The hosted checkout",
    description:
      "The checkout page (server-rendered, one first-party script and stylesheet, strict CSP). A token link (`/pay/<token>`, `?token=`) is first traded for a cookie.",
    access: "payerPage",
    pathParams: [ref],
    replies: [page(200, "The checkout page."), TRADED, OPEN_AGAIN, INVALID_LINK],
    errors: [],
  },
  {
    id: "checkoutPageState",
    method: "get",
    path: "/pay/{ref}/session",
    tag: "Payer pages",
    summary: "The checkout's state (page script)",
    description: "What the page's script renders: the payer's view and its markup.",
    access: "payerPage",
    pathParams: [ref],
    replies: [{ status: 200, description: "The state.", schema: CheckoutState }],
    errors: [{ code: "invalid_token", status: 401 }, "not_found", "session_closed"],
  },
  {
    id: "checkoutPageConfirm",
    method: "post",
    path: "/pay/{ref}/confirm",
    tag: "Payer pages",
    summary: "Pay (page script)",
    description:
      "The token API's confirm, for the page's script; a cookie-carried request must come from this origin.",
    access: "payerPage",
    pathParams: [ref],
    body: {
      schema: ConfirmCheckoutSession,
      id: "ConfirmCheckoutSessionRequest",
      example: CONFIRM_EXAMPLE,
    },
    replies: [
      { status: 200, description: "The state, and any 3-D Secure step.", schema: ConfirmState },
    ],
    errors: [
      { code: "invalid_token", status: 401 },
      "cross_site_request",
      ...CLOSED,
      ...CONFIRM_REFUSALS,
    ],
  },
  {
    id: "checkoutPageExit",
    method: "post",
    path: "/pay/{ref}/exit",
    tag: "Payer pages",
    summary: "Leave without paying (page)",
    description:
      "Cancels the session. From script (`Accept: application/json`) the answer is the state with `redirect_url`; a plain form post is answered with a navigation: to the merchant, or back to the page when the session cannot be left.",
    access: "payerPage",
    pathParams: [ref],
    body: {
      schema: ExitForm,
      id: "ExitForm",
      optional: true,
      mediaType: "application/x-www-form-urlencoded",
      example: {},
    },
    replies: [
      {
        status: 200,
        description: "From script: the state and the way back.",
        schema: CheckoutState,
      },
      {
        status: 303,
        description: "A form post: on to the merchant (same origin) or back to the page.",
      },
      OPEN_AGAIN,
    ],
    errors: [{ code: "invalid_token", status: 401 }, "cross_site_request", ...CLOSED],
  },
  {
    id: "checkoutPageLive",
    method: "get",
    path: "/pay/{ref}/live",
    tag: "Payer pages",
    summary: "The checkout's live state (WebSocket, page script)",
    description:
      "A WebSocket the session's object holds (hibernation API). After each stored change it sends `{ seq, state }`: `state` as `/pay/{ref}/session` answers it, `seq` the session's journal position; the current state comes at once when it is newer than `after`, and a closed session's socket gets its final state, then a close with 1000. The page may send `{ \"after\": <seq> }` to catch up, and `ping` (answered `pong`). The hosted page's cookie (from this origin's page) or the frame's token, offered as the subprotocol `token.<token>` beside `edge-checkout`.",
    access: "payerPage",
    pathParams: [ref],
    queryParams: [
      { name: "after", description: "The last `seq` the page has seen (default 0).", example: "0" },
    ],
    headers: [
      {
        name: "sec-websocket-protocol",
        description:
          "`edge-checkout`, and in the frame `token.<token>`; the answer names `edge-checkout`.",
        required: false,
        example: "edge-checkout",
      },
    ],
    replies: [{ status: 101, description: "Switching Protocols: the socket is open." }],
    errors: [
      { code: "invalid_token", status: 401 },
      "invalid_token",
      "not_found",
      "cross_site_request",
      "websocket_expected",
      "validation_failed",
    ],
  },
  {
    id: "merchantLogo",
    method: "get",
    path: "/pay/{ref}/logo",
    tag: "Payer pages",
    summary: "The merchant's logo",
    description: "The merchant's `logo_url`, fetched by the Worker and served from our origin.",
    access: "public",
    pathParams: [ref],
    replies: [{ status: 200, description: "The image.", mediaType: "image/*" }],
    errors: ["not_found", "invalid_token"],
  },
  {
    id: "embeddedCheckout",
    method: "get",
    path: "/embed/{ref}",
    tag: "Payer pages",
    summary: "The embedded checkout frame",
    description:
      "What `/widget.js` frames (`/embed/<ref>#token=…`); framed only by the merchant's allowed origins. `ref` is the session id or a StableMint `sessionId`.",
    access: "public",
    pathParams: [ref],
    replies: [page(200, "The frame's page."), INVALID_LINK],
    errors: ["not_found", "invalid_token"],
  },
  {
    id: "demoReturn",
    method: "get",
    path: "/demo/return",
    tag: "Payer pages",
    summary: "The quick start's return page",
    description:
      "Stands in for a merchant's return page: looks the session up by `session_id` and shows the outcome.",
    access: "public",
    queryParams: [
      {
        name: "session_id",
        description: "The session, as every redirect carries it.",
        example: SAMPLE.sessionId,
      },
    ],
    replies: [page(200, "The outcome."), INVALID_LINK],
    errors: ["not_found"],
  },
  {
    id: "sandboxChallenge",
    method: "get",
    path: "/sandbox/challenge/{chargeId}",
    tag: "Sandbox",
    summary: "The sandbox 3-D Secure challenge",
    description:
      "The page an issuer would show, with Approve and Deny (`confirmResult.paymentNextAction.url`).",
    access: "public",
    pathParams: [
      { name: "chargeId", description: "The challenged charge.", example: SAMPLE.chargeId },
    ],
    replies: [page(200, "The challenge.")],
    errors: ["not_found"],
  },
  {
    id: "sandboxChallengeDecision",
    method: "post",
    path: "/sandbox/challenge/{chargeId}",
    tag: "Sandbox",
    summary: "Approve or deny the challenge",
    description: "The first decision stands; then on to the challenge return.",
    access: "public",
    pathParams: [
      { name: "chargeId", description: "The challenged charge.", example: SAMPLE.chargeId },
    ],
    body: {
      schema: z.object({ decision: z.enum(["approve", "deny"]) }),
      id: "ChallengeDecisionForm",
      mediaType: "application/x-www-form-urlencoded",
      example: { decision: "approve" },
    },
    replies: [
      {
        status: 303,
        description: "On to `/v1/checkout-sessions/challenge-return?charge_id=…`.",
        headers: { location: "The challenge return." },
      },
    ],
    errors: ["invalid_decision", "not_found", "body_too_large"],
  },
];
