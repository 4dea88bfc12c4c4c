/**
 * The sandbox test helpers' rules (src/routes/test-helpers.ts): which time a clock advance
 * reaches, and which event a provider's answer is. Pure: the object applies what they decide.
 */
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  isClosed,
  nextWakeAt,
  type Payment,
} from "../../machines/index.js";
import { fail, ok, type Result } from "../core/result.js";
import type { ProviderAnswer, TestClockAdvance } from "../schemas.js";

/** The session time an advance reaches: `now` plus its seconds, or the deadline it names. */
export function advancedTime(
  s: CheckoutSnapshot,
  advance: TestClockAdvance,
  now: number,
): Result<number> {
  if (advance.seconds !== undefined) return ok(now + advance.seconds * 1_000);
  const to = advance.to ?? "next_deadline";
  const at =
    to === "expires_at"
      ? isClosed(s)
        ? null
        : s.context.expiresAt
      : to === "provider_deadline"
        ? (s.context.providerCall?.deadlineAt ?? null)
        : nextWakeAt(s);
  if (at === null) {
    return fail(409, "nothing_due", `This session has no ${to.replaceAll("_", " ")} to reach.`);
  }
  return ok(at);
}

/** The provider's answer for a charge (the payment's latest unless `charge_id`) as an event. */
export function providerAnswerEvent(
  payment: Payment,
  answer: ProviderAnswer,
  at: number,
): Result<CheckoutEvent & { chargeId: string }> {
  const charge =
    answer.charge_id === undefined
      ? payment.charges.at(-1)
      : payment.charges.find((c) => c.id === answer.charge_id);
  if (charge === undefined) return fail(404, "not_found", "No such charge.");
  const result = { at, chargeId: charge.id };
  return ok(
    answer.outcome === "succeeded"
      ? { type: "PROVIDER_SUCCEEDED", ...result }
      : answer.outcome === "declined"
        ? { type: "PROVIDER_DECLINED", ...result, code: "card_declined", message: "Declined." }
        : { type: "PROVIDER_FAILED", ...result, code: "provider_error", message: "Failed." },
  );
}

/** The answer for an answer the machine did not take: its charge has one already. */
export function chargeSettled(payment: Payment, event: { chargeId: string }): Result<never> {
  const status = payment.charges.find((c) => c.id === event.chargeId)?.status ?? "settled";
  return fail(
    409,
    "charge_settled",
    `Charge ${event.chargeId} is ${status} already: it takes no answer.`,
  );
}
