/**
 * The session's stored model beside the machine: what a session keeps from its creation
 * (presentation, the payer's entry page, where its payer goes, what its dialect keeps of the
 * request) and the rules read off it. Stored as JSON and parsed with zod on every restore:
 * stored data is input too.
 */
import * as z from "zod";
import type { CheckoutSnapshot } from "../../machines/index.js";
import { RiskSettings } from "./risk.js";
import { RoutingRules } from "./routing.js";

const Nullable = z.string().nullable();

const FieldRequirement = z.enum(["required", "optional", "hidden"]);
/** Whether the payer's page asks for a detail, and whether it may be left empty. */
export type FieldRequirement = z.infer<typeof FieldRequirement>;

const PayerFields = z.object({
  name: FieldRequirement,
  email: FieldRequirement,
  phone: FieldRequirement,
  billing_address: FieldRequirement,
  /** Shown with "same as billing" when the billing address is asked for too. */
  shipping_address: FieldRequirement,
});
export type PayerFields = z.infer<typeof PayerFields>;

const OfferedBank = z.object({
  id: z.string(),
  number: z.number().int(),
  name: z.string(),
  country: z.string(),
  logoUrl: z.string(),
});

/** A bank this payer paid through before, and when last (epoch ms). */
export const SavedBank = z.object({ bankId: z.string(), lastUsedAt: z.number() });
export type SavedBank = z.infer<typeof SavedBank>;

export const SessionDetails = z.object({
  /** The merchant's branding as it was when the session was created. */
  merchant: z.object({
    id: z.string(),
    name: z.string(),
    logoUrl: Nullable,
    brandColor: Nullable.optional(),
    /** The merchant's help page (`PATCH /v1/merchant`), when a session names none of its own. */
    supportUrl: Nullable.optional(),
    /**
     * Every provider was a sandbox one (no real money moves): the pages show "Test mode".
     * Absent on sessions from before it was kept (they live a day at most): no badge.
     */
    sandbox: z.boolean().optional(),
  }),
  /**
   * Where the payer goes with `?token=`: the merchant's own page (semi-hosted), else our hosted
   * page. Sessions created before `origin` was kept stored the hosted token link here.
   */
  url: z.string(),
  /** This service's origin when the session was created: pages, challenge returns, logos. */
  origin: z.string().optional(),
  /** The merchant's routing rules when the session was created; absent: none. */
  routingRules: RoutingRules.optional(),
  /** The merchant's risk thresholds when the session was created; absent: the defaults. */
  risk: RiskSettings.optional(),
  customer: z
    .object({
      email: z.string().optional(),
      name: z.string().optional(),
      phone: z.string().optional(),
    })
    .nullable(),
  lineItems: z
    .array(z.object({ name: z.string(), quantity: z.number(), unit_amount: z.number() }))
    .nullable(),
  customFields: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      type: z.enum(["text", "number"]),
      optional: z.boolean(),
    }),
  ),
  /** What the payer entered in them: only sessions from before CONFIRM carried them. */
  customFieldValues: z.record(z.string(), z.string()).default({}),
  /** Which payer details the page asks for; absent on sessions that did not choose. */
  payerFields: PayerFields.optional(),
  /** The methods (and banks) the payer may use; absent: any card and any bank id. */
  paymentMethods: z.object({ card: z.boolean(), banks: z.array(OfferedBank) }).optional(),
  /** Where a payer goes once the session has failed; null: back to the page to see why. */
  failureUrl: Nullable.default(null),
  /** The session's own help page, before the merchant's. */
  supportUrl: Nullable.default(null),
  /** What the payer may choose, in minor units, when the session was made without an amount. */
  amountLimits: z.object({ min: z.number(), max: z.number() }).optional(),
  /**
   * The payer pages' language as the merchant chose it (`auto`, `de`, `tr-TR`, …); absent
   * (sessions from before it, or that did not choose): `auto`, the browser's.
   */
  locale: z.string().optional(),
  /** The payer's country (alpha-2) as the merchant gave it, e.g. StableMint's `userCountryCode`. */
  payerCountry: z.string().optional(),
  /** Banks this payer used before, most recent first. */
  savedBanks: z.array(SavedBank).optional(),
  /**
   * The API dialect the session was created through, and what that dialect keeps of its request
   * (its own schema parses `data`); absent: the checkout API, which keeps nothing more.
   */
  dialect: z.object({ name: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
});
export type SessionDetails = z.infer<typeof SessionDetails>;

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

/** A session as its object keeps it: the machine's snapshot, the details beside it, and how it
 * was created (the request's fingerprint and the answer replayed for its idempotency key). */
export interface StoredSession {
  snapshot: CheckoutSnapshot;
  details: SessionDetails;
  fingerprint: string;
  createResponse: string;
}

/** Who or what caused a transition, so support can trace any outcome. */
export interface Cause {
  kind: "merchant" | "payer" | "provider" | "alarm";
  requestId: string | null;
}
