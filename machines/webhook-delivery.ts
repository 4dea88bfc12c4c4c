/**
 * Webhook delivery as pure data: when the next attempt is due, and what an attempt's outcome does.
 *
 * Delivery is at-least-once and ordered per session: only the oldest pending event of a session is
 * ever attempted (`headOfLine`), so a receiver sees sequence numbers in order.
 */
import type {
  CheckoutContext,
  Delivery,
  DeliveryAttempt,
  OutboxEvent,
  WebhookEventType,
} from "./checkout-session.schema.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Wait before each retry, counted from the failed attempt. The first retry comes within seconds;
 * together they span about a day (23 h 42 min) before an event is marked failed for good.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  1 * HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  8 * HOUR,
];

/** The first attempt plus one per scheduled retry. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

/** A new event is due at once: the session object attempts it right after persisting it. */
export function newDelivery(at: number): Delivery {
  return { status: "pending", attempts: [], failuresInRow: 0, nextAttemptAt: at };
}

/** The one event of a session that may be attempted now (in sequence order), if any. */
export function headOfLine(outbox: readonly OutboxEvent[]): OutboxEvent | undefined {
  let head: OutboxEvent | undefined;
  for (const event of outbox) {
    if (event.delivery.status !== "pending") continue;
    if (head === undefined || event.sequence < head.sequence) head = event;
  }
  return head;
}

export function recordDelivered(delivery: Delivery, attempt: DeliveryAttempt): Delivery {
  return {
    status: "delivered",
    attempts: [...delivery.attempts, attempt],
    failuresInRow: 0,
    nextAttemptAt: null,
  };
}

/**
 * A failed attempt schedules the next one, no sooner than the receiver's `Retry-After` asked,
 * or marks the delivery failed for good once the schedule is spent.
 */
export function recordFailed(
  delivery: Delivery,
  attempt: DeliveryAttempt,
  retryAfterMs: number | null,
): Delivery {
  const failuresInRow = delivery.failuresInRow + 1;
  const attempts = [...delivery.attempts, attempt];
  const wait = RETRY_SCHEDULE_MS[failuresInRow - 1];
  if (wait === undefined) {
    return { status: "failed", attempts, failuresInRow, nextAttemptAt: null };
  }
  const nextAttemptAt = attempt.at + Math.max(wait, retryAfterMs ?? 0);
  return { status: "pending", attempts, failuresInRow, nextAttemptAt };
}

/** A manual redelivery starts the schedule afresh, keeping the history of earlier attempts. */
export function redeliver(delivery: Delivery, at: number): Delivery {
  return { status: "pending", attempts: delivery.attempts, failuresInRow: 0, nextAttemptAt: at };
}

/** Appends webhook events to the outbox, each with a stable id and the next sequence number. */
export function emit(
  context: CheckoutContext,
  at: number,
  ...events: Array<WebhookEventType | [WebhookEventType, string]>
): Pick<CheckoutContext, "outbox"> {
  const outbox = [...context.outbox];
  for (const entry of events) {
    const [type, chargeId] = typeof entry === "string" ? [entry, null] : entry;
    const sequence = outbox.length + 1;
    const event: OutboxEvent = {
      id: `evt_${context.id}_${sequence}`,
      sequence,
      type,
      createdAt: at,
      chargeId,
      delivery: newDelivery(at),
    };
    outbox.push(event);
  }
  return { outbox };
}
