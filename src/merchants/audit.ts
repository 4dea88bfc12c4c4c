/**
 * The merchant's audit log (`merchant_audit_log`, migrations/0006): one entry per settings change
 * and key roll, written in the same D1 batch as the change, so an entry exists exactly when the
 * change does. An entry names the actor by the last 4 hex digits of its key's SHA-256, never the
 * key; a key roll's `changes` hold no secret either.
 */
import * as z from "zod";
import { iso } from "../core/views.js";
import { keysetPage } from "../d1/keyset.js";
import { ProblemError } from "../errors.js";
import { jsonColumn } from "./merchants.js";

export const AuditAction = z.enum(["merchant.updated", "merchant.key_rolled"]);
export type AuditAction = z.infer<typeof AuditAction>;

/** Field → what it was and what it became, in wire names and values. */
export type AuditChanges = Record<string, { from: z.core.util.JSONType; to: z.core.util.JSONType }>;

const Actor = z.object({ type: z.literal("secret_key"), key_hash_suffix: z.string() });
type Actor = z.infer<typeof Actor>;

/** What the audit log names as the actor for a key: its type and the end of its hash. */
export const actorOf = (keyHash: string): Actor => ({
  type: "secret_key",
  key_hash_suffix: keyHash.slice(-4),
});

export interface AuditEntry {
  merchantId: string;
  at: number;
  requestId: string;
  keyHash: string;
  action: AuditAction;
  changes: AuditChanges;
}

/**
 * The insert of an entry, for the batch that makes the change. It inserts only while the
 * merchant's `settings_version` is still `version`, the same condition the change's UPDATE
 * carries (placed after this statement): both happen, or neither.
 */
export function auditInsert(db: D1Database, entry: AuditEntry, version: number) {
  return db
    .prepare(
      `INSERT INTO merchant_audit_log (merchant_id, created_at, request_id, actor, action, changes)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 FROM merchants WHERE id = ?1 AND settings_version = ?7`,
    )
    .bind(
      entry.merchantId,
      entry.at,
      entry.requestId,
      JSON.stringify(actorOf(entry.keyHash)),
      entry.action,
      JSON.stringify(entry.changes),
      version,
    );
}

const Row = z.object({
  seq: z.number().int().positive(),
  created_at: z.number().int(),
  request_id: z.string(),
  actor: jsonColumn(Actor),
  action: AuditAction,
  changes: jsonColumn(z.record(z.string(), z.object({ from: z.json(), to: z.json() }))),
});

const idOf = (seq: number) => `aud_${seq}`;

export const ListAuditLog = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional(),
});

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
 * A page of the merchant's audit log, newest first (keyset pagination on `created_at, seq`).
 *
 * @example
 * await listAuditLog(env.DB, "m_1", { limit: 20 }); // { data: [{ id: "aud_7", action: "merchant.updated", … }], nextCursor: null }
 */
export async function listAuditLog(
  db: D1Database,
  merchantId: string,
  query: z.infer<typeof ListAuditLog>,
) {
  const { rows, nextCursor } = await keysetPage(db, {
    select: "SELECT seq, created_at, request_id, actor, action, changes FROM merchant_audit_log",
    filters: [["merchant_id = ?", merchantId]],
    tieBreaker: "seq",
    row: Row,
    position: (row) => [row.created_at, idOf(row.seq)],
    tieValue: seqOf,
    limit: query.limit,
    ...(query.cursor !== undefined && { cursor: query.cursor }),
  });
  return {
    data: rows.map((row) => ({
      id: idOf(row.seq),
      object: "audit_log_entry",
      action: row.action,
      created_at: iso(row.created_at),
      request_id: row.request_id,
      actor: row.actor,
      changes: row.changes,
    })),
    nextCursor,
  };
}
