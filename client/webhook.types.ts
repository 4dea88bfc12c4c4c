/**
 * Webhook endpoints, the events API and the webhook bodies a receiver verifies: wire types,
 * checked against the service in test/worker/client-types.test.ts.
 */
import type { CheckoutSession, Payment } from "./types.js";

export type CheckoutSessionEventType =
  | "checkout_session.completed"
  | "checkout_session.expired"
  | "checkout_session.cancelled"
  | "checkout_session.failed";

export type PaymentEventType =
  | "payment.requires_action"
  | "payment.authorized"
  | "payment.succeeded"
  | "payment.failed";

export type ChargeEventType = "charge.declined" | "charge.succeeded";

export type RefundEventType = "refund.succeeded" | "refund.failed";

export type WebhookEventType =
  | CheckoutSessionEventType
  | PaymentEventType
  | ChargeEventType
  | RefundEventType;

export type DeliveryStatus = "pending" | "delivered" | "failed" | "skipped";

/** `POST /v1/webhook-endpoints`. */
export interface CreateWebhookEndpointParams {
  /** https (http only on localhost, 127.0.0.1 or [::1]). */
  url: string;
  /** The event types to receive; every type when left out. */
  events?: WebhookEventType[];
}

/** `POST /v1/webhook-endpoints/:id/rotate-secret`. */
export interface RotateWebhookSecretParams {
  /** How long the old secret keeps signing beside the new one: 0 to 604800; 86400 by default. */
  overlap_seconds?: number;
}

export interface WebhookEndpoint {
  id: string;
  object: "webhook_endpoint";
  url: string;
  events: WebhookEventType[];
  /** `disabled` after a `410 Gone` or a spent retry schedule; `enable()` turns it back on. */
  status: "enabled" | "disabled";
  disabled_reason: string | null;
  /** While a rotation's overlap runs, when the old secret stops signing. */
  previous_secret_expires_at: string | null;
  created_at: string;
}

/** The endpoint with its signing secret (`whsec_…`), answered only on create and rotation. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export interface DeletedWebhookEndpoint {
  id: string;
  object: "webhook_endpoint";
  deleted: true;
}

/** `GET /v1/events`. */
export interface ListEventsParams {
  checkout_session_id?: string;
  type?: WebhookEventType;
  delivery_status?: DeliveryStatus;
  /** 1 to 100; 20 by default. */
  limit?: number;
  cursor?: string;
}

/** `POST /v1/events/:id/redeliver`: left out, every endpoint subscribed now. */
export interface RedeliverEventParams {
  endpoint_id?: string;
}

export interface DeliveryAttempt {
  at: string;
  endpoint_id: string | null;
  ok: boolean;
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
}

export interface EndpointDelivery {
  endpoint_id: string;
  status: "pending" | "delivered" | "failed" | "disabled";
  failures_in_row: number;
  next_attempt_at: string | null;
  reason: string | null;
}

export interface EventDelivery {
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  next_attempt_at: string | null;
  /** Each endpoint's own delivery; null until the event first falls due. */
  endpoints: EndpointDelivery[] | null;
}

/** An event as the events API lists it (and answers a redelivery). */
export interface Event {
  id: string;
  object: "event";
  type: WebhookEventType;
  /** Unix seconds. */
  created: number;
  /** Per session, strictly increasing. */
  sequence: number;
  checkout_session_id: string;
  delivery: EventDelivery;
}

/** What `data` carries for each event type: the session, or the payment (and the charge or refund). */
export type WebhookEventData<T extends WebhookEventType> = T extends CheckoutSessionEventType
  ? { object: CheckoutSession }
  : T extends ChargeEventType
    ? { object: Payment; charge_id: string }
    : T extends RefundEventType
      ? { object: Payment; refund_id: string }
      : { object: Payment };

/** `GET /v1/events/:id`: the event with the `data` it is sent with. */
export interface EventWithData extends Event {
  data: WebhookEventData<WebhookEventType>;
}

/** A webhook body of one type; `WebhookEvent` is the union of them all, told apart by `type`. */
export interface WebhookEventOf<T extends WebhookEventType> {
  /** The event id, also the `webhook-id` header: the same on every retry and redelivery. */
  id: string;
  type: T;
  /** Unix seconds. */
  created: number;
  sequence: number;
  checkoutSessionId: string;
  paymentId: string | null;
  /** The request (your `request-id`), alarm (`alarm_…`) or provider answer that caused it. */
  requestId: string | null;
  metadata: Record<string, string>;
  /** StableMint sessions only: the session id. */
  reference?: string;
  /** StableMint sessions only. */
  websiteReference?: string | null;
  /** StableMint sessions only. */
  customFields?: Record<string, unknown> | null;
  /** The object as the API showed it when the event happened (a session's `token` is null). */
  data: WebhookEventData<T>;
}

/**
 * A verified webhook body. Narrow it by `type`:
 *
 * @example
 * if (event.type === "payment.succeeded") await markOrderPaid(event.data.object.id);
 */
export type WebhookEvent = { [T in WebhookEventType]: WebhookEventOf<T> }[WebhookEventType];
