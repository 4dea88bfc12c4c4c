/**
 * How StableMint sessions look on the wire: the two create responses in that API's shapes
 * (times in Unix seconds, camelCase), and what the checkout API's views, the payer's page and
 * the webhooks add for such sessions. Pure functions of the snapshot and the stored details.
 */
import type { CheckoutSnapshot } from "../../machines/index.js";
import { countryName } from "../countries.js";
import type { OfferedPaymentMethods } from "../providers/payment-methods.js";
import { originOf, type SessionDetails } from "../session-details.js";
import type { StablemintDetails } from "./details.js";
import type { SavedBank } from "./saved-banks.js";

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
  details: SessionDetails & { stablemint: StablemintDetails },
  payer: { token: string; sessionId: string; saved: readonly SavedBank[] },
) {
  const { context } = snapshot;
  const expiresAt = unixSeconds(context.expiresAt);
  if (details.stablemint.flow === "hosted") {
    return { url: `${originOf(details)}/pay/${payer.token}`, expiresAt, reference: context.id };
  }
  const saved = payer.saved;
  const offered = details.paymentMethods ?? { card: true, banks: [] };
  return {
    sessionId: payer.sessionId,
    expiresAt,
    allowedPaymentMethods: allowedPaymentMethods(offered),
    savedBanks: savedBanksView(saved, offered),
    reference: context.id,
  };
}

/** The StableMint part of the merchant's view of a session (no KYC data), or null. */
export function stablemintSessionView(details: SessionDetails) {
  const sm = details.stablemint;
  if (sm === undefined) return null;
  return {
    flow: sm.flow,
    user_id: sm.userId,
    user_email: sm.userEmail,
    user_country_code: sm.userCountryCode,
    website_reference: sm.websiteReference,
    custom_fields: sm.customFields,
    success_url: sm.successUrl,
    support_url: sm.supportUrl,
    exit_url: sm.exitUrl,
    error_url: sm.errorUrl,
  };
}

/**
 * What the payer's view adds: the merchant's error and support pages (its success and exit
 * pages are `return_url` and `cancel_url`; the support page is the session's StableMint
 * `supportUrl`, else the merchant's own), and the methods offered, with each bank to choose
 * (`payment_methods` is null for sessions that accept any card and bank id).
 */
export function payerOptions(details: SessionDetails) {
  const offered = details.paymentMethods;
  return {
    error_url: details.stablemint?.errorUrl ?? null,
    support_url: details.stablemint?.supportUrl ?? details.merchant.supportUrl ?? null,
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
                        last_used_at: saved ? new Date(saved.lastUsedAt).toISOString() : null,
                      };
                    }),
                  },
                ]
              : []),
          ],
  };
}

/**
 * What every webhook body of a StableMint session carries at its top level, beside `data`:
 * `reference` (the session id), and the merchant's `websiteReference` and `customFields`.
 */
export function notificationFields(snapshot: CheckoutSnapshot, details: SessionDetails) {
  const sm = details.stablemint;
  if (sm === undefined) return {};
  return {
    reference: snapshot.context.id,
    websiteReference: sm.websiteReference,
    customFields: sm.customFields,
  };
}
