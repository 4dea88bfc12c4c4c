/**
 * The `merchants` table (migrations 0001, 0004 and 0006): the lookups authentication and the
 * settings routes make, and the two writes that change a merchant (a settings PATCH, a key roll),
 * built for the caller to batch with their audit entry (src/d1/audit-log.ts). Every write is
 * guarded by the `settings_version` its caller read. A secret key is never stored, only its hex
 * SHA-256; the StableMint API secret only sealed (src/sealed.ts). Rows are parsed with zod.
 */
import * as z from "zod";
import { RiskSettings } from "../core/risk.js";
import { RoutingRules } from "../core/routing.js";
import { jsonColumn } from "./json-column.js";

export const PaymentMethodType = z.enum(["card", "bank_transfer"]);
export type PaymentMethodType = z.infer<typeof PaymentMethodType>;

const Origin = z
  .string()
  .refine((value) => URL.canParse(value) && new URL(value).origin === value, "Not an origin.");

const KeyHash = z.string().regex(/^[0-9a-f]{64}$/);

/** The columns every read of a merchant parses. */
export const MerchantRow = z.object({
  id: z.string().min(1),
  name: z.string(),
  logo_url: z.string().nullable(),
  brand_color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/)
    .nullable(),
  support_url: z.string().nullable(),
  secret_key_hash: KeyHash,
  providers: jsonColumn(z.array(z.string().min(1)).min(1)),
  allowed_origins: jsonColumn(z.array(Origin)),
  payment_methods: jsonColumn(z.array(PaymentMethodType)),
  routing_rules: jsonColumn(RoutingRules),
  /** What the merchant set of its risk thresholds; the defaults fill the rest. */
  risk_settings: jsonColumn(RiskSettings.partial()),
});
export type MerchantRow = z.infer<typeof MerchantRow>;

const MERCHANT_COLUMNS =
  "id, name, logo_url, brand_color, support_url, secret_key_hash, providers, allowed_origins, payment_methods, routing_rules, risk_settings";

/** The previous key beside the current one, for authentication. */
const MerchantAuthRow = MerchantRow.extend({
  previous_secret_key_hash: KeyHash.nullable(),
  previous_secret_key_expires_at: z.number().int().nullable(),
});
export type MerchantAuthRow = z.infer<typeof MerchantAuthRow>;

/** What the StableMint dialect needs of a merchant beyond its row. */
const MerchantStablemintRow = MerchantRow.extend({
  api_secret_sealed: z.string().nullable(),
});
export type MerchantStablemintRow = z.infer<typeof MerchantStablemintRow>;

/** A merchant's keys at its providers, by provider: sealed, with a hint (migration 0013). */
export const StoredCredentials = z.record(
  z.string(),
  z.object({ sealed: z.string(), hint: z.string(), set_at: z.number().int() }),
);
export type StoredCredentials = z.infer<typeof StoredCredentials>;

/** A merchant's sealed keys at its providers (src/merchants/credentials.ts), or null. */
export async function merchantCredentials(
  db: D1Database,
  id: string,
): Promise<StoredCredentials | null> {
  const row = await db
    .prepare("SELECT provider_credentials FROM merchants WHERE id = ?")
    .bind(id)
    .first<{ provider_credentials: string }>();
  return row === null ? null : jsonColumn(StoredCredentials).parse(row.provider_credentials);
}

/** A merchant's settings with what only the settings routes read. */
const MerchantSettingsRow = MerchantRow.extend({
  provider_credentials: jsonColumn(StoredCredentials),
  created_at: z.number().int(),
  settings_version: z.number().int(),
  previous_secret_key_hash: z.string().nullable(),
  previous_secret_key_expires_at: z.number().int().nullable(),
});
export type MerchantSettingsRow = z.infer<typeof MerchantSettingsRow>;

/**
 * The merchant holding this key hash as its current or its previous key, or null. The caller
 * still compares the hashes in constant time and checks the previous key's expiry.
 *
 * @example
 * await merchantAuthRowByKeyHash(env.DB, await sha256Hex("sk_test_sandbox")); // { id: "m_sandbox", … }
 */
export async function merchantAuthRowByKeyHash(
  db: D1Database,
  keyHash: string,
): Promise<MerchantAuthRow | null> {
  const found = await db
    .prepare(
      `SELECT ${MERCHANT_COLUMNS}, previous_secret_key_hash, previous_secret_key_expires_at FROM merchants
       WHERE secret_key_hash = ?1 OR previous_secret_key_hash = ?1`,
    )
    .bind(keyHash)
    .first();
  return found === null ? null : MerchantAuthRow.parse(found);
}

/**
 * The merchant with this id, or null.
 *
 * @example
 * await merchantRowById(env.DB, "m_sandbox"); // { id: "m_sandbox", name: "Sandbox Store", … }
 */
export async function merchantRowById(db: D1Database, id: string): Promise<MerchantRow | null> {
  const found = await db
    .prepare(`SELECT ${MERCHANT_COLUMNS} FROM merchants WHERE id = ?`)
    .bind(id)
    .first();
  return found === null ? null : MerchantRow.parse(found);
}

/**
 * The merchant whose StableMint `api_key` this is, with its sealed API secret, or null.
 *
 * @example
 * await merchantRowByApiKey(env.DB, "pk_test_sandbox"); // { id: "m_sandbox", api_secret_sealed: "v1.…", … }
 */
export async function merchantRowByApiKey(
  db: D1Database,
  apiKey: string,
): Promise<MerchantStablemintRow | null> {
  const found = await db
    .prepare(`SELECT ${MERCHANT_COLUMNS}, api_secret_sealed FROM merchants WHERE api_key = ?`)
    .bind(apiKey)
    .first();
  return found === null ? null : MerchantStablemintRow.parse(found);
}

/**
 * The merchant's settings row, with the `settings_version` a change must name, or null.
 *
 * @example
 * const row = await merchantSettingsRow(env.DB, "m_sandbox"); // { …, settings_version: 3 }
 */
export async function merchantSettingsRow(
  db: D1Database,
  id: string,
): Promise<MerchantSettingsRow | null> {
  const found = await db
    .prepare(
      `SELECT ${MERCHANT_COLUMNS}, provider_credentials, created_at, settings_version, previous_secret_key_hash,
         previous_secret_key_expires_at FROM merchants WHERE id = ?`,
    )
    .bind(id)
    .first();
  return found === null ? null : MerchantSettingsRow.parse(found);
}

/** The settings a PATCH writes, in column names (which are also the wire names). */
export type MerchantSettings = Pick<
  MerchantRow,
  | "name"
  | "logo_url"
  | "brand_color"
  | "support_url"
  | "allowed_origins"
  | "payment_methods"
  | "providers"
  | "routing_rules"
> & { risk: RiskSettings; provider_credentials: StoredCredentials };

/** Which merchant a write changes, and the `settings_version` its caller read. */
export interface MerchantVersion {
  id: string;
  version: number;
}

/**
 * The write of a settings change, for the batch that also writes its audit entry. It changes
 * nothing (0 rows) when the merchant's `settings_version` is no longer `at.version`, and bumps
 * the version when it applies.
 */
export function merchantSettingsUpdate(
  db: D1Database,
  at: MerchantVersion,
  settings: MerchantSettings,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE merchants SET name = ?, logo_url = ?, brand_color = ?, support_url = ?,
         allowed_origins = ?, payment_methods = ?, providers = ?, routing_rules = ?, risk_settings = ?,
         provider_credentials = ?,
         settings_version = settings_version + 1
       WHERE id = ? AND settings_version = ?`,
    )
    .bind(
      settings.name,
      settings.logo_url,
      settings.brand_color,
      settings.support_url,
      JSON.stringify(settings.allowed_origins),
      JSON.stringify(settings.payment_methods),
      JSON.stringify(settings.providers),
      JSON.stringify(settings.routing_rules),
      JSON.stringify(settings.risk),
      JSON.stringify(settings.provider_credentials),
      at.id,
      at.version,
    );
}

/**
 * The write of a key roll, for the batch that also writes its audit entry: the new key's hash
 * becomes current, the previous slot takes `previousSecretKeyHash` (null: none) until
 * `previousSecretKeyExpiresAt`. Guarded and versioned as `merchantSettingsUpdate` is.
 */
export function merchantKeyRoll(
  db: D1Database,
  at: MerchantVersion,
  keys: {
    secretKeyHash: string;
    previousSecretKeyHash: string | null;
    previousSecretKeyExpiresAt: number | null;
  },
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE merchants SET secret_key_hash = ?, previous_secret_key_hash = ?,
         previous_secret_key_expires_at = ?, settings_version = settings_version + 1
       WHERE id = ? AND settings_version = ?`,
    )
    .bind(
      keys.secretKeyHash,
      keys.previousSecretKeyHash,
      keys.previousSecretKeyExpiresAt,
      at.id,
      at.version,
    );
}

/**
 * What the ops screen reads of a merchant on every request: its name and the hash of its current
 * secret key, read fresh (never from the isolate's auth cache), so that rolling the key ends
 * every ops session signed in with the old one at once, in every isolate.
 */
export interface OpsMerchant {
  id: string;
  name: string;
  /** Hex SHA-256 of the current secret key (never the key). */
  keyHash: string;
}

const OpsMerchantRow = z.object({
  id: z.string().min(1),
  name: z.string(),
  secret_key_hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * The merchant with this id, or null.
 *
 * @example
 * await opsMerchant(env.DB, "m_sandbox"); // { id: "m_sandbox", name: "Sandbox Store", keyHash: "9f…" }
 */
export async function opsMerchant(db: D1Database, id: string): Promise<OpsMerchant | null> {
  const found = await db
    .prepare("SELECT id, name, secret_key_hash FROM merchants WHERE id = ?")
    .bind(id)
    .first();
  if (found === null) return null;
  const row = OpsMerchantRow.parse(found);
  return { id: row.id, name: row.name, keyHash: row.secret_key_hash };
}
