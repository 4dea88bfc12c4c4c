/**
 * The events index in D1 behind `GET /v1/events`: a projection of every session object's outbox,
 * written from the object's projection (src/session/projection.ts); the object stays the truth
 * and serves `GET /v1/events/:id` itself.
 */
import * as z from "zod";
import type { OutboxEvent } from "../../machines/index.js";
import { deliveryView } from "../core/event-views.js";
import { iso } from "../core/views.js";
import { keysetPage } from "./keyset.js";

/** D1 binds at most 100 values to one statement: 11 per event, so 9 events a statement. */
const EVENTS_PER_STATEMENT = 9;

/**
 * The writes that project the events changed by one step, for the caller to batch: one statement
 * per 9 events (D1's 100 bound values), rather than one per event. A row never moves back: an
 * update whose `updatedAt` is older than the stored one is ignored.
 */
export function eventUpserts(
  db: D1Database,
  merchantId: string,
  sessionId: string,
  events: readonly OutboxEvent[],
  updatedAt: number,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < events.length; i += EVENTS_PER_STATEMENT) {
    const chunk = events.slice(i, i + EVENTS_PER_STATEMENT);
    const values = chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
    const statement = db.prepare(
      `INSERT INTO webhook_events
         (id, merchant_id, session_id, type, sequence, created_at, delivery_status, attempts,
          next_attempt_at, updated_at, delivery)
       VALUES ${values}
       ON CONFLICT (id) DO UPDATE SET
         delivery_status = excluded.delivery_status,
         attempts = excluded.attempts,
         delivery = excluded.delivery,
         next_attempt_at = excluded.next_attempt_at,
         updated_at = excluded.updated_at
       WHERE excluded.updated_at >= webhook_events.updated_at`,
    );
    statements.push(
      statement.bind(
        ...chunk.flatMap((event) => {
          const delivery = deliveryView(event.delivery);
          return [
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
          ];
        }),
      ),
    );
  }
  return statements;
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
  const filters: Array<[string, string | number]> = [["merchant_id = ?", merchantId]];
  for (const [column, value] of [
    ["session_id", query.sessionId],
    ["type", query.type],
    ["delivery_status", query.deliveryStatus],
  ] as const) {
    if (value !== undefined) filters.push([`${column} = ?`, value]);
  }
  const { rows, nextCursor } = await keysetPage(db, {
    select: `SELECT id, session_id, type, sequence, created_at, delivery_status, attempts,
                    next_attempt_at, delivery
             FROM webhook_events`,
    filters,
    tieBreaker: "id",
    row: IndexRow,
    position: (row) => [row.created_at, row.id],
    limit: query.limit,
    ...(query.cursor !== undefined && { cursor: query.cursor }),
  });
  return {
    data: rows.map((row) => ({
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
    nextCursor,
  };
}
