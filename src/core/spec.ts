/**
 * A new session as a dialect hands it to the session object: the normalized spec (what every
 * dialect's request means) and the arguments of `create`.
 */
import type { CheckoutInput } from "../../machines/index.js";
import { hostedUrl, type PayerFields, type SavedBank, type SessionDetails } from "./details.js";
import type { RiskSettings } from "./risk.js";
import type { RoutingRule } from "./routing.js";

/** A new session as any dialect describes it, normalized: amounts in minor units. */
export interface SessionSpec {
  /** Null: the payer chooses it, and their first accepted confirm fixes it (StableMint embedded). */
  amount: number | null;
  currency: string;
  /** The merchant's own checkout page (semi-hosted); null: our hosted page. */
  merchantUrl: string | null;
  /** Seconds from creation until the session expires. */
  expiresIn: number;
  returnUrl: string | null;
  cancelUrl: string | null;
  metadata: Record<string, string>;
  captureMethod: "automatic" | "manual";
  secureMode: boolean;
  customer: SessionDetails["customer"];
  lineItems: SessionDetails["lineItems"];
  customFields: SessionDetails["customFields"];
  /** The payer details the page asks for (and confirm requires); absent: name and email asked. */
  payerFields?: PayerFields;
  /** Restricts the payer to these methods and banks; absent: any card and any bank id. */
  paymentMethods?: SessionDetails["paymentMethods"];
  /** Where the payer goes once the session has failed; null: back to the page. */
  failureUrl: string | null;
  /** The session's own help page for the payer; null: the merchant's. */
  supportUrl: string | null;
  /** What the payer may choose when `amount` is null, in minor units. */
  amountLimits?: { min: number; max: number };
  /** The payer pages' language (`de`, `tr-TR`, …); absent or `auto`: the browser's. */
  locale?: string;
  /** The payer's country (ISO 3166-1 alpha-2) when the request names it (StableMint `userCountryCode`). */
  payerCountry?: string;
  /** The dialect the request came in, and what it keeps of it; absent: the checkout API. */
  dialect?: SessionDetails["dialect"];
}

/** What a session keeps of its merchant, and routes its payment by. */
export interface SessionMerchant {
  id: string;
  name: string;
  logoUrl: string | null;
  brandColor: string | null;
  supportUrl: string | null;
  /** Every provider is a sandbox one: the payer's pages say "Test mode". */
  sandbox: boolean;
  /** Provider names in routing order. */
  providers: string[];
  /** Rules that route a confirm to other providers (src/core/routing.ts); none: `providers`. */
  routingRules?: RoutingRule[];
  /** Its risk thresholds (src/core/risk.ts); absent: the defaults. */
  risk?: RiskSettings;
}

export interface CreateArgs {
  merchant: SessionMerchant;
  spec: SessionSpec;
  /** The payer's saved banks (read by the Worker before): listed first to the payer. */
  savedBanks?: SavedBank[];
  /** Hash of the request body: a retry with the same idempotency key must match it. */
  fingerprint: string;
  origin: string;
  requestId: string;
}

/**
 * What a new session starts from: the machine's input and the details kept beside it.
 *
 * @example
 * const { input, details } = newSession(args, { id: "cs_…", now: Date.now(), providerTimeoutMs: 30_000 });
 */
export function newSession(
  args: CreateArgs,
  at: { id: string; paymentId: string; now: number; providerTimeoutMs: number },
): { input: CheckoutInput; details: SessionDetails } {
  const { spec, merchant, origin } = args;
  const input: CheckoutInput = {
    id: at.id,
    paymentId: at.paymentId,
    merchantId: merchant.id,
    amount: spec.amount,
    currency: spec.currency,
    createdAt: at.now,
    expiresAt: at.now + spec.expiresIn * 1000,
    returnUrl: spec.returnUrl,
    cancelUrl: spec.cancelUrl,
    metadata: spec.metadata,
    captureMethod: spec.captureMethod,
    secureMode: spec.secureMode,
    providers: merchant.providers,
    providerTimeoutMs: at.providerTimeoutMs,
  };
  const details: SessionDetails = {
    merchant: {
      id: merchant.id,
      name: merchant.name,
      logoUrl: merchant.logoUrl,
      brandColor: merchant.brandColor,
      supportUrl: merchant.supportUrl,
      sandbox: merchant.sandbox,
    },
    url: spec.merchantUrl ?? hostedUrl(origin),
    origin,
    customer: spec.customer,
    lineItems: spec.lineItems,
    customFields: spec.customFields,
    customFieldValues: {},
    failureUrl: spec.failureUrl,
    supportUrl: spec.supportUrl,
    ...(spec.amountLimits && { amountLimits: spec.amountLimits }),
    ...(spec.payerFields && { payerFields: spec.payerFields }),
    ...(spec.paymentMethods && { paymentMethods: spec.paymentMethods }),
    ...(spec.locale && { locale: spec.locale }),
    ...(spec.payerCountry && { payerCountry: spec.payerCountry }),
    ...(spec.dialect && { dialect: spec.dialect }),
    ...(args.savedBanks?.length && { savedBanks: args.savedBanks }),
    ...(merchant.routingRules?.length && { routingRules: merchant.routingRules }),
    ...(merchant.risk && { risk: merchant.risk }),
  };
  return { input, details };
}
