/**
 * Merchants and their authentication. A merchant's secret key is never stored: D1 holds only its
 * hex SHA-256, found through a UNIQUE index and then compared in constant time. After a key roll
 * (src/merchants/keys.ts) the previous key's hash authenticates too, until its expiry. The StableMint
 * API secret is kept sealed (src/sealed.ts), since verifying that dialect's signatures needs the
 * secret itself (src/dialects/stablemint/signature.ts). The SQL, and the zod schemas its rows are
 * parsed with, live in src/d1/merchants.ts; this module decides what a row means.
 */

import { DEFAULT_RISK_SETTINGS, type RiskSettings } from "../core/risk.js";
import type { RoutingRule } from "../core/routing.js";
import {
  type MerchantAuthRow,
  type MerchantRow,
  merchantAuthRowByKeyHash,
  merchantRowByApiKey,
  merchantRowById,
  type PaymentMethodType,
} from "../d1/merchants.js";
import { ProblemError } from "../errors.js";
import { IsolateCache } from "../isolate-cache.js";
import { isSandboxProvider } from "../providers/sandbox.js";
import { enforceRateLimit } from "../rate-limit.js";

export interface Merchant {
  id: string;
  name: string;
  logoUrl: string | null;
  /** `#rrggbb` for the pay button and accents of the payer's pages; null: our default. */
  brandColor: string | null;
  /** Provider names in routing order: the first is tried first. */
  providers: string[];
  /** Rules that send a confirm to other providers, in order (src/core/routing.ts). */
  routingRules: RoutingRule[];
  /** Its risk thresholds, the defaults filling what it did not set (src/core/risk.ts). */
  risk: RiskSettings;
  /** Origins redirect URLs must match; empty means no restriction beyond the URL rules. */
  allowedOrigins: string[];
  /** Every provider is a sandbox one: test amounts, and local http URLs allowed. */
  sandbox: boolean;
  /** Where a payer can get help (a link on the payer's pages); null: none. */
  supportUrl: string | null;
  /** The payment methods its sessions offer (the banks come from its providers). */
  paymentMethods: PaymentMethodType[];
}

// The row schemas live with their SQL (src/d1/merchants.ts); these stay importable from here.
export { jsonColumn } from "../d1/json-column.js";
export { MerchantRow, PaymentMethodType } from "../d1/merchants.js";

/** The caller behind a secret key: its merchant, and which of its keys it presented. */
export interface MerchantCaller {
  merchant: Merchant;
  /** Hex SHA-256 of the key presented (for the audit's actor; never the key). */
  keyHash: string;
  /** False when it is the previous key, still inside its overlap after a roll. */
  currentKey: boolean;
}

/** Longer than any key we issue; anything longer is not a key and is not hashed. */
const MAX_KEY_LENGTH = 256;
const BEARER = /^Bearer +([!-~]+) *$/i;

export interface StablemintMerchant {
  merchant: Merchant;
  /** The API secret, sealed (src/sealed.ts); null when the merchant has none set. */
  apiSecretSealed: string | null;
  /** The payment methods its sessions offer: the same as `merchant.paymentMethods`. */
  paymentMethods: PaymentMethodType[];
}

/**
 * Hex SHA-256 of a UTF-8 string, for keys and tokens that are stored only as hashes.
 *
 * @example
 * await sha256Hex("abc"); // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The merchant whose secret key the request presents as `Authorization: Bearer <key>`: its
 * current key, or the previous one until the overlap of the last roll ends (`now`, epoch ms).
 * Throws a 401 `missing_api_key` when there is no such header, `invalid_api_key` when the key
 * belongs to no merchant (or is a previous key past its overlap), a 429 `rate_limited` when the
 * key is over its limit (src/rate-limit.ts).
 *
 * @example
 * const merchant = await authenticateMerchant(request, env); // Bearer sk_test_sandbox → m_sandbox
 */
export async function authenticateMerchant(
  request: Request,
  env: Env,
  now = Date.now(),
): Promise<Merchant> {
  return (await authenticateCaller(request, env, now)).merchant;
}

/**
 * As `authenticateMerchant`, with which key the caller presented: what the audit log and the
 * key roll need.
 *
 * @example
 * const { merchant, keyHash, currentKey } = await authenticateCaller(request, env);
 */
export async function authenticateCaller(
  request: Request,
  env: Env,
  now = Date.now(),
): Promise<MerchantCaller> {
  const match = BEARER.exec(request.headers.get("authorization") ?? "");
  const key = match?.[1];
  if (key === undefined) {
    throw new ProblemError(
      401,
      "missing_api_key",
      "Send your secret key as `Authorization: Bearer <secret key>`.",
      [],
      { "www-authenticate": "Bearer" },
    );
  }
  const invalid = () =>
    new ProblemError(401, "invalid_api_key", "The secret key is not valid.", [], {
      // RFC 6750 §3: the token was presented and is not valid.
      "www-authenticate": 'Bearer error="invalid_token"',
    });
  if (key.length > MAX_KEY_LENGTH) throw invalid();

  const hash = await sha256Hex(key);
  // Counted per key presented, before the lookup: a flood stops here, whoever's key it is.
  await enforceRateLimit(env, "merchant", `checkout:${hash}`);
  const row = await authRow(env, hash, now);
  if (row === null) throw invalid();
  // The index lookup already matched; the constant-time checks keep the decision itself free of
  // any early-exit comparison, whatever the database's collation does. Both are always made.
  const current = sameHash(row.secret_key_hash, hash);
  const previous = sameHash(row.previous_secret_key_hash ?? "0".repeat(64), hash);
  const previousLive =
    row.previous_secret_key_hash !== null && (row.previous_secret_key_expires_at ?? 0) > now;
  if (!current && !(previous && previousLive)) throw invalid();
  return { merchant: toMerchant(row), keyHash: hash, currentKey: current };
}

// What authentication reads of merchants is kept in this isolate (src/isolate-cache.ts) by key
// hash, by id and by StableMint `api_key`, so a warm merchant request reads no D1 at all. This
// isolate forgets a merchant the moment its settings or keys change here (`forgetMerchant`);
// other isolates see the change within the TTL, which bounds how long a key revoked with
// `overlap_seconds: 0` may still open one of them.
/** By the hash of a secret key the row holds (current or previous). */
const byKeyHash = new IsolateCache<MerchantAuthRow>();
/** By merchant id (the pages' framing rules). */
const byId = new IsolateCache<Merchant>();
/** By StableMint `api_key`. */
const byApiKey = new IsolateCache<StablemintMerchant & { id: string }>();

async function authRow(env: Env, hash: string, now: number): Promise<MerchantAuthRow | null> {
  const cached = byKeyHash.get(hash, now);
  if (cached !== undefined) return cached;
  const row = await merchantAuthRowByKeyHash(env.DB, hash);
  if (row === null) return null;
  byKeyHash.set(hash, row, now);
  return row;
}

/** Drops everything cached of this merchant: its settings or keys just changed. */
export function forgetMerchant(merchantId: string): void {
  for (const cache of [byKeyHash, byId, byApiKey]) cache.forget(merchantId);
}

function sameHash(stored: string, presented: string): boolean {
  const encoder = new TextEncoder();
  return crypto.subtle.timingSafeEqual(encoder.encode(stored), encoder.encode(presented));
}

/**
 * The merchant with this id, or null.
 *
 * @example
 * const merchant = await merchantById(env, "m_sandbox"); // { id: "m_sandbox", name: "Sandbox Store", … }
 */
export async function merchantById(
  env: Env,
  id: string,
  now = Date.now(),
): Promise<Merchant | null> {
  const cached = byId.get(id, now);
  if (cached !== undefined) return cached;
  const row = await merchantRowById(env.DB, id);
  if (row === null) return null;
  const merchant = toMerchant(row);
  byId.set(id, merchant, now);
  return merchant;
}

/**
 * The merchant whose StableMint `api_key` this is, with its sealed API secret (null when none
 * was set), or null when the key belongs to no merchant. The key is public (it travels beside a
 * signature), so an index lookup decides; what proves the caller is the signature.
 *
 * @example
 * await merchantByApiKey(env, "pk_test_sandbox"); // { merchant: { id: "m_sandbox", … }, apiSecretSealed: "v1.…", … }
 */
export async function merchantByApiKey(
  env: Env,
  apiKey: string,
  now = Date.now(),
): Promise<StablemintMerchant | null> {
  if (apiKey.length > MAX_KEY_LENGTH) return null;
  const cached = byApiKey.get(apiKey, now);
  if (cached !== undefined) return cached;
  const row = await merchantRowByApiKey(env.DB, apiKey);
  if (row === null) return null;
  const merchant = {
    id: row.id,
    merchant: toMerchant(row),
    apiSecretSealed: row.api_secret_sealed,
    paymentMethods: row.payment_methods,
  };
  byApiKey.set(apiKey, merchant, now);
  return merchant;
}

/** The merchant a parsed row describes; `sandbox` follows from its providers. */
export function toMerchant(row: MerchantRow): Merchant {
  return {
    id: row.id,
    name: row.name,
    logoUrl: row.logo_url,
    brandColor: row.brand_color,
    providers: row.providers,
    allowedOrigins: row.allowed_origins,
    sandbox: row.providers.every(isSandboxProvider),
    supportUrl: row.support_url,
    paymentMethods: row.payment_methods,
    routingRules: row.routing_rules,
    risk: { ...DEFAULT_RISK_SETTINGS, ...row.risk_settings },
  };
}
