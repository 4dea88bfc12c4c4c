/**
 * A new session as a dialect hands it to the session object: the normalized spec (what every
 * dialect's request means) and the arguments of `create`.
 */
import type { Merchant } from "./merchants.js";
import type { OfferedPaymentMethods } from "./providers/payment-methods.js";
import type { PayerFields, SessionDetails } from "./session-details.js";
import type { StablemintDetails } from "./stablemint/details.js";
import type { SavedBank } from "./stablemint/saved-banks.js";

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
  paymentMethods?: OfferedPaymentMethods;
  /** A StableMint request's own details: the session answers in that dialect. */
  stablemint?: StablemintDetails;
}

export interface CreateArgs {
  merchant: Merchant;
  spec: SessionSpec;
  /** The user's saved banks (read by the Worker before): listed first to the payer. */
  savedBanks?: SavedBank[];
  /** A StableMint session's `sessionId` (the UUID its object is named by). */
  stablemintSessionId?: string;
  /** Hash of the request body: a retry with the same idempotency key must match it. */
  fingerprint: string;
  origin: string;
  requestId: string;
}
