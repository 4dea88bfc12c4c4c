/**
 * The one keyset pagination of every D1 list: newest first by `(created_at, <tie-breaker>)`, one
 * row more than the page to tell whether another follows (no COUNT), rows parsed with zod. A
 * page never repeats or skips a row, however many rows are written while a client pages.
 */
import type * as z from "zod";
import { decodeCursor, encodeCursor } from "../cursor.js";

export interface KeysetQuery<Row> {
  /** `SELECT <columns> FROM <table>`: no WHERE, no ORDER BY. */
  select: string;
  /** `column = ?` clauses and their values, all of which a row must meet. */
  filters: ReadonlyArray<readonly [clause: string, value: string | number]>;
  /** The tie-breaker after `created_at` (`id`, `seq`): both descending. */
  tieBreaker: string;
  row: z.ZodType<Row>;
  /** Where a row stands, as its cursor says it (`[created_at, id]`). */
  position: (row: Row) => [number, string];
  /** The tie-breaker's value a cursor's id stands for (throws 422 `invalid_cursor` if none). */
  tieValue?: (id: string) => string | number;
  /** 1 to 100, checked by the route. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

export async function keysetPage<Row>(
  db: D1Database,
  query: KeysetQuery<Row>,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const where = query.filters.map(([clause]) => clause);
  const params: (string | number)[] = query.filters.map(([, value]) => value);
  if (query.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(query.cursor);
    where.push(`(created_at, ${query.tieBreaker}) < (?, ?)`);
    params.push(createdAt, query.tieValue ? query.tieValue(id) : id);
  }
  params.push(query.limit + 1);
  const { results } = await db
    .prepare(
      `${query.select}
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY created_at DESC, ${query.tieBreaker} DESC
       LIMIT ?`,
    )
    .bind(...params)
    .all();
  const rows = results.map((row) => query.row.parse(row));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const more = rows.length > query.limit && last !== undefined;
  return { rows: page, nextCursor: more ? encodeCursor(query.position(last)) : null };
}
