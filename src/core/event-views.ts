/**
 * Webhook events as the API shows them: a core view beside the session's (the D1 index behind
 * `GET /v1/events`, src/d1/events.ts, stores it; the object answers it for one event).
 */
import * as z from "zod";
import type { Delivery, OutboxEvent } from "../../machines/index.js";
import { iso } from "./views.js";

export function deliveryView(delivery: Delivery) {
  return {
    status: delivery.status,
    attempts: delivery.attempts.map((attempt) => ({
      at: iso(attempt.at),
      endpoint_id: attempt.endpointId,
      ok: attempt.ok,
      status_code: attempt.statusCode,
      latency_ms: attempt.latencyMs,
      error: attempt.error,
    })),
    next_attempt_at: iso(delivery.nextAttemptAt),
    /** Each endpoint's own delivery (null: the event has not fallen due yet). */
    endpoints:
      delivery.endpoints?.map((entry) => ({
        endpoint_id: entry.endpointId,
        status: entry.status,
        failures_in_row: entry.failuresInRow,
        next_attempt_at: iso(entry.nextAttemptAt),
        reason: entry.reason,
      })) ?? null,
  };
}

/** A stored webhook body, as read back: only its `data` is shown, and it must be there. */
const StoredBody = z.object({ data: z.unknown() });

export function eventView(event: OutboxEvent, sessionId: string, body?: string) {
  return {
    id: event.id,
    object: "event",
    type: event.type,
    created: Math.floor(event.createdAt / 1000),
    sequence: event.sequence,
    checkout_session_id: sessionId,
    delivery: deliveryView(event.delivery),
    ...(body !== undefined && { data: StoredBody.parse(JSON.parse(body)).data }),
  };
}
