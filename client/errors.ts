/**
 * The client's error family: every failed call throws an `EdgeCheckoutError`, of the subclass
 * for its kind, carrying what the service's RFC 9457 problem said (`status`, `code`, field
 * `errors`) and the `request-id` to quote to support. Branch with `instanceof` on the kind and
 * on `code` for the detail (README lists the codes).
 *
 * @example
 * try {
 *   await client.checkoutSessions.create({ amount: 0, currency: "EUR", return_url });
 * } catch (error) {
 *   if (error instanceof ValidationError) console.log(error.errors); // [{ field: "amount", … }]
 *   else throw error;
 * }
 */

/** One invalid field: its dotted path (`payment_method.card.number`) and why. */
export interface FieldError {
  field: string;
  message: string;
}

/** An error answer's body, `application/problem+json` (RFC 9457) with a stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  request_id: string;
  errors?: FieldError[];
}

export interface EdgeCheckoutErrorInit {
  message: string;
  /** The HTTP status; null when no answer came (`ConnectionError`). */
  status: number | null;
  code: string;
  requestId: string | null;
  errors?: FieldError[];
  problem?: Problem | null;
  retryAfter?: number | null;
  cause?: unknown;
}

export class EdgeCheckoutError extends Error {
  override name = "EdgeCheckoutError";
  /** The HTTP status; null when no answer came (`ConnectionError`). */
  readonly status: number | null;
  /** The problem's stable `code` (`validation_failed`, `invalid_api_key`, …). */
  readonly code: string;
  /** The answer's `request-id` (the one sent, if the call sent one). */
  readonly requestId: string | null;
  /** Field by field, for `validation_failed` and other field-level refusals; else empty. */
  readonly errors: FieldError[];
  /** The problem body as it came, when the answer was one. */
  readonly problem: Problem | null;

  constructor(init: EdgeCheckoutErrorInit) {
    super(init.message, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.problem = init.problem ?? null;
  }
}

/** 401: the secret key is missing or not valid (`missing_api_key`, `invalid_api_key`). */
export class AuthenticationError extends EdgeCheckoutError {
  override name = "AuthenticationError";
}

/** 403: the key may not do this (`previous_key_cannot_roll`). */
export class PermissionError extends EdgeCheckoutError {
  override name = "PermissionError";
}

/** 404: no such object for this merchant (`not_found`), or no such route. */
export class NotFoundError extends EdgeCheckoutError {
  override name = "NotFoundError";
}

/** 400, 413, 415 or 422: the request is not valid; `errors` names each field. */
export class ValidationError extends EdgeCheckoutError {
  override name = "ValidationError";
}

/** 422 `idempotency_key_reused` (another body under the same key) or `invalid_idempotency_key`. */
export class IdempotencyError extends EdgeCheckoutError {
  override name = "IdempotencyError";
}

/** 409: the object's state does not allow it now (`payment_in_progress`, `concurrent_change`, …). */
export class ConflictError extends EdgeCheckoutError {
  override name = "ConflictError";
}

/** An answer that asks to come back later: `retryAfter` is its `Retry-After`, in seconds. */
interface Retryable {
  readonly retryAfter: number | null;
}

/** 429 `rate_limited`: wait `retryAfter` seconds (README, Abuse limits). */
export class RateLimitError extends EdgeCheckoutError implements Retryable {
  override name = "RateLimitError";
  readonly retryAfter: number | null;
  constructor(init: EdgeCheckoutErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter ?? null;
  }
}

/** 5xx: the service failed (a bug), or is briefly unavailable (503 with `retryAfter`). */
export class ApiError extends EdgeCheckoutError implements Retryable {
  override name = "ApiError";
  readonly retryAfter: number | null;
  constructor(init: EdgeCheckoutErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter ?? null;
  }
}

/**
 * No answer at all (DNS, refused, reset, a fetch that threw). A create may or may not have
 * happened: retry it with the same `idempotencyKey` (so pass your own to a create you may
 * retry) and the service answers the session it made, or makes it now.
 */
export class ConnectionError extends EdgeCheckoutError {
  override name = "ConnectionError";
}

const IDEMPOTENCY_CODES = new Set(["idempotency_key_reused", "invalid_idempotency_key"]);

type ErrorKind = new (init: EdgeCheckoutErrorInit) => EdgeCheckoutError;

function errorClass(status: number, code: string): ErrorKind {
  if (IDEMPOTENCY_CODES.has(code)) return IdempotencyError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 429) return RateLimitError;
  if ([400, 413, 415, 422].includes(status)) return ValidationError;
  if (status >= 500) return ApiError;
  return EdgeCheckoutError;
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null if neither. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown) => (typeof value === "string" ? value : "");

const isFieldError = (value: unknown): value is FieldError =>
  isRecord(value) && typeof value.field === "string" && typeof value.message === "string";

/** A parsed body as a problem, if it is one: an object with a string `code`. */
function asProblem(body: unknown): Problem | null {
  if (!isRecord(body) || typeof body.code !== "string") return null;
  return {
    type: text(body.type),
    title: text(body.title),
    status: typeof body.status === "number" ? body.status : 0,
    code: body.code,
    detail: text(body.detail),
    request_id: text(body.request_id),
    ...(Array.isArray(body.errors) && { errors: body.errors.filter(isFieldError) }),
  };
}

/**
 * The error for an answer that is not a 2xx.
 *
 * @example
 * errorFromAnswer(401, '{"code":"invalid_api_key",…}', "req_1", null); // AuthenticationError
 */
export function errorFromAnswer(
  status: number,
  answer: string,
  requestId: string | null,
  retryAfter: string | null,
): EdgeCheckoutError {
  let body: unknown = null;
  try {
    body = JSON.parse(answer);
  } catch {
    // Not JSON (a proxy's HTML page, say): the status alone decides the kind.
  }
  const problem = asProblem(body);
  const code = problem?.code ?? `http_${status}`;
  const Kind = errorClass(status, code);
  return new Kind({
    message: problem?.detail || `The service answered ${status} without a problem body.`,
    status,
    code,
    requestId: requestId ?? (problem?.request_id || null),
    errors: problem?.errors ?? [],
    problem,
    retryAfter: retryAfterSeconds(retryAfter),
  });
}
