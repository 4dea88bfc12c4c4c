/**
 * How a session and its payment look on the wire: the merchant's view (everything) and the
 * payer's public view (no metadata, no customer record, no providers, no internal ids beyond the
 * session's own). Pure functions of the snapshot and the session's stored details.
 */
import {
  type Charge,
  type CheckoutSnapshot,
  isClosed,
  type Payment,
  type ProblemDetail,
  type Refund,
  sessionStatus,
} from "../../machines/index.js";
import { payerFieldsOf, type SessionDetails } from "./details.js";
import type { Dialect } from "./dialect.js";

/** Epoch milliseconds as the API writes times (ISO 8601), null kept. */
export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function chargeView(charge: Charge) {
  const method = charge.paymentMethod;
  return {
    id: charge.id,
    object: "charge",
    provider: charge.provider,
    status: charge.status,
    payment_method:
      method.type === "card"
        ? { type: "card", card: { brand: method.brand, last4: method.last4 } }
        : { type: "bank_transfer", bank_id: method.bankId },
    failure_code: charge.failure?.code ?? null,
    failure_message: charge.failure?.message ?? null,
    next_action_url: charge.nextActionUrl,
    late: charge.late,
    routing_rule: charge.rule,
    risk: charge.risk,
    created_at: iso(charge.createdAt),
  };
}

export function refundView(refund: Refund, paymentId: string) {
  return {
    id: refund.id,
    object: "refund",
    payment_id: paymentId,
    charge_id: refund.chargeId,
    amount: refund.amount,
    status: refund.status,
    reason: refund.reason,
    failure_code: refund.failure?.code ?? null,
    failure_message: refund.failure?.message ?? null,
    created_at: iso(refund.createdAt),
    updated_at: iso(refund.updatedAt),
  };
}

/** What refunds have given back: the succeeded ones. */
const amountRefunded = (payment: Payment) =>
  payment.refunds.filter((r) => r.status === "succeeded").reduce((sum, r) => sum + r.amount, 0);

export function paymentView(payment: Payment, sessionId: string) {
  return {
    id: payment.id,
    object: "payment",
    checkout_session_id: sessionId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    capture_method: payment.captureMethod,
    last_error: payment.lastError,
    paid_after_close: payment.paidAfterClose,
    amount_refunded: amountRefunded(payment),
    charges: payment.charges.map(chargeView),
    refunds: payment.refunds.map((refund) => refundView(refund, payment.id)),
    created_at: iso(payment.createdAt),
    updated_at: iso(payment.updatedAt),
  };
}

/**
 * What a payer may see of a payment: the merchant's view without why its risk rules judged the
 * confirm as they did, which would teach a card tester the rules. A block reads as a decline.
 */
export function payerPaymentView(payment: Payment, sessionId: string) {
  const view = paymentView(payment, sessionId);
  return {
    ...view,
    last_error: payerError(view.last_error),
    charges: view.charges.map((charge) => ({
      ...charge,
      risk: null,
      failure_message:
        charge.failure_code === "risk_blocked" ? RISK_DECLINE.message : charge.failure_message,
    })),
  };
}

const RISK_DECLINE = { code: "risk_blocked", message: "The payment was declined." };

const payerError = (error: ProblemDetail | null) =>
  error?.code === "risk_blocked" ? RISK_DECLINE : error;

/** The 3DS redirect the payer must follow, when the payment waits on one. */
export function nextAction(snapshot: CheckoutSnapshot) {
  const charge = snapshot.context.payment?.charges.at(-1);
  if (snapshot.value !== "requires_action" || !charge?.nextActionUrl) return null;
  return { type: "redirect_user_to_url", url: charge.nextActionUrl } as const;
}

/**
 * The merchant's view. `url` and `token` are the payer's way in while the session is open, and
 * null once it is final (a closed session has no live payer link).
 */
export function sessionView(
  snapshot: CheckoutSnapshot,
  details: SessionDetails,
  dialect: Pick<Dialect, "viewFields">,
  token: string | null = null,
) {
  const { context } = snapshot;
  const open = !isClosed(snapshot);
  return {
    id: context.id,
    object: "checkout_session",
    status: sessionStatus(snapshot),
    amount: context.amount,
    currency: context.currency,
    url: open ? details.url : null,
    token: open ? token : null,
    return_url: context.returnUrl,
    cancel_url: context.cancelUrl,
    metadata: context.metadata,
    customer: details.customer,
    line_items: details.lineItems,
    capture_method: context.captureMethod,
    secure_mode: context.secureMode,
    custom_fields: details.customFields,
    // From the accepted confirm (sessions from before it kept them beside the machine).
    custom_field_values: { ...details.customFieldValues, ...context.customFieldValues },
    ...dialect.viewFields(details),
    payment: context.payment && paymentView(context.payment, context.id),
    closed_reason: context.closedReason,
    created_at: iso(context.createdAt),
    updated_at: iso(context.updatedAt),
    expires_at: iso(context.expiresAt),
  };
}

function payerMethod(charge: Charge | undefined) {
  const method = charge?.paymentMethod;
  if (method === undefined) return null;
  return method.type === "card"
    ? { type: "card" as const, brand: method.brand, last4: method.last4 }
    : { type: "bank_transfer" as const, bank_id: method.bankId };
}

/** What the payer's page may show: enough to pay, nothing the merchant keeps to itself. */
export function publicView(snapshot: CheckoutSnapshot, details: SessionDetails) {
  const { context } = snapshot;
  const payment = context.payment;
  return {
    id: context.id,
    object: "checkout_session.public",
    status: sessionStatus(snapshot),
    /** Null until the payer chooses it (sessions created without an amount). */
    amount: context.amount,
    /** What the payer may choose, in minor units, while `amount` is null; else null. */
    amount_limits: context.amount === null ? (details.amountLimits ?? null) : null,
    currency: context.currency,
    merchant: {
      name: details.merchant.name,
      logo_url: details.merchant.logoUrl,
      brand_color: details.merchant.brandColor ?? null,
    },
    line_items: details.lineItems,
    custom_fields: details.customFields,
    payer_fields: payerFieldsOf(details),
    /** The pages' language: `auto` (the browser's) or the merchant's choice, e.g. `tr-TR`. */
    locale: details.locale ?? "auto",
    /** A sandbox merchant's session: no real money moves, and the pages say so. */
    test_mode: details.merchant.sandbox ?? false,
    /**
     * The payer's country (alpha-2): the merchant's word for it at create (StableMint
     * `userCountryCode`), else the billing address of the payer's accepted confirm; else null.
     */
    payer_country: details.payerCountry ?? context.payer.billingAddress?.country ?? null,
    return_url: context.returnUrl,
    cancel_url: context.cancelUrl,
    ...payerOptions(details),
    expires_at: iso(context.expiresAt),
    payment: payment && {
      status: payment.status,
      last_error: payerError(payment.lastError),
      attempts_left: context.maxPaymentAttempts - context.paymentAttempts,
      // What a receipt shows of the method last tried: brand and last4, or the bank.
      payment_method: payerMethod(payment.charges.at(-1)),
    },
    next_action: nextAction(snapshot),
  };
}

/**
 * What the payer's view adds: where the payer goes on failure and for help (the session's own
 * support page, else the merchant's), and the methods offered, with each bank to choose
 * (`payment_methods` is null for sessions that accept any card and bank id).
 */
function payerOptions(details: SessionDetails) {
  const offered = details.paymentMethods;
  return {
    error_url: details.failureUrl,
    support_url: details.supportUrl ?? details.merchant.supportUrl ?? null,
    payment_methods:
      offered === undefined
        ? null
        : [
            ...(offered.card ? [{ type: "card" as const, banks: null }] : []),
            ...(offered.banks.length > 0
              ? [
                  {
                    type: "bank_transfer" as const,
                    banks: offered.banks.map((bank) => {
                      const saved = details.savedBanks?.find((s) => s.bankId === bank.id);
                      return {
                        id: bank.id,
                        name: bank.name,
                        country: bank.country,
                        logo_url: bank.logoUrl,
                        /** Set when this payer paid through the bank before. */
                        last_used_at: saved ? iso(saved.lastUsedAt) : null,
                      };
                    }),
                  },
                ]
              : []),
          ],
  };
}
