/**
 * Webhook events as the API shows them, and the D1 events index behind `GET /v1/events`: a
 * projection of every session object's outbox, written by the object after each transition it
 * persists (the object stays the truth, and serves `GET /v1/events/:id` itself).
 */
import * as z from "zod";
import type { Delivery, OutboxEvent } from "../../machines/index.js";
import { iso } from "../core/views.js";
import { decodeCursor, encodeCursor } from "../cursor.js";

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

/**
 * The writes that project the events changed by one transition, for the caller to batch. A row
 * never moves back: an update whose `updatedAt` is older than the stored one is ignored.
 */
export function eventUpserts(
  db: D1Database,
  merchantId: string,
  sessionId: string,
  events: readonly OutboxEvent[],
  updatedAt: number,
): D1PreparedStatement[] {
  const statement = db.prepare(
    `INSERT INTO webhook_events
       (id, merchant_id, session_id, type, sequence, created_at, delivery_status, attempts,
        next_attempt_at, updated_at, delivery)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET
       delivery_status = excluded.delivery_status,
       attempts = excluded.attempts,
       delivery = excluded.delivery,
       next_attempt_at = excluded.next_attempt_at,
       updated_at = excluded.updated_at
     WHERE excluded.updated_at >= webhook_events.updated_at`,
  );
  return events.map((event) => {
    const delivery = deliveryView(event.delivery);
    return statement.bind(
      event.id,
      merchantId,
      sessionId,
      event.type,
      event.sequence,
      event.createdAt,
      event.delivery.status,
      JSON.stringify(delivery.attempts),
      event.delivery.nextAttemptAt,
      updatedAt,
      JSON.stringify(delivery),
    );
  });
}

export interface ListEventsQuery {
  sessionId?: string;
  type?: string;
  deliveryStatus?: string;
  limit: number;
  cursor?: string;
}

const IndexRow = z.object({
  id: z.string(),
  session_id: z.string(),
  type: z.string(),
  sequence: z.number().int(),
  created_at: z.number().int(),
  delivery_status: z.string(),
  attempts: z.string().transform((text): unknown => JSON.parse(text)),
  next_attempt_at: z.number().int().nullable(),
  /** The delivery as `GET /v1/events/:id` shows it (null in rows written before 0008). */
  delivery: z
    .string()
    .nullable()
    .transform((text): unknown => (text === null ? null : JSON.parse(text))),
});

/**
 * A merchant's events, newest first, keyset-paginated, each with its delivery attempts.
 *
 * @example
 * const failed = await listEvents(env.DB, "m_sandbox", { deliveryStatus: "failed", limit: 20 });
 */
export async function listEvents(db: D1Database, merchantId: string, query: ListEventsQuery) {
  const where = ["merchant_id = ?"];
  const params: (string | number)[] = [merchantId];
  for (const [column, value] of [
    ["session_id", query.sessionId],
    ["type", query.type],
    ["delivery_status", query.deliveryStatus],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  if (query.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(query.cursor);
    where.push("(created_at, id) < (?, ?)");
    params.push(createdAt, id);
  }
  params.push(query.limit + 1);
  const { results } = await db
    .prepare(
      `SELECT id, session_id, type, sequence, created_at, delivery_status, attempts, next_attempt_at,
              delivery
       FROM webhook_events WHERE ${where.join(" AND ")}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(...params)
    .all();
  const rows = z.array(IndexRow).parse(results);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => ({
      id: row.id,
      object: "event",
      type: row.type,
      created: Math.floor(row.created_at / 1000),
      sequence: row.sequence,
      checkout_session_id: row.session_id,
      delivery: row.delivery ?? {
        status: row.delivery_status,
        attempts: row.attempts,
        next_attempt_at: iso(row.next_attempt_at),
        endpoints: null,
      },
    })),
    nextCursor:
      rows.length > query.limit && last !== undefined
        ? encodeCursor([last.created_at, last.id])
        : null,
  };
}
