/**
 * A StableMint request as the session every dialect creates: the normalized spec the session
 * object takes (amount in minor units, the success and exit URLs as its return and cancel URLs,
 * the user as its customer) and the dialect's own details, kept beside the machine for the
 * redirects, the payer's page and the notifications.
 */

import type { SessionSpec } from "../../core/spec.js";
import type { OfferedPaymentMethods } from "../../providers/payment-methods.js";
import type { AmountLimits, StablemintRequest } from "./body.js";
import { STABLEMINT, type StablemintData } from "./details.js";

/** How long a StableMint session stays open: the API has no field for it. */
export const STABLEMINT_SESSION_SECONDS = 3600;

/**
 * `limits`: the amounts the merchant takes, kept for the payer to choose within when the request
 * has no amount.
 *
 * @example
 * stablemintSpec(request, offered, limits, sessionId).returnUrl === request.successUrl;
 */
export function stablemintSpec(
  request: StablemintRequest,
  paymentMethods: OfferedPaymentMethods,
  limits: AmountLimits,
  sessionId: string,
): SessionSpec {
  const kyc = request.userKyc;
  const data: StablemintData = {
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
    sessionId,
  };
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
    failureUrl: request.errorUrl,
    supportUrl: request.supportUrl,
    ...(request.amount === null && { amountLimits: limits }),
    payerCountry: request.userCountryCode,
    dialect: { name: STABLEMINT, data },
  };
}
