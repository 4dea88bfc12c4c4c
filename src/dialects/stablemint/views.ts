/**
 * How StableMint sessions look on the wire: the two create responses in that API's shapes
 * (times in Unix seconds, camelCase), and what the checkout API's views and the webhooks add for
 * such sessions. Pure functions of the snapshot, the stored details and the dialect's own data.
 */
import type { CheckoutSnapshot } from "../../../machines/index.js";
import { originOf, type SavedBank, type SessionDetails } from "../../core/details.js";
import { countryName } from "../../countries.js";
import type { OfferedPaymentMethods } from "../../providers/payment-methods.js";
import type { StablemintData } from "./details.js";

const unixSeconds = (ms: number) => Math.floor(ms / 1000);

/**
 * StableMint's integer payment method identifiers (README lists them): the API documents
 * `paymentMethod` as an integer.
 */
export const PAYMENT_METHOD_IDS = { card: 1, bank_transfer: 2 } as const;

/**
 * `allowedPaymentMethods`: card, and bank transfer with the countries it has banks in.
 *
 * @example
 * allowedPaymentMethods(offered);
 * // [{ paymentMethod: 1 }, { paymentMethod: 2, countryCodes: [{ code: "DE", name: "Germany" }, …] }]
 */
export function allowedPaymentMethods(offered: OfferedPaymentMethods) {
  const countries = [...new Set(offered.banks.map((bank) => bank.country))].sort();
  return [
    ...(offered.card ? [{ paymentMethod: PAYMENT_METHOD_IDS.card }] : []),
    ...(countries.length > 0
      ? [
          {
            paymentMethod: PAYMENT_METHOD_IDS.bank_transfer,
            countryCodes: countries.map((code) => ({ code, name: countryName(code) })),
          },
        ]
      : []),
  ];
}

/** `savedBanks`: the user's banks this session still offers, most recently used first. */
export function savedBanksView(saved: readonly SavedBank[], offered: OfferedPaymentMethods) {
  return saved.flatMap(({ bankId, lastUsedAt }) => {
    const bank = offered.banks.find((b) => b.id === bankId);
    if (bank === undefined) return [];
    return [
      {
        country: bank.country,
        logo: bank.logoUrl,
        bankName: bank.name,
        bankId: bank.number,
        lastUsed: unixSeconds(lastUsedAt),
        // Saved only by a payment through it that succeeded.
        validated: true,
      },
    ];
  });
}

/**
 * The create response, kept by the session object and replayed for its idempotency key:
 * hosted `{ url, expiresAt, reference }`, where `url` carries the payer's token; embedded
 * `{ sessionId, expiresAt, allowedPaymentMethods, savedBanks, reference }`, where `sessionId`
 * is the UUID that opens the session (the widget's `sessionId`).
 */
export function stablemintCreated(
  snapshot: CheckoutSnapshot,
  details: SessionDetails,
  data: StablemintData,
  token: string,
) {
  const { context } = snapshot;
  const expiresAt = unixSeconds(context.expiresAt);
  if (data.flow === "hosted") {
    return { url: `${originOf(details)}/pay/${token}`, expiresAt, reference: context.id };
  }
  const offered = details.paymentMethods ?? { card: true, banks: [] };
  return {
    sessionId: data.sessionId ?? "",
    expiresAt,
    allowedPaymentMethods: allowedPaymentMethods(offered),
    savedBanks: savedBanksView(details.savedBanks ?? [], offered),
    reference: context.id,
  };
}

/** The StableMint part of the merchant's view of a session (no KYC data). */
export function stablemintSessionView(data: StablemintData) {
  return {
    flow: data.flow,
    user_id: data.userId,
    user_email: data.userEmail,
    user_country_code: data.userCountryCode,
    website_reference: data.websiteReference,
    custom_fields: data.customFields,
    success_url: data.successUrl,
    support_url: data.supportUrl,
    exit_url: data.exitUrl,
    error_url: data.errorUrl,
  };
}

/**
 * What every webhook body of a StableMint session carries at its top level, beside `data`:
 * `reference` (the session id), and the merchant's `websiteReference` and `customFields`.
 */
export function notificationFields(snapshot: CheckoutSnapshot, data: StablemintData) {
  return {
    reference: snapshot.context.id,
    websiteReference: data.websiteReference,
    customFields: data.customFields,
  };
}
