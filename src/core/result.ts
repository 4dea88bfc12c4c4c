/**
 * What a session object's methods answer across RPC: a value, or a problem the Worker renders as
 * problem+json (src/errors.ts). Refusals are data, never exceptions thrown through the stub.
 */
import { type CheckoutSnapshot, stateName } from "../../machines/index.js";
import { ProblemError } from "../errors.js";

/** A problem crosses the RPC boundary as data; the Worker turns it into problem+json. */
export interface Problem {
  status: number;
  code: string;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (status: number, code: string, message: string): Result<never> => ({
  ok: false,
  problem: { status, code, message },
});

/** Why a session in this state cannot take a payer's or merchant's action. */
export function closedProblem(snapshot: CheckoutSnapshot): Result<never> {
  switch (stateName(snapshot)) {
    case "expired":
      return fail(410, "session_expired", "This checkout session has expired.");
    case "cancelled":
      return fail(409, "session_cancelled", "This checkout session was cancelled.");
    case "completed":
      return fail(409, "session_completed", "This checkout session is already paid.");
    case "failed":
      return fail(409, "session_failed", "This checkout session has failed.");
    default:
      return fail(409, "payment_in_progress", "A payment for this session is already in progress.");
  }
}

/** The value of an object's result, or its problem thrown for the one error stage to render. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok)
    throw new ProblemError(result.problem.status, result.problem.code, result.problem.message);
  return result.value;
}
