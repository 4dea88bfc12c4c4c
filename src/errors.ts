/**
 * One error family for the whole Worker, turned into an RFC 9457 `application/problem+json`
 * response in one place (`toProblemResponse`). Every problem has a stable `code` clients can
 * branch on; validation problems list each field in `errors[]`.
 */
import type { z } from "zod";

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
  500: "Internal Server Error",
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

export function toProblemResponse(error: unknown, requestId: string): Response {
  const problem =
    error instanceof ProblemError
      ? error
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
