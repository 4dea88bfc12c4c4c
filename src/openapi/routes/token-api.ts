/**
 * src/routes/checkout-sessions.ts as OpenAPI: the payer's token API (called from the merchant's
 * own page in the semi-hosted flow, CORS for any origin) and the 3-D Secure challenge return.
 */
import { ConfirmCheckoutSession } from "../../schemas.js";
import type { Operation, PathParam } from "../operation.js";
import { ConfirmAnswer, ExitAnswer, PublicSessionAnswer } from "../payer.responses.js";
import type { ErrorSpec } from "../problems.js";
import { describeFields } from "../registry.js";
import { SAMPLE } from "./samples.js";

describeFields(ConfirmCheckoutSession, {
  payment_method:
    "A card (`number`, `exp_month`, `exp_year`, `cvc`; never stored, only brand and last4 are kept) or a bank transfer (`bank_id`, one of the session's `payment_methods`). Sandbox test cards: README.",
  amount:
    "Minor units: required when the session has no amount (the payer chooses it, within `amount_limits`), and fixed for good by the first accepted confirm; on a session with an amount it may only repeat it.",
  payer: "The payer's details, as the session's `payer_fields` ask for them.",
  custom_fields: "Answers to the session's `custom_fields`, by `key`.",
});

export const token: PathParam = {
  name: "token",
  description:
    "The payer token (`checkout_session.token`), or a StableMint embedded `sessionId`. It opens this one session and no merchant route.",
  example: SAMPLE.token,
};

/** What a payer's step answers when the session cannot take it (src/core/result.ts). */
export const CLOSED: ErrorSpec[] = [
  "payment_in_progress",
  "session_cancelled",
  "session_completed",
  "session_failed",
  "session_expired",
];

/** The confirm's own refusals (src/core/confirm-input.ts). */
export const CONFIRM_REFUSALS: ErrorSpec[] = [
  "amount_required",
  "amount_out_of_range",
  "amount_not_allowed",
  "custom_field_required",
  "payer_field_required",
  "payment_method_not_offered",
  "bank_not_offered",
];

export const CONFIRM_EXAMPLE = {
  payment_method: {
    type: "card",
    card: { number: "4242424242424242", exp_month: 12, exp_year: 2030, cvc: "123" },
  },
  payer: { name: "Ada Lovelace", email: "ada@example.com" },
};

const preflight = (path: string, id: string, params: PathParam[] = [token]): Operation => ({
  id,
  method: "options",
  path,
  tag: "Token API",
  summary: "CORS preflight",
  description:
    "The token API answers any origin (no credentials: the token in the path is the capability).",
  access: "public",
  pathParams: params,
  replies: [
    {
      status: 204,
      description: "Allowed: `GET, POST` with `content-type, request-id`, cached 10 minutes.",
      headers: {
        "access-control-allow-methods": "`GET, POST`",
        "access-control-allow-headers": "`content-type, request-id`",
        "access-control-max-age": "`600`",
      },
    },
  ],
  errors: [],
});

export const tokenApiOperations: Operation[] = [
  {
    id: "openCheckoutSession",
    method: "get",
    path: "/v1/checkout-sessions/token/{token}",
    tag: "Token API",
    summary: "Open a session as the payer",
    description:
      "The payer's view of the session: amount, merchant, line items, what to ask for and which methods are offered. The first open is journaled (`PAYER_OPENED`).",
    access: "tokenInPath",
    pathParams: [token],
    replies: [{ status: 200, description: "The payer's view.", schema: PublicSessionAnswer }],
    errors: ["invalid_token", "session_closed"],
  },
  preflight("/v1/checkout-sessions/token/{token}", "preflightOpenCheckoutSession"),
  {
    id: "confirmCheckoutSession",
    method: "post",
    path: "/v1/checkout-sessions/token/{token}/confirm",
    tag: "Token API",
    summary: "Pay",
    description:
      "Confirms the payment with a card or bank. The answer is the session after the provider's first answer: `COMPLETED`, `PROCESSING` (an answer still to come), or `PENDING` again after a decline with attempts left. When `confirmResult.paymentNextAction` is set, send the payer to its `url` for 3-D Secure.",
    access: "tokenInPath",
    pathParams: [token],
    body: {
      schema: ConfirmCheckoutSession,
      id: "ConfirmCheckoutSessionRequest",
      example: CONFIRM_EXAMPLE,
    },
    replies: [{ status: 200, description: "The session and the payment.", schema: ConfirmAnswer }],
    errors: ["invalid_token", ...CLOSED, ...CONFIRM_REFUSALS],
  },
  preflight("/v1/checkout-sessions/token/{token}/confirm", "preflightConfirmCheckoutSession"),
  {
    id: "exitCheckoutSession",
    method: "post",
    path: "/v1/checkout-sessions/token/{token}/exit",
    tag: "Token API",
    summary: "Leave without paying",
    description:
      "The payer leaves: the session is cancelled (`closed_reason: payer_exited`) and `redirect_url` is the way back to the merchant.",
    access: "tokenInPath",
    pathParams: [token],
    replies: [
      { status: 200, description: "The cancelled session and the way back.", schema: ExitAnswer },
    ],
    errors: ["invalid_token", ...CLOSED],
  },
  preflight("/v1/checkout-sessions/token/{token}/exit", "preflightExitCheckoutSession"),
  {
    id: "returnFromChallenge",
    method: "get",
    path: "/v1/checkout-sessions/challenge-return",
    tag: "Token API",
    summary: "Come back from 3-D Secure",
    description:
      "Where the issuer's challenge sends the payer back: the provider is asked to finish, then the payer goes on to the merchant (a 303 on this origin, else a page that moves on by itself; inside the embedded frame, a page that tells the checkout).",
    access: "public",
    queryParams: [
      {
        name: "charge_id",
        description: "The charge that was challenged.",
        example: SAMPLE.chargeId,
      },
    ],
    replies: [
      {
        status: 303,
        description: "On to the destination (same origin).",
        headers: { location: "The destination." },
      },
      { status: 200, description: "A page that moves on by itself.", mediaType: "text/html" },
    ],
    errors: ["not_found"],
  },
];
