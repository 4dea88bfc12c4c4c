/**
 * A StableMint request as the session every dialect creates: the normalized spec the session
 * object takes (amount in minor units, the success and exit URLs as its return and cancel URLs,
 * the user as its customer) and the dialect's own details, kept beside the machine for the
 * redirects, the payer's page and the notifications.
 */
import type { OfferedPaymentMethods } from "../providers/payment-methods.js";
import type { SessionSpec } from "../session-object.js";
import type { AmountLimits, Flow, StablemintRequest, UserKyc } from "./body.js";

/** How long a StableMint session stays open: the API has no field for it. */
export const STABLEMINT_SESSION_SECONDS = 3600;

/** What a StableMint session keeps of its request beyond the spec. */
export interface StablemintDetails {
  flow: Flow;
  userId: string;
  userEmail: string;
  userCountryCode: string;
  websiteReference: string | null;
  // JSON values; typed loosely, as a recursive type defeats the RPC stub's type mapping.
  customFields: Record<string, unknown> | null;
  /** Kept for the provider's checks; never in any view, page or notification. */
  userKyc: UserKyc | null;
  successUrl: string | null;
  supportUrl: string | null;
  exitUrl: string | null;
  errorUrl: string | null;
  /**
   * Set on an embedded session created without an amount: what the payer may choose, in minor
   * units (the merchant's limits when it was created). Absent from sessions with an amount.
   */
  amountLimits?: AmountLimits;
}

/**
 * `limits`: the amounts the merchant takes, kept for the payer to choose within when the request
 * has no amount.
 *
 * @example
 * stablemintSpec(request, offered, limits).returnUrl === request.successUrl;
 */
export function stablemintSpec(
  request: StablemintRequest,
  paymentMethods: OfferedPaymentMethods,
  limits: AmountLimits,
): SessionSpec {
  const kyc = request.userKyc;
  return {
    amount: request.amount,
    currency: request.currency,
    merchantUrl: null,
    expiresIn: STABLEMINT_SESSION_SECONDS,
    returnUrl: request.successUrl,
    cancelUrl: request.exitUrl,
    metadata: {},
    captureMethod: "automatic",
    secureMode: false,
    customer: {
      email: request.userEmail,
      ...(kyc?.fullName && { name: kyc.fullName }),
      ...(kyc?.mobilePhone && { phone: kyc.mobilePhone }),
    },
    lineItems: null,
    customFields: [],
    paymentMethods,
    stablemint: {
      flow: request.flow,
      userId: request.userId,
      userEmail: request.userEmail,
      userCountryCode: request.userCountryCode,
      websiteReference: request.websiteReference,
      customFields: request.customFields,
      userKyc: request.userKyc,
      successUrl: request.successUrl,
      supportUrl: request.supportUrl,
      exitUrl: request.exitUrl,
      errorUrl: request.errorUrl,
      ...(request.amount === null && { amountLimits: limits }),
    },
  };
}
