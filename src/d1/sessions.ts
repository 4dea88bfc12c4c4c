/**
 * The session index in D1: a projection of each session object's state for listing (newest first,
 * keyset-paginated) and for the ops screen. The object is the truth and writes here after every
 * transition it persists; a write older than what the index holds is ignored.
 */
import * as z from "zod";
import { ProblemError } from "../errors.js";
import { keysetPage } from "./keyset.js";

export interface SessionIndexRow {
  id: string;
  merchantId: string;
  /** Public status: `PENDING`, `PROCESSING`, `COMPLETED`, `EXPIRED`, `CANCELLED`, `FAILED`. */
  status: string;
  /** Minor units of `currency`; null until the payer chooses it (a session created without one). */
  amount: number | null;
  currency: string;
  /** Epoch milliseconds, as are `updatedAt` and `expiresAt`. */
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  paymentId: string | null;
  /** The merchant's view as JSON (`sessionView` without the token); null on rows from before it. */
  view: string | null;
}

export interface ListSessionsQuery {
  status?: string;
  /** Inclusive bounds on `createdAt`, epoch milliseconds. */
  createdGte?: number;
  createdLte?: number;
  /** 1 to 100. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export const MAX_LIST_LIMIT = 100;

const Millis = z.number().int().nonnegative();

const StoredRow = z
  .object({
    id: z.string(),
    merchant_id: z.string(),
    status: z.string(),
    amount: z.number().int().nullable(),
    currency: z.string(),
    created_at: Millis,
    updated_at: Millis,
    expires_at: Millis,
    payment_id: z.string().nullable(),
    view: z.string().nullable(),
  })
  .transform(
    (row): SessionIndexRow => ({
      id: row.id,
      merchantId: row.merchant_id,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      expiresAt: row.expires_at,
      paymentId: row.payment_id,
      view: row.view,
    }),
  );

/**
 * Writes the projection of one session. Only status, `updatedAt`, the payment id and a payer's
 * chosen amount (null until then, never back to null) ever change,
 * and only when `row.updatedAt` is not older than the stored one, so out-of-order writes (a
 * retried effect, a slow request) never move the index backwards.
 *
 * @example
 * await upsertSessionIndex(env.DB, { id: "cs_1", merchantId: "m_sandbox", status: "PENDING", … });
 */
export async function upsertSessionIndex(db: D1Database, row: SessionIndexRow): Promise<void> {
  await sessionIndexUpsert(db, row).run();
}

/** The statement `upsertSessionIndex` runs, for a caller that batches its writes. */
export function sessionIndexUpsert(db: D1Database, row: SessionIndexRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO checkout_sessions
         (id, merchant_id, status, amount, currency, created_at, updated_at, expires_at, payment_id, view)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         status = excluded.status,
         amount = COALESCE(excluded.amount, checkout_sessions.amount),
         updated_at = excluded.updated_at,
         payment_id = COALESCE(excluded.payment_id, checkout_sessions.payment_id),
         view = excluded.view
       WHERE excluded.updated_at >= checkout_sessions.updated_at`,
    )
    .bind(
      row.id,
      row.merchantId,
      row.status,
      row.amount,
      row.currency,
      row.createdAt,
      row.updatedAt,
      row.expiresAt,
      row.paymentId,
      row.view,
    );
}

/**
 * A merchant's sessions, newest first (`createdAt` then `id`, both descending), one page at a
 * time. Keyset pagination: a page never repeats or skips a row, however many sessions are created
 * while a client pages. Throws a 422 `invalid_cursor` for a cursor this function did not write.
 *
 * @example
 * const first = await listSessions(env.DB, "m_sandbox", { status: "COMPLETED", limit: 20 });
 * const next = await listSessions(env.DB, "m_sandbox", { status: "COMPLETED", limit: 20, cursor: first.nextCursor });
 */
export async function listSessions(
  db: D1Database,
  merchantId: string,
  query: ListSessionsQuery,
): Promise<{ data: SessionIndexRow[]; nextCursor: string | null }> {
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new ProblemError(422, "validation_failed", "The query is not valid.", [
      { field: "limit", message: `Must be an integer from 1 to ${MAX_LIST_LIMIT}.` },
    ]);
  }
  const filters: Array<[string, string | number]> = [["merchant_id = ?", merchantId]];
  if (query.status !== undefined) filters.push(["status = ?", query.status]);
  if (query.createdGte !== undefined) filters.push(["created_at >= ?", query.createdGte]);
  if (query.createdLte !== undefined) filters.push(["created_at <= ?", query.createdLte]);
  const { rows: data, nextCursor } = await keysetPage(db, {
    select: `SELECT id, merchant_id, status, amount, currency, created_at, updated_at, expires_at,
                    payment_id, view
             FROM checkout_sessions`,
    filters,
    tieBreaker: "id",
    row: StoredRow,
    position: (row) => [row.createdAt, row.id],
    limit,
    ...(query.cursor !== undefined && { cursor: query.cursor }),
  });
  return { data, nextCursor };
}
