/**
 * Webhook delivery as pure data: when each endpoint's next attempt is due, and what an attempt's
 * outcome does.
 *
 * Delivery is at-least-once, per endpoint, and ordered per (session, endpoint): an endpoint is
 * only ever sent the oldest event of the session it has not settled (`headFor`), so it sees
 * sequence numbers in order, and an endpoint that fails holds back no other endpoint.
 */
import type { EndpointResult, Subscriber } from "./checkout-session.events.js";
import type {
  CheckoutContext,
  Delivery,
  EndpointDelivery,
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

/** A new event is due at once: it fans out to the subscribed endpoints when it falls due. */
export function newDelivery(at: number): Delivery {
  return { status: "pending", attempts: [], endpoints: null, nextAttemptAt: at };
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

/** Why an endpoint stopped receiving a session's events after its schedule ran out. */
export const RETRIES_SPENT = (() => {
  const total = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
  const span = `${Math.floor(total / HOUR)} h ${Math.floor((total % HOUR) / MINUTE)} min`;
  return `no 2xx answer in ${MAX_DELIVERY_ATTEMPTS} attempts over ${span}`;
})();

/** Events that fall due now and have not fanned out yet, in sequence order. */
export function dueFanOuts(outbox: readonly OutboxEvent[], now: number): OutboxEvent[] {
  return outbox.filter(
    (e) =>
      e.delivery.status === "pending" &&
      e.delivery.endpoints === null &&
      (e.delivery.nextAttemptAt ?? Infinity) <= now,
  );
}

/** The oldest event of the session this endpoint still awaits, if any: the only one it is sent. */
export function headFor(
  outbox: readonly OutboxEvent[],
  endpointId: string,
): { event: OutboxEvent; due: number } | undefined {
  for (const event of outbox) {
    const entry = event.delivery.endpoints?.find((d) => d.endpointId === endpointId);
    if (entry?.status === "pending") return { event, due: entry.nextAttemptAt ?? event.createdAt };
  }
  return undefined;
}

/** Every endpoint some event still awaits. */
export function pendingEndpoints(outbox: readonly OutboxEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of outbox) {
    for (const entry of event.delivery.endpoints ?? []) {
      if (entry.status === "pending") ids.add(entry.endpointId);
    }
  }
  return [...ids];
}

/**
 * When delivery next needs the session awake: a fan-out, or an endpoint's head falling due.
 * `busy` maps endpoints with an attempt in flight to the time it is over at the latest (its
 * timeout): they are not due again before, and are if the attempt died with its instance.
 */
export function deliveryWakeAt(
  outbox: readonly OutboxEvent[],
  busy: ReadonlyMap<string, number> = new Map(),
): number | null {
  const due = [
    ...outbox.flatMap((e) =>
      e.delivery.status === "pending" && e.delivery.endpoints === null
        ? [e.delivery.nextAttemptAt ?? e.createdAt]
        : [],
    ),
    ...pendingEndpoints(outbox).map((id) =>
      Math.max(headFor(outbox, id)?.due ?? Infinity, busy.get(id) ?? -Infinity),
    ),
  ];
  return due.length === 0 ? null : Math.min(...due);
}

/** The event's own status and next time, derived from its endpoints'. */
function settle(delivery: Delivery, endpoints: EndpointDelivery[]): Delivery {
  const pending = endpoints.filter((d) => d.status === "pending");
  const status =
    pending.length > 0
      ? "pending"
      : endpoints.some((d) => d.status === "failed")
        ? "failed"
        : endpoints.some((d) => d.status === "delivered")
          ? "delivered"
          : "skipped";
  const times = pending.map((d) => d.nextAttemptAt ?? Infinity);
  return {
    ...delivery,
    status,
    endpoints,
    nextAttemptAt: times.length === 0 ? null : Math.min(...times),
  };
}

const pendingEntry = (endpointId: string, at: number): EndpointDelivery => ({
  endpointId,
  status: "pending",
  failuresInRow: 0,
  nextAttemptAt: at,
  reason: null,
});

/**
 * Every event due by `at` that has not fanned out yet goes, from now on, to each endpoint
 * subscribed to its type; an event no endpoint wants is skipped.
 */
export function fanOutDue(
  outbox: readonly OutboxEvent[],
  at: number,
  endpoints: readonly Subscriber[],
): OutboxEvent[] {
  const due = new Set(dueFanOuts(outbox, at).map((e) => e.id));
  return outbox.map((e) => {
    if (!due.has(e.id)) return e;
    const subscribed = endpoints.filter((endpoint) => endpoint.events.includes(e.type));
    const entries = subscribed.map((endpoint) => pendingEntry(endpoint.id, at));
    return { ...e, delivery: settle(e.delivery, entries) };
  });
}

/**
 * Records one endpoint's answer to one attempt. A failure schedules the next attempt, no sooner
 * than a receiver's `Retry-After` asked; once the schedule is spent the endpoint's delivery is
 * `failed` (it can still be redelivered by hand).
 */
export function recordAttempt(delivery: Delivery, at: number, result: EndpointResult): Delivery {
  const outcome = verdict(result);
  const attempt = {
    at,
    endpointId: result.endpointId,
    ok: outcome === "acknowledged",
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    error: result.error,
  };
  const endpoints = (delivery.endpoints ?? []).map((entry): EndpointDelivery => {
    if (entry.endpointId !== result.endpointId || entry.status !== "pending") return entry;
    if (outcome === "acknowledged") {
      return { ...entry, status: "delivered", failuresInRow: 0, nextAttemptAt: null };
    }
    if (outcome === "gone") {
      return { ...entry, status: "disabled", nextAttemptAt: null, reason: "answered 410 Gone" };
    }
    const failuresInRow = entry.failuresInRow + 1;
    const wait = RETRY_SCHEDULE_MS[failuresInRow - 1];
    if (wait === undefined) {
      return {
        ...entry,
        status: "failed",
        failuresInRow,
        nextAttemptAt: null,
        reason: RETRIES_SPENT,
      };
    }
    const retryAfter = Math.min(MAX_RETRY_AFTER_MS, result.retryAfterMs ?? 0);
    return { ...entry, failuresInRow, nextAttemptAt: at + Math.max(wait, retryAfter) };
  });
  return settle({ ...delivery, attempts: [...delivery.attempts, attempt] }, endpoints);
}

/**
 * Records one endpoint's answer in the outbox. When that endpoint is done for good (410 Gone, or
 * its schedule spent) it is sent none of the session's later events either: the session object
 * disables it, and a redelivery by hand brings them back.
 */
export function recordIn(
  outbox: readonly OutboxEvent[],
  eventId: string,
  at: number,
  result: EndpointResult,
): OutboxEvent[] {
  let stopped: EndpointDelivery | undefined;
  const recorded = outbox.map((e) => {
    if (e.id !== eventId) return e;
    const delivery = recordAttempt(e.delivery, at, result);
    const entry = delivery.endpoints?.find((d) => d.endpointId === result.endpointId);
    if (entry?.status === "failed" || entry?.status === "disabled") stopped = entry;
    return { ...e, delivery };
  });
  if (stopped === undefined) return recorded;
  const reason = `endpoint disabled: ${stopped.reason}`;
  return recorded.map((e) =>
    e.id === eventId ? e : { ...e, delivery: disableFor(e.delivery, result.endpointId, reason) },
  );
}

/** The endpoint is disabled (or deleted): it is sent none of the events it still awaits. */
export function disableFor(delivery: Delivery, endpointId: string, reason: string): Delivery {
  const endpoints = delivery.endpoints;
  const awaits = endpoints?.some((d) => d.endpointId === endpointId && d.status === "pending");
  if (endpoints === null || !awaits) return delivery;
  return settle(
    delivery,
    endpoints.map((entry) =>
      entry.endpointId === endpointId && entry.status === "pending"
        ? { ...entry, status: "disabled", nextAttemptAt: null, reason }
        : entry,
    ),
  );
}

/**
 * A manual redelivery, at any time: to one endpoint, its schedule starts afresh now; to all, the
 * event fans out again to whichever endpoints are subscribed now. Same event id, so receivers
 * can tell it is a repeat; earlier attempts are kept.
 */
export function redeliver(delivery: Delivery, at: number, endpointId?: string): Delivery {
  if (endpointId === undefined) {
    return { status: "pending", attempts: delivery.attempts, endpoints: null, nextAttemptAt: at };
  }
  const others = (delivery.endpoints ?? []).filter((d) => d.endpointId !== endpointId);
  return settle(delivery, [...others, pendingEntry(endpointId, at)]);
}

/** Appends webhook events to the outbox, each with a stable id and the next sequence number. */
export function emit(
  context: CheckoutContext,
  at: number,
  ...events: Array<WebhookEventType | [WebhookEventType, string]>
): Pick<CheckoutContext, "outbox"> {
  const outbox = [...context.outbox];
  for (const entry of events) {
    // The id a `charge.*` or `refund.*` event is about.
    const [type, about] = typeof entry === "string" ? [entry, null] : entry;
    const refund = type.startsWith("refund.");
    const sequence = outbox.length + 1;
    const event: OutboxEvent = {
      id: `evt_${context.id}_${sequence}`,
      sequence,
      type,
      createdAt: at,
      chargeId: refund ? null : about,
      refundId: refund ? about : null,
      delivery: newDelivery(at),
    };
    outbox.push(event);
  }
  return { outbox };
}
