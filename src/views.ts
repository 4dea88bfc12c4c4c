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
  sessionStatus,
} from "../machines/index.js";
import type { OfferedPaymentMethods } from "./providers/payment-methods.js";
import type { CreateCheckoutSession } from "./schemas.js";
import type { SavedBank } from "./stablemint/saved-banks.js";
import type { StablemintDetails } from "./stablemint/session.js";
import { payerOptions, stablemintSessionView } from "./stablemint/views.js";

/** What the session object keeps beside the machine: presentation data fixed at creation. */
export interface SessionDetails {
  /** The merchant's branding as it was when the session was created. */
  merchant: {
    id: string;
    name: string;
    logoUrl: string | null;
    brandColor?: string | null;
    /** The merchant's help page (`PATCH /v1/merchant`), when a session names none of its own. */
    supportUrl?: string | null;
  };
  /**
   * Where the payer goes with `?token=`: the merchant's own page (semi-hosted), else our hosted
   * page. Sessions created before `origin` was kept stored the hosted token link here.
   */
  url: string;
  /** This service's origin when the session was created: pages, challenge returns, logos. */
  origin?: string;
  customer: CreateCheckoutSession["customer"] | null;
  lineItems: CreateCheckoutSession["line_items"] | null;
  customFields: CreateCheckoutSession["custom_fields"];
  customFieldValues: Record<string, string>;
  /** Which payer details the page asks for; absent on sessions that did not choose. */
  payerFields?: PayerFields;
  /** The methods (and banks) the payer may use; absent: any card and any bank id. */
  paymentMethods?: OfferedPaymentMethods;
  /** Set on sessions created through the StableMint dialect (src/stablemint/). */
  stablemint?: StablemintDetails;
  /** Banks this payer used before (StableMint `userId`), most recent first. */
  savedBanks?: SavedBank[];
}

/** Whether the payer's page asks for a detail, and whether it may be left empty. */
export type FieldRequirement = "required" | "optional" | "hidden";

export interface PayerFields {
  name: FieldRequirement;
  email: FieldRequirement;
  phone: FieldRequirement;
  billing_address: FieldRequirement;
  /** Shown with "same as billing" when the billing address is asked for too. */
  shipping_address: FieldRequirement;
}

/** A cardholder name and an email for the receipt; addresses and phone only when asked for. */
export const DEFAULT_PAYER_FIELDS: PayerFields = {
  name: "required",
  email: "required",
  phone: "hidden",
  billing_address: "hidden",
  shipping_address: "hidden",
};

/** Our hosted page's entry: `${url}?token=${token}` opens it, as a merchant's own page does. */
export const hostedUrl = (origin: string) => `${origin}/pay`;

/** The service origin a session was created on. */
export const originOf = (details: SessionDetails) => details.origin ?? new URL(details.url).origin;

/**
 * The payer details still to ask for: the merchant's choice (or the default), where a required
 * detail the session already knows (its `customer`) need not be given again. The page asks for
 * exactly these, and a confirm must carry every `required` one.
 */
export function payerFieldsOf(details: SessionDetails): PayerFields {
  const fields = details.payerFields ?? DEFAULT_PAYER_FIELDS;
  const known = (value: string | undefined, field: FieldRequirement) =>
    field === "required" && value !== undefined ? "optional" : field;
  return {
    ...fields,
    name: known(details.customer?.name, fields.name),
    email: known(details.customer?.email, fields.email),
    phone: known(details.customer?.phone, fields.phone),
  };
}

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
    created_at: iso(charge.createdAt),
  };
}

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
    charges: payment.charges.map(chargeView),
    created_at: iso(payment.createdAt),
    updated_at: iso(payment.updatedAt),
  };
}

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
    custom_field_values: details.customFieldValues,
    stablemint: stablemintSessionView(details),
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
    amount_limits: context.amount === null ? (details.stablemint?.amountLimits ?? null) : null,
    currency: context.currency,
    merchant: {
      name: details.merchant.name,
      logo_url: details.merchant.logoUrl,
      brand_color: details.merchant.brandColor ?? null,
    },
    line_items: details.lineItems,
    custom_fields: details.customFields,
    payer_fields: payerFieldsOf(details),
    return_url: context.returnUrl,
    cancel_url: context.cancelUrl,
    // error_url, support_url and the offered payment_methods (StableMint sessions).
    ...payerOptions(details),
    expires_at: iso(context.expiresAt),
    payment: payment && {
      status: payment.status,
      last_error: payment.lastError,
      attempts_left: context.maxPaymentAttempts - context.paymentAttempts,
      // What a receipt shows of the method last tried: brand and last4, or the bank.
      payment_method: payerMethod(payment.charges.at(-1)),
    },
    next_action: nextAction(snapshot),
  };
}
