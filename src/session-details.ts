/**
 * The session's stored model beside the machine: what a session keeps from its creation
 * (presentation, the payer's entry page, the dialect's own details) and the rules read off it.
 */
import type { OfferedPaymentMethods } from "./providers/payment-methods.js";
import type { CreateCheckoutSession } from "./schemas.js";
import type { StablemintDetails } from "./stablemint/details.js";
import type { SavedBank } from "./stablemint/saved-banks.js";

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
