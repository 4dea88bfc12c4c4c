/**
 * Everything that can happen to a checkout session. Every event carries `at` (ms since the epoch):
 * the machine never reads a clock, so a journal of events replays to the same state anywhere.
 */
import type {
  Payer,
  PaymentMethodSummary,
  RefundReason,
  RiskAssessment,
  Route,
} from "./checkout-session.schema.js";

export interface At {
  at: number;
}
export interface ChargeResult extends At {
  chargeId: string;
}
export interface ChargeFailure extends ChargeResult {
  code: string;
  message: string;
}
/** What one endpoint answered to one POST of an event (`error` when there was no answer). */
export interface EndpointResult {
  endpointId: string;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  /** The receiver's `Retry-After`, in ms, when it sent one with a 429 or 503. */
  retryAfterMs: number | null;
}

/** A merchant's webhook endpoint, as far as fan-out cares: its id and the event types it wants. */
export interface Subscriber {
  id: string;
  events: readonly string[];
}

export type CheckoutEvent =
  // The payer, through the token link.
  | ({ type: "PAYER_OPENED" } & At)
  | ({ type: "PAYER_DETAILS_UPDATED"; payer: Payer } & At)
  /**
   * `amount` (minor units) is required when the session has none, and fixes it; on a session
   * with an amount it may only repeat that amount (any other is not accepted).
   */
  | ({
      type: "CONFIRM";
      paymentMethod: PaymentMethodSummary;
      payer?: Payer;
      amount?: number;
      /** What the payer entered in the merchant's custom fields, by key. */
      customFieldValues?: Record<string, string>;
      /** The providers a merchant's routing rule chose for this payment method; none: the default. */
      route?: Route;
      /** The merchant's risk rules on this confirm; `block` declines it without a charge sent. */
      risk?: RiskAssessment;
    } & At)
  | ({ type: "ACTION_COMPLETED"; chargeId: string } & At)
  | ({ type: "ACTION_FAILED"; chargeId: string } & At)
  | ({ type: "PAYER_EXITED" } & At)
  // The merchant.
  | ({ type: "CANCEL" } & At)
  | ({ type: "CAPTURE" } & At)
  /** Gives `amount` back from the captured charge; `refundId` is new, and the provider's key. */
  | ({ type: "REFUND"; refundId: string; amount: number; reason: RefundReason | null } & At)
  // A provider's answer to the call in flight (or a late answer to an earlier one).
  | ({ type: "PROVIDER_SUCCEEDED" } & ChargeResult)
  | ({ type: "PROVIDER_AUTHORIZED" } & ChargeResult)
  | ({ type: "PROVIDER_REQUIRES_ACTION"; url: string } & ChargeResult)
  | ({ type: "PROVIDER_PENDING" } & ChargeResult)
  | ({ type: "PROVIDER_DECLINED" } & ChargeFailure)
  /** A retryable error: the next provider in the routing list gets a chance. */
  | ({ type: "PROVIDER_FAILED" } & ChargeFailure)
  // The provider's answer to a refund.
  | ({ type: "REFUND_SUCCEEDED"; refundId: string } & At)
  | ({ type: "REFUND_FAILED"; refundId: string; code: string; message: string } & At)
  // Deadlines, delivered by the session object's alarm.
  | ({ type: "PROVIDER_TIMEOUT" } & At)
  | ({ type: "EXPIRE" } & At)
  // Webhook delivery, per endpoint. Every event due fans out to the endpoints subscribed to its
  // type then (none: skipped); each endpoint's answer to its oldest pending event is recorded;
  // an endpoint disabled or deleted meanwhile is sent nothing more.
  | ({ type: "WEBHOOK_FANNED_OUT"; endpoints: Subscriber[] } & At)
  | ({ type: "WEBHOOK_ATTEMPTED"; eventId: string; result: EndpointResult } & At)
  | ({ type: "WEBHOOK_ENDPOINT_DISABLED"; endpointId: string; reason: string } & At)
  /** By hand, at any time: to one endpoint, or (no `endpointId`) to every one subscribed now. */
  | ({ type: "WEBHOOK_REDELIVER"; eventId: string; endpointId?: string } & At);

export type CheckoutEventType = CheckoutEvent["type"];
