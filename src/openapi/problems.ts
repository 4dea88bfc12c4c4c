/**
 * Every stable `code` an RFC 9457 `application/problem+json` answer of ours carries
 * (src/errors.ts renders them), with its status and what it means, for the OpenAPI description:
 * each operation lists the codes it can answer (src/openapi/routes/), grouped by status into one
 * response whose `code` is an `enum` of them. A code a route answers that is not listed here or
 * there fails test/worker/openapi.test.ts.
 */
import * as z from "zod";
import { component } from "./registry.js";

/** The problem body, as `toProblemResponse` writes it. */
export const Problem = component(
  "Problem",
  z
    .object({
      type: z.string().describe("`https://edge-checkout.dev/problems/<code>`."),
      title: z.string().describe("The status's reason phrase, e.g. `Unprocessable Content`."),
      status: z.number().int().describe("The HTTP status, repeated."),
      code: z.string().describe("A stable, machine-readable code to branch on."),
      detail: z.string().describe("What went wrong, for a human."),
      request_id: z.string().describe("The `request-id` of this request: quote it to support."),
      errors: z
        .array(
          z.object({
            field: z
              .string()
              .describe("The dotted path of the field, e.g. `payment_method.card.number`."),
            message: z.string(),
          }),
        )
        .optional()
        .describe("Each field that was refused (validation problems), one entry per field."),
    })
    .describe("RFC 9457 problem details, with a stable `code`."),
);

interface ProblemInfo {
  status: number;
  meaning: string;
}

/** `code` → its status and meaning. Where a code has two statuses, the second is `status` on the route. */
export const PROBLEMS = {
  invalid_json: { status: 400, meaning: "The body is not valid JSON." },
  body_unreadable: { status: 400, meaning: "The body could not be read to its end." },
  unknown_query_parameter: { status: 400, meaning: "A query parameter this list does not take." },
  missing_api_key: {
    status: 401,
    meaning: "No credentials: the secret key, or StableMint's `api_key`.",
  },
  invalid_api_key: { status: 401, meaning: "The secret key or `api_key` is not valid." },
  missing_timestamp: { status: 401, meaning: "StableMint signing: no `timestamp` header." },
  missing_signature: { status: 401, meaning: "StableMint signing: no `signature` header." },
  invalid_timestamp: { status: 401, meaning: "`timestamp` is not Unix time in seconds." },
  stale_timestamp: { status: 401, meaning: "`timestamp` is more than 5 minutes from our clock." },
  invalid_signature: {
    status: 401,
    meaning: 'The `signature` is not hex SHA-256 of "<timestamp>,<api secret>,<userId>".',
  },
  api_secret_unavailable: {
    status: 401,
    meaning: "The merchant's stored API secret cannot be opened: ask support to set it again.",
  },
  invalid_token: {
    status: 404,
    meaning: "The payer token does not open this (or any) session (401 on the `/pay` pages' JSON).",
  },
  cross_site_request: {
    status: 403,
    meaning: "A cookie-carried request that did not come from our page.",
  },
  previous_key_cannot_roll: { status: 403, meaning: "Only the current secret key may roll." },
  sandbox_only: { status: 403, meaning: "Test helpers work for sandbox merchants only." },
  not_found: { status: 404, meaning: "No such resource (of this merchant)." },
  route_not_found: { status: 404, meaning: "No route for this method and path." },
  payment_in_progress: {
    status: 409,
    meaning: "A payment for this session is already in progress.",
  },
  session_cancelled: { status: 409, meaning: "The session was cancelled." },
  session_completed: { status: 409, meaning: "The session is already paid." },
  session_failed: { status: 409, meaning: "The session has failed." },
  payment_not_capturable: { status: 409, meaning: "Only an `AUTHORIZED` payment can be captured." },
  payment_not_refundable: {
    status: 409,
    meaning: "Only a `SUCCEEDED` payment (its money taken) can be refunded.",
  },
  payment_busy: {
    status: 409,
    meaning: "The payment's provider is still answering an earlier call: try again shortly.",
  },
  payment_refunded: { status: 409, meaning: "The payment has been refunded in full." },
  amount_too_large: {
    status: 422,
    meaning: "More than the payment has left to refund; the detail says how much is left.",
  },
  endpoint_disabled: { status: 409, meaning: "The endpoint is disabled: enable it first." },
  concurrent_change: {
    status: 409,
    meaning: "Another request changed the merchant at the same time: read it again and retry.",
  },
  nothing_due: { status: 409, meaning: "The session has no such deadline to reach." },
  charge_settled: { status: 409, meaning: "The charge is settled and takes no answer." },
  session_expired: { status: 410, meaning: "The session has expired." },
  session_closed: {
    status: 410,
    meaning: "The session is closed (paid, expired, cancelled or failed).",
  },
  body_too_large: { status: 413, meaning: "The body is over 64 KiB." },
  unsupported_media_type: { status: 415, meaning: "Send the body as `application/json`." },
  websocket_expected: {
    status: 426,
    meaning: "The address is a WebSocket: open it with `Upgrade: websocket`.",
  },
  validation_failed: {
    status: 422,
    meaning: "A field is not valid: each one is named in `errors[]`.",
  },
  body_too_deep: { status: 422, meaning: "The body nests more than 32 levels." },
  invalid_idempotency_key: {
    status: 422,
    meaning: "`Idempotency-Key` must be 1-255 visible ASCII.",
  },
  idempotency_key_reused: {
    status: 422,
    meaning: "The idempotency key was used with another body (or the other StableMint flow).",
  },
  redirect_url_not_allowed: {
    status: 422,
    meaning:
      "A URL is not one of the merchant's allowed origins (README: URLs, redirects and framing).",
  },
  invalid_cursor: { status: 422, meaning: "Pass `next_cursor` from the previous page unchanged." },
  too_many_endpoints: {
    status: 422,
    meaning: "The merchant has the most webhook endpoints it may have.",
  },
  amount_required: {
    status: 422,
    meaning: "The session has no amount: send `amount` (minor units).",
  },
  amount_out_of_range: {
    status: 422,
    meaning: "`amount` is outside the session's `amount_limits`.",
  },
  amount_not_allowed: {
    status: 422,
    meaning: "The session has another amount, which cannot change.",
  },
  custom_field_required: { status: 422, meaning: "A required custom field is missing." },
  payer_field_required: { status: 422, meaning: "A required payer detail is missing." },
  payment_method_not_offered: {
    status: 422,
    meaning: "The session does not offer this payment method.",
  },
  bank_not_offered: {
    status: 422,
    meaning: "`bank_id` is not one of the banks the session offers.",
  },
  invalid_decision: { status: 422, meaning: "The challenge decision must be `approve` or `deny`." },
  rate_limited: { status: 429, meaning: "Over an abuse limit: wait `Retry-After` seconds." },
  internal_error: { status: 500, meaning: "A bug of ours; the request id is in our logs." },
  service_unavailable: {
    status: 503,
    meaning: "Our database did not answer: retry after `Retry-After`.",
  },
} as const satisfies Record<string, ProblemInfo>;

export type ProblemCode = keyof typeof PROBLEMS;

/** A code an operation answers, at its catalogue status or the one given. */
export type ErrorSpec = ProblemCode | { code: ProblemCode; status: number };

export const statusOf = (error: ErrorSpec) =>
  typeof error === "string" ? PROBLEMS[error].status : error.status;
export const codeOf = (error: ErrorSpec) => (typeof error === "string" ? error : error.code);
