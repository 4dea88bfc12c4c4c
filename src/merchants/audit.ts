/**
 * The merchant's audit log (`merchant_audit_log`, migrations/0006): one entry per settings change
 * and key roll, written in the same D1 batch as the change, so an entry exists exactly when the
 * change does (src/d1/audit-log.ts holds the SQL). An entry names the actor by the last 4 hex
 * digits of its key's SHA-256, never the key; a key roll's `changes` hold no secret either.
 */
import * as z from "zod";
import { iso } from "../core/views.js";
import {
  type AuditAction,
  type AuditActor,
  type AuditChanges,
  auditLogInsert,
  auditLogPage,
} from "../d1/audit-log.js";

export { AuditAction, type AuditChanges } from "../d1/audit-log.js";

/** What the audit log names as the actor for a key: its type and the end of its hash. */
export const actorOf = (keyHash: string, type: AuditActor["type"] = "secret_key"): AuditActor => ({
  type,
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
 * carries (placed after this statement, as `applyWithAudit` in src/d1/audit-log.ts does): both
 * happen, or neither.
 */
export function auditInsert(db: D1Database, entry: AuditEntry, version: number) {
  const { keyHash, ...stored } = entry;
  return auditLogInsert(db, { ...stored, actor: actorOf(keyHash) }, version);
}

export const ListAuditLog = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(400).optional(),
});

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
  const { rows, nextCursor } = await auditLogPage(db, merchantId, query);
  return {
    data: rows.map((row) => ({
      id: row.id,
      object: "audit_log_entry",
      action: row.action,
      created_at: iso(row.createdAt),
      request_id: row.requestId,
      actor: row.actor,
      changes: row.changes,
    })),
    nextCursor,
  };
}
