/**
 * Webhook delivery as pure data: when the next attempt is due, and what an attempt's outcome does.
 *
 * Delivery is at-least-once and ordered per session: only the oldest pending event of a session is
 * ever attempted (`headOfLine`), so a receiver sees sequence numbers in order.
 */
import type { EndpointResult } from "./checkout-session.events.js";
import type {
  CheckoutContext,
  Delivery,
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

/** A receiver's `Retry-After` is honoured up to this; a longer one would outlast the schedule. */
export const MAX_RETRY_AFTER_MS = 8 * HOUR;

/** A new event is due at once: the session object attempts it right after persisting it. */
export function newDelivery(at: number): Delivery {
  return { status: "pending", attempts: [], settledFor: [], failuresInRow: 0, nextAttemptAt: at };
}

/**
 * What an endpoint's answer means: a 2xx acknowledges the event, 410 Gone says the endpoint is
 * gone for good (it is disabled, not retried), and anything else, or no answer, is a failure.
 */
export function verdict(result: EndpointResult): "acknowledged" | "gone" | "failed" {
  if (result.error !== null || result.statusCode === null) return "failed";
  if (result.statusCode >= 200 && result.statusCode < 300) return "acknowledged";
  return result.statusCode === 410 ? "gone" : "failed";
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

/**
 * Records one attempt (one POST per endpoint still awaited). When no endpoint failed, the event
 * is done: `delivered` if any endpoint ever acknowledged it, else `skipped`. Otherwise the next
 * attempt is scheduled, no sooner than a receiver's `Retry-After` asked, or, once the schedule
 * is spent, the event is marked `failed` (it can still be redelivered by hand).
 */
export function recordAttempt(
  delivery: Delivery,
  at: number,
  results: readonly EndpointResult[],
): Delivery {
  const attempts = [
    ...delivery.attempts,
    ...results.map(({ endpointId, statusCode, latencyMs, error }, i) => ({
      at,
      endpointId,
      ok: verdict(results[i] as EndpointResult) === "acknowledged",
      statusCode,
      latencyMs,
      error,
    })),
  ];
  const settledFor = [
    ...delivery.settledFor,
    ...results.filter((r) => verdict(r) !== "failed").map((r) => r.endpointId),
  ];
  const failures = results.filter((r) => verdict(r) === "failed");
  if (failures.length === 0) {
    const status = attempts.some((a) => a.ok) ? "delivered" : "skipped";
    return { status, attempts, settledFor, failuresInRow: 0, nextAttemptAt: null };
  }
  const failuresInRow = delivery.failuresInRow + 1;
  const wait = RETRY_SCHEDULE_MS[failuresInRow - 1];
  if (wait === undefined) {
    return { status: "failed", attempts, settledFor, failuresInRow, nextAttemptAt: null };
  }
  const retryAfter = Math.min(
    MAX_RETRY_AFTER_MS,
    Math.max(0, ...failures.map((r) => r.retryAfterMs ?? 0)),
  );
  return {
    status: "pending",
    attempts,
    settledFor,
    failuresInRow,
    nextAttemptAt: at + Math.max(wait, retryAfter),
  };
}

/**
 * A manual redelivery starts the schedule afresh and sends the event to every subscribed
 * endpoint again (same id, so receivers can tell it is a repeat), keeping earlier attempts.
 */
export function redeliver(delivery: Delivery, at: number): Delivery {
  return {
    status: "pending",
    attempts: delivery.attempts,
    settledFor: [],
    failuresInRow: 0,
    nextAttemptAt: at,
  };
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
