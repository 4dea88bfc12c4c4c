/**
 * One error family for the whole Worker, turned into an RFC 9457 `application/problem+json`
 * response in one place (`toProblemResponse`). Every problem has a stable `code` clients can
 * branch on; validation problems list each field in `errors[]`.
 */
import type * as z from "zod";

export interface FieldError {
  /** Dotted path of the offending field, e.g. `payment_method.card.number`. */
  field: string;
  message: string;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ProblemError";
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function validationProblem(
  error: z.ZodError,
  message = "The request is not valid.",
): ProblemError {
  const errors = error.issues.map((issue) => ({
    field: issue.path.map(String).join("."),
    message: issue.message,
  }));
  return new ProblemError(422, "validation_failed", message, errors);
}

export const notFound = (what = "resource") =>
  new ProblemError(404, "not_found", `No such ${what}.`);

/**
 * Whether D1 failed to answer (lost connection, overload, a reset: what Cloudflare's D1 docs list
 * as worth retrying), as opposed to refusing one of our statements. workerd wraps every D1
 * failure as `D1_ERROR: <reason>` and SQLite's own refusals end in their `SQLITE_<code>`; of
 * those only a busy or locked database is transient.
 */
export function isD1Unavailable(error: unknown): boolean {
  if (!(error instanceof Error) || !error.message.startsWith("D1_ERROR")) return false;
  return !/SQLITE_/.test(error.message) || /SQLITE_(BUSY|LOCKED)/.test(error.message);
}

/** D1 is down: the caller may try again shortly (RFC 9110 §15.6.4, with `Retry-After`). */
const d1Unavailable = () =>
  new ProblemError(
    503,
    "service_unavailable",
    "Our database did not answer. Try again in a few seconds.",
    [],
    { "retry-after": "5" },
  );

export function toProblemResponse(error: unknown, requestId: string): Response {
  const problem =
    error instanceof ProblemError
      ? error
      : isD1Unavailable(error)
        ? d1Unavailable()
        : new ProblemError(500, "internal_error", "Something went wrong on our side.");
  if (!(error instanceof ProblemError))
    console.error(JSON.stringify({ requestId, error: String(error) }));
  const body = {
    type: `https://edge-checkout.dev/problems/${problem.code}`,
    title: TITLES[problem.status] ?? "Error",
    status: problem.status,
    code: problem.code,
    detail: problem.message,
    request_id: requestId,
    ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}
