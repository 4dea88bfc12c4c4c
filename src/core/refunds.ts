/**
 * What a merchant's refund request means for a session: the REFUND event to apply, the refund
 * it already made under the same Idempotency-Key, or why not. Pure: the session object runs it.
 */
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  type RefundReason,
  refundableOf,
  refundTarget,
} from "../../machines/index.js";
import { fail, ok, type Result } from "./result.js";
import { refundView } from "./views.js";

export interface RefundParams {
  refundId: string;
  amount?: number | undefined;
  reason?: RefundReason | undefined;
}

export type RefundDecision =
  | { kind: "apply"; event: Extract<CheckoutEvent, { type: "REFUND" }> }
  | { kind: "made"; refund: ReturnType<typeof refundView> };

export function refundDecision(
  s: CheckoutSnapshot,
  params: RefundParams,
  at: number,
): Result<RefundDecision> {
  const payment = s.context.payment;
  if (payment === null) return fail(404, "not_found", "No such payment.");
  const made = payment.refunds.find((refund) => refund.id === params.refundId);
  if (made !== undefined) {
    const same =
      (params.amount === undefined || params.amount === made.amount) &&
      (params.reason ?? null) === made.reason;
    if (!same) {
      const message = "This Idempotency-Key was used for a refund with other parameters.";
      return fail(422, "idempotency_key_reused", message);
    }
    return ok({ kind: "made", refund: refundView(made, payment.id) });
  }
  if (payment.status !== "SUCCEEDED") {
    const message = `A ${payment.status} payment has taken no money to refund.`;
    return fail(409, "payment_not_refundable", message);
  }
  if (s.context.providerCall !== null) {
    const message = "The payment's provider is still answering an earlier call; try again shortly.";
    return fail(409, "payment_busy", message);
  }
  const left = Math.max(0, ...payment.charges.map((charge) => refundableOf(payment, charge)));
  if (left === 0) return fail(409, "payment_refunded", "The payment has been refunded in full.");
  const first = refundTarget(payment);
  const amount = params.amount ?? (first === undefined ? 0 : refundableOf(payment, first));
  if (refundTarget(payment, amount) === undefined) {
    return fail(422, "amount_too_large", `At most ${left} (minor units) is left to refund.`);
  }
  const reason = params.reason ?? null;
  return ok({
    kind: "apply",
    event: { type: "REFUND", at, refundId: params.refundId, amount, reason },
  });
}
