/**
 * A provider's answer as the machine event it means: what the session object feeds back after
 * a provider call (a silent provider means no event; the watchdog asks again later).
 */
import type { CheckoutEvent, ProviderCall } from "../../machines/index.js";
import type { ProviderOutcome } from "./provider.js";

export function outcomeEvent(
  outcome: ProviderOutcome,
  call: ProviderCall,
  at: number,
): CheckoutEvent | null {
  const chargeId = call.chargeId;
  if (call.kind === "refund") return refundEvent(outcome, call.refundId ?? "", at);
  switch (outcome.type) {
    case "succeeded":
      return { type: "PROVIDER_SUCCEEDED", at, chargeId };
    case "authorized":
      return { type: "PROVIDER_AUTHORIZED", at, chargeId };
    case "requires_action":
      return { type: "PROVIDER_REQUIRES_ACTION", at, chargeId, url: outcome.url };
    case "declined":
      return {
        type: "PROVIDER_DECLINED",
        at,
        chargeId,
        code: outcome.code,
        message: outcome.message,
      };
    case "failed":
      return {
        type: "PROVIDER_FAILED",
        at,
        chargeId,
        code: outcome.code,
        message: outcome.message,
      };
    case "pending":
      return { type: "PROVIDER_PENDING", at, chargeId };
    case "silent":
      return null;
  }
}

/** A refund's answer: made, not made, or not known yet (the watchdog sends it again). */
function refundEvent(outcome: ProviderOutcome, refundId: string, at: number): CheckoutEvent | null {
  switch (outcome.type) {
    case "succeeded":
      return { type: "REFUND_SUCCEEDED", at, refundId };
    case "declined":
    case "failed":
      return { type: "REFUND_FAILED", at, refundId, code: outcome.code, message: outcome.message };
    default:
      return null;
  }
}
