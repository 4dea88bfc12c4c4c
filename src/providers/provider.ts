/**
 * The provider adapter interface. A provider executes one charge; its answer becomes a machine
 * event. Card details reach a provider only in memory, for the call, and are never stored.
 */

import type { CardDetails } from "../core/confirm-input.js";

export type { CardDetails };

export interface AuthorizeRequest {
  /** Our charge id: the provider's idempotency key, and how status and capture refer to it. */
  chargeId: string;
  amount: number;
  currency: string;
  captureMethod: "automatic" | "manual";
  secureMode: boolean;
  paymentMethod: { type: "card"; card: CardDetails } | { type: "bank_transfer"; bankId: string };
  /** Where the payer goes after a 3DS challenge. */
  challengeReturnUrl: string;
}

export interface RefundRequest {
  /** The charge the money goes back from. */
  chargeId: string;
  /** Our refund id: the provider's idempotency key. */
  refundId: string;
  amount: number;
  currency: string;
  reason: string | null;
}

export type ProviderOutcome =
  | { type: "succeeded" }
  | { type: "authorized" }
  | { type: "requires_action"; url: string }
  | { type: "declined"; code: string; message: string }
  /** A retryable error: the next provider in the routing list gets a chance. */
  | { type: "failed"; code: string; message: string }
  /** Accepted, result later: the watchdog will ask for status. */
  | { type: "pending" }
  /** No answer at all (timeout, lost connection): the watchdog will ask for status. */
  | { type: "silent" };

export interface Provider {
  authorize(request: AuthorizeRequest): Promise<ProviderOutcome>;
  /** The payer finished the challenge; the provider tells whether it passed. */
  completeAction(chargeId: string): Promise<ProviderOutcome>;
  status(chargeId: string): Promise<ProviderOutcome>;
  capture(chargeId: string): Promise<ProviderOutcome>;
  /** `succeeded`: the money is on its way back; `declined` or `failed`: the refund was not made. */
  refund(request: RefundRequest): Promise<ProviderOutcome>;
}
