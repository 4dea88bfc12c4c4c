/**
 * The merchant audit log (`merchant_audit_log`, migrations/0006): one entry per settings change
 * and key roll, inserted in the same D1 batch as the change it records (`applyWithAudit`), so an
 * entry exists exactly when the change does. Entries are read newest first, keyset-paginated on
 * `(created_at, seq)`; an entry's public id is `aud_<seq>`.
 */
import * as z from "zod";
import { ProblemError } from "../errors.js";
import { jsonColumn } from "./json-column.js";
import { keysetPage } from "./keyset.js";

export const AuditAction = z.enum([
  "merchant.updated",
  "merchant.key_rolled",
  // An operator's actions on the ops screen (/ops).
  "checkout_session.cancelled",
  "payment.capture_requested",
  "payment.refund_requested",
  "event.redelivered",
  "webhook_endpoint.created",
  "webhook_endpoint.disabled",
  "webhook_endpoint.enabled",
  "webhook_endpoint.secret_rotated",
]);
export type AuditAction = z.infer<typeof AuditAction>;

/** Field → what it was and what it became, in wire names and values. */
export type AuditChanges = Record<string, { from: z.core.util.JSONType; to: z.core.util.JSONType }>;

/**
 * Who made a change: a secret key over the API, or an operator signed in with one on the ops
 * screen; the key by the last 4 hex digits of its SHA-256 (never the key).
 */
export const AuditActor = z.object({
  type: z.enum(["secret_key", "ops_session"]),
  key_hash_suffix: z.string(),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** An entry as it is stored. */
export interface AuditLogEntry {
  merchantId: string;
  at: number;
  requestId: string;
  actor: AuditActor;
  action: AuditAction;
  changes: AuditChanges;
}

/**
 * The insert of an entry, for the batch that makes the change (`applyWithAudit`). It inserts
 * only while the merchant's `settings_version` is still `version`, the same condition the
 * change's UPDATE carries (run after this statement): both happen, or neither.
 */
export function auditLogInsert(
  db: D1Database,
  entry: AuditLogEntry,
  version: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO merchant_audit_log (merchant_id, created_at, request_id, actor, action, changes)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 FROM merchants WHERE id = ?1 AND settings_version = ?7`,
    )
    .bind(
      entry.merchantId,
      entry.at,
      entry.requestId,
      JSON.stringify(entry.actor),
      entry.action,
      JSON.stringify(entry.changes),
      version,
    );
}

/**
 * Runs a merchant change and its audit entry as one D1 batch (one transaction). The entry goes
 * first: its condition reads the `settings_version` the change then bumps. True when the change
 * applied (one row); false when another request changed the merchant since it was read.
 *
 * @example
 * const applied = await applyWithAudit(env.DB, { audit, change: merchantSettingsUpdate(env.DB, at, settings) });
 */
export async function applyWithAudit(
  db: D1Database,
  statements: { audit: D1PreparedStatement; change: D1PreparedStatement },
): Promise<boolean> {
  const [, changed] = await db.batch([statements.audit, statements.change]);
  return changed?.meta.changes === 1;
}

/** Records an entry that no settings version guards (an operator's action, made already). */
export async function auditLogRecord(db: D1Database, entry: AuditLogEntry): Promise<void> {
  await db
    .prepare(
      `INSERT INTO merchant_audit_log (merchant_id, created_at, request_id, actor, action, changes)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      entry.merchantId,
      entry.at,
      entry.requestId,
      JSON.stringify(entry.actor),
      entry.action,
      JSON.stringify(entry.changes),
    )
    .run();
}

/** An entry as a page of the log shows it. */
export interface AuditLogRow {
  /** `aud_<seq>`. */
  id: string;
  createdAt: number;
  requestId: string;
  actor: AuditActor;
  action: AuditAction;
  changes: AuditChanges;
}

const idOf = (seq: number) => `aud_${seq}`;

const StoredRow = z
  .object({
    seq: z.number().int().positive(),
    created_at: z.number().int(),
    request_id: z.string(),
    actor: jsonColumn(AuditActor),
    action: AuditAction,
    changes: jsonColumn(z.record(z.string(), z.object({ from: z.json(), to: z.json() }))),
  })
  .transform(
    (row): AuditLogRow => ({
      id: idOf(row.seq),
      createdAt: row.created_at,
      requestId: row.request_id,
      actor: row.actor,
      action: row.action,
      changes: row.changes,
    }),
  );

/** The seq a cursor's id names (`aud_<seq>`). */
function seqOf(id: string): number {
  const seq = /^aud_([1-9]\d{0,15})$/.exec(id)?.[1];
  if (seq === undefined) {
    throw new ProblemError(422, "invalid_cursor", "The cursor is not one this API returned.", [
      { field: "cursor", message: "Pass `next_cursor` from the previous page unchanged." },
    ]);
  }
  return Number(seq);
}

/**
 * A page of the merchant's audit log, newest first. Throws a 422 `invalid_cursor` for a cursor
 * this function did not write.
 *
 * @example
 * await auditLogPage(env.DB, "m_1", { limit: 20 }); // { rows: [{ id: "aud_7", action: "merchant.updated", … }], nextCursor: null }
 */
export async function auditLogPage(
  db: D1Database,
  merchantId: string,
  query: { limit: number; cursor?: string },
): Promise<{ rows: AuditLogRow[]; nextCursor: string | null }> {
  return keysetPage(db, {
    select: "SELECT seq, created_at, request_id, actor, action, changes FROM merchant_audit_log",
    filters: [["merchant_id = ?", merchantId]],
    tieBreaker: "seq",
    row: StoredRow,
    position: (row) => [row.createdAt, row.id],
    tieValue: seqOf,
    limit: query.limit,
    ...(query.cursor !== undefined && { cursor: query.cursor }),
  });
}
