/**
 * Makes the provider call a transition recorded (`context.providerCall`), once it is stored:
 * authorize with the payment method (the card only in memory), finish a 3-D Secure action, ask
 * for status, or capture. A provider that throws is a provider that did not answer: `silent`,
 * and the session's watchdog asks again (src/providers/http-provider.ts already answers every
 * network failure so; this is the last guard).
 */
import type { CheckoutSnapshot, ProviderCall } from "../../machines/index.js";
import { originOf, type SessionDetails } from "../core/details.js";
import { admission, recordAnswer } from "./health.js";
import { providerFor } from "./index.js";
import type { CardDetails, Provider, ProviderOutcome } from "./provider.js";

export async function callProvider(
  env: Env,
  call: ProviderCall,
  s: CheckoutSnapshot,
  details: SessionDetails,
  card: CardDetails | undefined,
): Promise<ProviderOutcome> {
  const origin = originOf(details);
  const { context } = s;
  try {
    const provider = await providerFor(call.provider, env, context.merchantId, {
      chargeId: call.chargeId,
      amount: context.payment?.amount ?? context.amount ?? 0,
      currency: context.currency,
      captureMethod: context.captureMethod,
    });
    switch (call.kind) {
      case "authorize":
        return await guarded(env, call, s, () => authorize(provider, call, s, card, origin));
      case "complete_action":
        return await provider.completeAction(call.chargeId);
      case "status":
        return await provider.status(call.chargeId);
      case "capture":
        return await provider.capture(call.chargeId);
      case "refund":
        return await refund(provider, call, s);
    }
  } catch (error) {
    console.error(
      JSON.stringify({ chargeId: call.chargeId, kind: call.kind, error: String(error) }),
    );
    return { type: "silent" };
  }
}

function refund(provider: Provider, call: ProviderCall, s: CheckoutSnapshot) {
  const refund = s.context.payment?.refunds.find((r) => r.id === call.refundId);
  if (refund === undefined) {
    return Promise.resolve<ProviderOutcome>({
      type: "failed",
      code: "unknown_refund",
      message: "No such refund.",
    });
  }
  return provider.refund({
    chargeId: call.chargeId,
    refundId: refund.id,
    amount: refund.amount,
    currency: s.context.currency,
    reason: refund.reason,
  });
}

/**
 * A charge goes to its provider only when that provider's circuit lets it (src/providers/health.ts);
 * a provider cooling down after an outage is skipped, and the session falls back to the next.
 */
async function guarded(
  env: Env,
  call: ProviderCall,
  s: CheckoutSnapshot,
  go: () => Promise<ProviderOutcome>,
): Promise<ProviderOutcome> {
  const merchantId = s.context.merchantId;
  const admitted = await admission(env, merchantId, call.provider);
  if (!admitted.admitted) {
    return { type: "failed", code: "provider_circuit_open", message: admitted.reason };
  }
  const outcome = await go();
  await recordAnswer(env, merchantId, call.provider, admitted.trial, outcome);
  return outcome;
}

function authorize(
  provider: Provider,
  call: ProviderCall,
  s: CheckoutSnapshot,
  card: CardDetails | undefined,
  origin: string,
): Promise<ProviderOutcome> {
  const { context } = s;
  const payment = context.payment;
  const charge = payment?.charges.find((c) => c.id === call.chargeId);
  const method = charge?.paymentMethod;
  // Without the card (a replay after a restart) the provider is asked for status instead.
  if (method === undefined || payment === null || (method.type === "card" && card === undefined)) {
    return provider.status(call.chargeId);
  }
  return provider.authorize({
    chargeId: call.chargeId,
    // The payment's amount: the session's, or the one the payer's first confirm chose.
    amount: payment.amount,
    currency: context.currency,
    captureMethod: context.captureMethod,
    // The merchant's risk rules may ask for 3-D Secure where the session did not.
    secureMode: context.secureMode || charge?.risk?.decision === "require_3ds",
    paymentMethod:
      method.type === "card" && card !== undefined
        ? { type: "card", card }
        : { type: "bank_transfer", bankId: method.type === "bank_transfer" ? method.bankId : "" },
    challengeReturnUrl: `${origin}/v1/checkout-sessions/challenge-return?charge_id=${call.chargeId}`,
  });
}
