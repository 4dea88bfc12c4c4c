/** What a StableMint session keeps of its request beside the core's stored model. */
import type { AmountLimits, Flow, UserKyc } from "./body.js";

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
