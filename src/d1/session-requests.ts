/**
 * Which requests touched which session (migration 0010): every `request-id` in a session's
 * journal, written by its projection, so that the ops screen finds a session by one.
 */

/** Rows a statement carries: 4 values each, within D1's 100 bound values. */
const ROWS_PER_STATEMENT = 25;

export interface SessionRequest {
  requestId: string;
  at: number;
}

/** Idempotent inserts of a session's requests (a row already there is left as it is). */
export function sessionRequestInserts(
  db: D1Database,
  merchantId: string,
  sessionId: string,
  requests: readonly SessionRequest[],
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < requests.length; i += ROWS_PER_STATEMENT) {
    const chunk = requests.slice(i, i + ROWS_PER_STATEMENT);
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO session_requests (merchant_id, request_id, session_id, at) VALUES ${chunk
            .map(() => "(?, ?, ?, ?)")
            .join(", ")}`,
        )
        .bind(...chunk.flatMap((r) => [merchantId, r.requestId, sessionId, r.at])),
    );
  }
  return statements;
}
