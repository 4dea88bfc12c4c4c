/** Provider requests as the session object makes them, for the adapter and sandbox tests. */
import type { AuthorizeRequest } from "../../src/providers/provider.js";

/** A charge id as our payments make them (`pay_<64 hex>_ch<n>`), of a payment of its own. */
export const newChargeId = () =>
  `pay_${crypto.randomUUID().replaceAll("-", "")}${crypto.randomUUID().replaceAll("-", "")}_ch1`;

/** The payment a charge id belongs to. */
export const paymentOf = (chargeId: string) => chargeId.replace(/_ch\d+$/, "");

/** An authorize of 10.50 EUR with this card, on a charge of its own. */
export function cardRequest(
  number: string,
  extra: Partial<AuthorizeRequest> = {},
): AuthorizeRequest {
  return {
    chargeId: newChargeId(),
    amount: 1050,
    currency: "EUR",
    captureMethod: "automatic",
    secureMode: false,
    paymentMethod: { type: "card", card: { number, expMonth: 12, expYear: 2030, cvc: "123" } },
    challengeReturnUrl: "http://127.0.0.1:8787/v1/checkout-sessions/challenge-return?charge_id=x",
    ...extra,
  };
}
