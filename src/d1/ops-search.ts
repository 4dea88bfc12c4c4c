/**
 * The ops screen's session search over the D1 session index (src/d1/sessions.ts writes it): the
 * list's filters (status, created range, currency) plus an amount range and a text search inside
 * the merchant's view the index keeps as JSON (`view`): a metadata value (`order_id`), StableMint's
 * `websiteReference` and `userId`, the customer's email; or a `request-id` that touched the
 * session (src/d1/session-requests.ts). Keyset pages both ways: older pages
 * through the shared keyset (src/d1/keyset.ts), newer ones by the same keys ascending.
 *
 * The text search is an exact match inside each of the merchant's rows (no index can serve it);
 * the merchant filter narrows it to that merchant's rows first.
 */
import * as z from "zod";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { keysetPage } from "./keyset.js";

export interface OpsSessionQuery {
  status?: string;
  /** Inclusive bounds on `created_at`, epoch ms. */
  createdGte?: number;
  createdLte?: number;
  /** Inclusive bounds on `amount`, minor units. */
  amountMin?: number;
  amountMax?: number;
  currency?: string;
  /** Exact value of a metadata entry, `websiteReference`, StableMint `userId`, customer email or request id. */
  text?: string;
  limit: number;
  /** Rows older than this cursor (a page's `older`). */
  after?: string;
  /** Rows newer than this cursor (a page's `newer`). */
  before?: string;
}

export interface OpsSessionRow {
  id: string;
  status: string;
  amount: number | null;
  currency: string;
  createdAt: number;
  paymentId: string | null;
  /** The merchant's view of the session as stored (JSON text), or null on rows from before it. */
  view: string | null;
}

export interface OpsSessionPage {
  rows: OpsSessionRow[];
  /** Cursor of the page of newer sessions, null when this is the newest. */
  newer: string | null;
  /** Cursor of the page of older sessions, null when this is the oldest. */
  older: string | null;
}

const Row = z
  .object({
    id: z.string(),
    status: z.string(),
    amount: z.number().int().nullable(),
    currency: z.string(),
    created_at: z.number().int().nonnegative(),
    payment_id: z.string().nullable(),
    view: z.string().nullable(),
  })
  .transform(
    (row): OpsSessionRow => ({
      id: row.id,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      createdAt: row.created_at,
      paymentId: row.payment_id,
      view: row.view,
    }),
  );

const SELECT =
  "SELECT id, status, amount, currency, created_at, payment_id, view FROM checkout_sessions";

/**
 * Every searchable value of a row's view, one parameter. `json_valid` first: a row without a
 * view (written before 0007) has nothing to search, and nothing to make json_each fail.
 */
const TEXT_MATCH = `EXISTS (SELECT 1 FROM (SELECT ? AS q) AS search WHERE
  (json_valid(checkout_sessions.view) AND search.q IN (
    SELECT value FROM json_each(checkout_sessions.view, '$.metadata')
    UNION ALL SELECT json_extract(checkout_sessions.view, '$.stablemint.website_reference')
    UNION ALL SELECT json_extract(checkout_sessions.view, '$.stablemint.user_id')
    UNION ALL SELECT json_extract(checkout_sessions.view, '$.customer.email')))
  OR checkout_sessions.id IN (SELECT session_id FROM session_requests
    WHERE merchant_id = checkout_sessions.merchant_id AND request_id = search.q))`;

function filtersOf(merchantId: string, query: OpsSessionQuery): Array<[string, string | number]> {
  const filters: Array<[string, string | number]> = [["merchant_id = ?", merchantId]];
  const add = (clause: string, value: string | number | undefined) => {
    if (value !== undefined) filters.push([clause, value]);
  };
  add("status = ?", query.status);
  add("created_at >= ?", query.createdGte);
  add("created_at <= ?", query.createdLte);
  add("amount >= ?", query.amountMin);
  add("amount <= ?", query.amountMax);
  add("currency = ?", query.currency);
  add(TEXT_MATCH, query.text);
  return filters;
}

const positionOf = (row: OpsSessionRow) => encodeCursor([row.createdAt, row.id]);

/**
 * One page of the merchant's sessions, newest first, matching every filter given. Throws a 422
 * `invalid_cursor` for a cursor this function did not write.
 *
 * @example
 * const page = await searchSessions(env.DB, "m_sandbox", { text: "ord_123", limit: 25 });
 * const next = await searchSessions(env.DB, "m_sandbox", { text: "ord_123", limit: 25, after: page.older! });
 */
export async function searchSessions(
  db: D1Database,
  merchantId: string,
  query: OpsSessionQuery,
): Promise<OpsSessionPage> {
  const filters = filtersOf(merchantId, query);
  if (query.before !== undefined) return newerPage(db, filters, query.before, query.limit);
  const { rows, nextCursor } = await keysetPage(db, {
    select: SELECT,
    filters,
    tieBreaker: "id",
    row: Row,
    position: (row) => [row.createdAt, row.id],
    limit: query.limit,
    ...(query.after !== undefined && { cursor: query.after }),
  });
  const first = rows[0];
  // A page reached from an older cursor has at least the row that cursor names above it.
  const newer = query.after !== undefined && first !== undefined ? positionOf(first) : null;
  return { rows, newer, older: nextCursor };
}

/** The page just newer than `cursor`: the same keys ascending, then turned newest first. */
async function newerPage(
  db: D1Database,
  filters: Array<[string, string | number]>,
  cursor: string,
  limit: number,
): Promise<OpsSessionPage> {
  const [createdAt, id] = decodeCursor(cursor);
  const where = [...filters.map(([clause]) => clause), "(created_at, id) > (?, ?)"];
  const params = [...filters.map(([, value]) => value), createdAt, id, limit + 1];
  const { results } = await db
    .prepare(`${SELECT} WHERE ${where.join(" AND ")} ORDER BY created_at ASC, id ASC LIMIT ?`)
    .bind(...params)
    .all();
  const ascending = results.map((row) => Row.parse(row));
  const more = ascending.length > limit;
  const rows = ascending.slice(0, limit).reverse();
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    newer: more && first !== undefined ? positionOf(first) : null,
    // The cursor's own row is older than all of these, so an older page follows them.
    older: last !== undefined ? positionOf(last) : null,
  };
}
