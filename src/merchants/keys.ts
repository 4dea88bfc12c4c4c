/**
 * Rolling a merchant's secret key (`POST /v1/merchant/keys/roll`). The new key (`sk_test_…` for
 * a sandbox merchant, `sk_live_…` otherwise, then 32 random bytes in base64url) is answered once
 * and stored only as its SHA-256. The key it replaces keeps authenticating for the overlap the
 * caller chose (0 to 7 days, 24 h by default; 0: it stops now).
 *
 * One previous key at most: rolling again while an overlap runs ends the older key at once (the
 * key being replaced takes the previous slot), so a second roll is also how to cut a leaked
 * key off early. Only the current key may roll: a previous key still inside its overlap is
 * refused (403), or whoever holds a leaked old key could roll it into a fresh one of their own.
 */
import * as z from "zod";
import { iso } from "../core/views.js";
import { applyWithAudit } from "../d1/audit-log.js";
import { merchantKeyRoll } from "../d1/merchants.js";
import { ProblemError } from "../errors.js";
import { OverlapSeconds } from "../schemas.js";
import { type AuditEntry, auditInsert } from "./audit.js";
import { type MerchantCaller, sha256Hex } from "./merchants.js";
import { concurrentChange, type SettingsRow } from "./settings.js";

export const RollMerchantKey = z.object({ overlap_seconds: OverlapSeconds }).strict();

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A fresh secret key for a sandbox (`sk_test_`) or live (`sk_live_`) merchant. */
export function newSecretKey(sandbox: boolean): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `sk_${sandbox ? "test" : "live"}_${base64url(bytes)}`;
}

const suffix = (hash: string | null) => (hash === null ? null : hash.slice(-4));

/**
 * Issues a new key for the caller's merchant and keeps the old one for `overlapMs`.
 *
 * @example
 * await rollKey(env, caller, row, { overlapMs: 86_400_000, requestId, now });
 * // { secretKey: "sk_test_…", previousKeyExpiresAt: now + 86_400_000 }
 */
export async function rollKey(
  env: Env,
  caller: MerchantCaller,
  row: SettingsRow,
  options: { overlapMs: number; requestId: string; now: number },
): Promise<{ secretKey: string; previousKeyExpiresAt: number | null }> {
  // `row` is read after authentication: a roll in between made the caller's key a previous one.
  if (!caller.currentKey || row.secret_key_hash !== caller.keyHash) {
    throw new ProblemError(
      403,
      "previous_key_cannot_roll",
      "This key has been rolled; roll with the current secret key.",
    );
  }
  const secretKey = newSecretKey(caller.merchant.sandbox);
  const hash = await sha256Hex(secretKey);
  const expiresAt = options.overlapMs > 0 ? options.now + options.overlapMs : null;
  const previousLive =
    row.previous_secret_key_expires_at !== null && row.previous_secret_key_expires_at > options.now;
  const entry: AuditEntry = {
    merchantId: row.id,
    at: options.now,
    requestId: options.requestId,
    keyHash: caller.keyHash,
    action: "merchant.key_rolled",
    // Which keys, by the end of their hashes: enough to tell them apart, nothing to sign with.
    changes: {
      secret_key: { from: suffix(row.secret_key_hash), to: suffix(hash) },
      previous_secret_key: {
        from: previousLive ? suffix(row.previous_secret_key_hash) : null,
        to: expiresAt === null ? null : suffix(row.secret_key_hash),
      },
      previous_key_expires_at: {
        from: previousLive ? iso(row.previous_secret_key_expires_at) : null,
        to: iso(expiresAt),
      },
    },
  };
  const at = { id: row.id, version: row.settings_version };
  const applied = await applyWithAudit(env.DB, {
    audit: auditInsert(env.DB, entry, at.version),
    change: merchantKeyRoll(env.DB, at, {
      secretKeyHash: hash,
      previousSecretKeyHash: expiresAt === null ? null : row.secret_key_hash,
      previousSecretKeyExpiresAt: expiresAt,
    }),
  });
  if (!applied) throw concurrentChange();
  return { secretKey, previousKeyExpiresAt: expiresAt };
}
