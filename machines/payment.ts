/**
 * Pure updates of a session's payment, its charges and the provider call in flight.
 * Each takes the context and returns the fields it changes; the machine assigns them.
 */
import type {
  Charge,
  ChargeStatus,
  CheckoutContext,
  Payment,
  PaymentMethodSummary,
  PaymentStatus,
  ProblemDetail,
  ProviderCall,
  Refund,
} from "./checkout-session.schema.js";

/** How many times the watchdog asks a silent provider for status before giving the charge up. */
export const MAX_STATUS_CHECKS = 3;

type Changes = Partial<CheckoutContext>;

export function currentCharge(context: CheckoutContext): Charge | undefined {
  return context.payment?.charges.at(-1);
}

export function findCharge(context: CheckoutContext, chargeId: string): Charge | undefined {
  return context.payment?.charges.find((charge) => charge.id === chargeId);
}

/** The providers the current confirm goes to, in order: its route's, else the default. */
export const routedProviders = (context: CheckoutContext): string[] =>
  context.route?.providers ?? context.providers;

/** The provider after the current charge's, if routing has one left. */
export function fallbackProvider(context: CheckoutContext): string | undefined {
  const charge = currentCharge(context);
  if (charge === undefined) return undefined;
  const providers = routedProviders(context);
  return providers[providers.indexOf(charge.provider) + 1];
}

export function recordCall(
  context: CheckoutContext,
  at: number,
  kind: ProviderCall["kind"],
  charge: Pick<Charge, "id" | "provider">,
  statusChecks = 0,
  refundId?: string,
): Changes {
  const providerCalls = context.providerCalls + 1;
  return {
    providerCalls,
    providerCall: {
      id: `${charge.id}_call${providerCalls}`,
      kind,
      chargeId: charge.id,
      ...(refundId !== undefined && { refundId }),
      provider: charge.provider,
      requestedAt: at,
      deadlineAt: at + context.providerTimeoutMs,
      statusChecks,
    },
  };
}

/**
 * The amount a confirm would pay, or null when the confirm is not acceptable: it must carry a
 * positive integer amount (minor units) when the session has none yet, and may only repeat the
 * session's amount once it has one.
 */
export function confirmedAmount(
  context: CheckoutContext,
  amount: number | undefined,
): number | null {
  if (context.amount !== null)
    return amount === undefined || amount === context.amount ? context.amount : null;
  return amount !== undefined && Number.isSafeInteger(amount) && amount > 0 ? amount : null;
}

/** The session's payment, opened by its first charge; null while the session has no amount. */
function openPayment(context: CheckoutContext, at: number): Payment | null {
  if (context.amount === null) return null;
  return {
    id: context.paymentId,
    status: "CREATED",
    amount: context.amount,
    currency: context.currency,
    captureMethod: context.captureMethod,
    charges: [],
    createdAt: at,
    updatedAt: at,
    lastError: null,
    paidAfterClose: false,
    refunds: [],
  };
}

/**
 * A new charge at `provider`, and the authorize call that will carry it. The first charge opens
 * the payment with the session's amount (fixed by then: a confirm without one is not accepted).
 */
export function startCharge(
  context: CheckoutContext,
  at: number,
  provider: string,
  paymentMethod: PaymentMethodSummary,
): Changes {
  const payment = context.payment ?? openPayment(context, at);
  if (payment === null) return {};
  const charge: Charge = {
    id: `${payment.id}_ch${payment.charges.length + 1}`,
    provider,
    status: "pending",
    paymentMethod,
    createdAt: at,
    updatedAt: at,
    failure: null,
    nextActionUrl: null,
    late: false,
    rule: context.route?.rule ?? null,
    risk: context.risk,
  };
  return {
    payment: {
      ...payment,
      status: "CREATED",
      charges: [...payment.charges, charge],
      updatedAt: at,
      lastError: null,
    },
    ...recordCall(context, at, "authorize", charge),
  };
}

/** Sets a charge's status (and optionally more of it) and the payment's, clearing the call in flight. */
export function settleCharge(
  context: CheckoutContext,
  at: number,
  chargeId: string,
  chargeStatus: ChargeStatus,
  paymentStatus: PaymentStatus,
  patch: Partial<Pick<Charge, "failure" | "nextActionUrl" | "late">> = {},
): Changes {
  const payment = context.payment;
  if (payment === null) return {};
  const charges = payment.charges.map((charge) =>
    charge.id === chargeId ? { ...charge, ...patch, status: chargeStatus, updatedAt: at } : charge,
  );
  const lastError: ProblemDetail | null = patch.failure ?? payment.lastError;
  const providerCall = context.providerCall?.chargeId === chargeId ? null : context.providerCall;
  return {
    payment: { ...payment, charges, status: paymentStatus, updatedAt: at, lastError },
    providerCall,
  };
}

/** What may still be refunded of a charge: what it took, less every refund not failed. */
export function refundableOf(payment: Payment, charge: Charge): number {
  if (charge.status !== "succeeded") return 0;
  const given = payment.refunds
    .filter((refund) => refund.chargeId === charge.id && refund.status !== "failed")
    .reduce((sum, refund) => sum + refund.amount, 0);
  return payment.amount - given;
}

/**
 * The charge a refund of `amount` goes back through: the first that took money and has that
 * much left (a payment charged twice, a late success kept, can be refunded twice). Without an
 * amount, the first with anything left.
 */
export function refundTarget(payment: Payment | null, amount?: number): Charge | undefined {
  if (payment === null || payment.status !== "SUCCEEDED") return undefined;
  return payment.charges.find((charge) => {
    const left = refundableOf(payment, charge);
    return amount === undefined
      ? left > 0
      : Number.isSafeInteger(amount) && amount > 0 && left >= amount;
  });
}

export function findRefund(context: CheckoutContext, refundId: string): Refund | undefined {
  return context.payment?.refunds.find((refund) => refund.id === refundId);
}
