/**
 * Which banks a StableMint user's payment proved (src/d1/saved-banks.ts keeps them in D1).
 */
import type { CheckoutSnapshot } from "../../../machines/index.js";

/**
 * Bank charges that took money in this transition (succeeded or authorized now, not before),
 * with when: the banks to save. A late success (after the session closed) counts too, as the
 * bank did pay.
 */
export function newlyPaidBanks(
  before: CheckoutSnapshot | null,
  after: CheckoutSnapshot,
): { bankId: string; at: number }[] {
  const paid = (status: string) => status === "succeeded" || status === "authorized";
  const earlier = before?.context.payment?.charges ?? [];
  return (after.context.payment?.charges ?? []).flatMap((charge) => {
    const method = charge.paymentMethod;
    if (method.type !== "bank_transfer" || !paid(charge.status)) return [];
    const was = earlier.find((c) => c.id === charge.id);
    return was !== undefined && paid(was.status)
      ? []
      : [{ bankId: method.bankId, at: charge.updatedAt }];
  });
}
