/**
 * The shop's orders, kept in memory (Maps): enough for an example, gone on restart. A real shop
 * keeps them in its database, with the processed webhook ids beside them in the same transaction.
 *
 * An order learns its checkout session when the shop creates it, and its payment when the
 * service first names it (the create answers `payment: null`: the payment is made by the payer's
 * first confirm), from a webhook or from the return page's look-up.
 */
import type { WebhookEventType } from "edge-checkout/client";

export type OrderStatus = "pending" | "paid" | "failed" | "expired" | "cancelled";

/** How a webhook's `requestId` was matched to this order's own history. */
export type Trace =
  /** The request that created the session (the shop's own `request-id`). */
  | "create_request"
  /** A later request, recorded in the session's journal (the payer's confirm, a provider answer, an alarm). */
  | "journal"
  /** Found nowhere: logged loudly (the signature still proves the event is the service's). */
  | "unmatched";

/** A webhook event applied to the order (the first delivery of each `webhook-id` only). */
export interface AppliedEvent {
  webhookId: string;
  type: WebhookEventType;
  requestId: string | null;
  trace: Trace;
  /** The journal entry the request id was found in, when it was. */
  journalSeq: number | null;
  statusBefore: OrderStatus;
  statusAfter: OrderStatus;
  receivedAt: string;
}

/** Every verified delivery that named the order, duplicates included. */
export interface Delivery {
  webhookId: string;
  type: WebhookEventType;
  outcome: "applied" | "duplicate";
  receivedAt: string;
}

export interface Order {
  id: string;
  product: string;
  /** Minor units. */
  amount: number;
  currency: string;
  status: OrderStatus;
  sessionId: string | null;
  paymentId: string | null;
  /** The `request-id` the shop sent with the create, and its `Idempotency-Key`. */
  createRequestId: string;
  idempotencyKey: string;
  createdAt: string;
  updatedAt: string;
  events: AppliedEvent[];
}

/** What each event type does to an order; the other types are recorded and change nothing. */
const OUTCOME: Partial<Record<WebhookEventType, OrderStatus>> = {
  "payment.succeeded": "paid",
  "payment.authorized": "paid",
  "checkout_session.completed": "paid",
  "payment.failed": "failed",
  "checkout_session.failed": "failed",
  "checkout_session.expired": "expired",
  "checkout_session.cancelled": "cancelled",
};

/**
 * The order's status after an event. Forward only: `paid` is final, and a closed order (failed,
 * expired, cancelled) moves only to `paid` (money that arrived late must not be lost, and the
 * service flags such a payment `paid_after_close` for a refund).
 */
export function statusAfter(current: OrderStatus, type: WebhookEventType): OrderStatus {
  const target = OUTCOME[type];
  if (target === undefined || current === "paid") return current;
  if (current === "pending" || target === "paid") return target;
  return current;
}

export class Orders {
  readonly #byId = new Map<string, Order>();
  readonly #bySession = new Map<string, Order>();
  readonly #byPayment = new Map<string, Order>();
  readonly #deliveries = new Map<string, Delivery[]>();

  create(fields: { product: string; amount: number; currency: string }): Order {
    const id = `ord_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const now = new Date().toISOString();
    const order: Order = {
      id,
      ...fields,
      status: "pending",
      sessionId: null,
      paymentId: null,
      createRequestId: `shop_${id}_create`,
      idempotencyKey: `order-${id}`,
      createdAt: now,
      updatedAt: now,
      events: [],
    };
    this.#byId.set(id, order);
    this.#deliveries.set(id, []);
    return order;
  }

  get(id: string): Order | undefined {
    return this.#byId.get(id);
  }

  bySession(sessionId: string): Order | undefined {
    return this.#bySession.get(sessionId);
  }

  byPayment(paymentId: string): Order | undefined {
    return this.#byPayment.get(paymentId);
  }

  linkSession(order: Order, sessionId: string): void {
    order.sessionId = sessionId;
    order.updatedAt = new Date().toISOString();
    this.#bySession.set(sessionId, order);
  }

  linkPayment(order: Order, paymentId: string): void {
    if (order.paymentId === paymentId) return;
    order.paymentId = paymentId;
    order.updatedAt = new Date().toISOString();
    this.#byPayment.set(paymentId, order);
  }

  deliveries(order: Order): Delivery[] {
    return this.#deliveries.get(order.id) ?? [];
  }
}
