/**
 * The `webhook_endpoints` table (migrations 0001 and 0003): a merchant's endpoints, each with
 * its signing secret sealed (src/sealed.ts: the column never holds a usable `whsec_…`) and,
 * during a rotation, the previous sealed secret until `previous_secret_expires_at`. Every read
 * and write names the merchant, except those that follow a read which already did. Rows are
 * parsed with zod.
 */
import * as z from "zod";
import { WebhookEventType } from "../../machines/index.js";

const WebhookEndpointRow = z.object({
  id: z.string(),
  merchant_id: z.string(),
  url: z.string(),
  events: z.string().transform((text) => z.array(WebhookEventType).parse(JSON.parse(text))),
  /** Sealed, as is `previous_secret`. */
  secret: z.string(),
  previous_secret: z.string().nullable(),
  previous_secret_expires_at: z.number().int().nullable(),
  created_at: z.number().int(),
  disabled_at: z.number().int().nullable(),
  disabled_reason: z.string().nullable(),
});
export type WebhookEndpointRow = z.infer<typeof WebhookEndpointRow>;

const COLUMNS =
  "id, merchant_id, url, events, secret, previous_secret, previous_secret_expires_at, created_at, disabled_at, disabled_reason";

const CountRow = z.object({ n: z.number().int().nonnegative() });

/**
 * The merchant's endpoint with this id, or null (also when it is another merchant's).
 *
 * @example
 * await webhookEndpointRow(env.DB, "m_sandbox", "we_1a2b…"); // { id: "we_1a2b…", secret: "v1.…", … }
 */
export async function webhookEndpointRow(
  db: D1Database,
  merchantId: string,
  id: string,
): Promise<WebhookEndpointRow | null> {
  const found = await db
    .prepare(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ? AND merchant_id = ?`)
    .bind(id, merchantId)
    .first();
  return found === null ? null : WebhookEndpointRow.parse(found);
}

/** How many endpoints the merchant has, enabled or not. */
export async function countWebhookEndpoints(db: D1Database, merchantId: string): Promise<number> {
  const found = await db
    .prepare("SELECT COUNT(*) AS n FROM webhook_endpoints WHERE merchant_id = ?")
    .bind(merchantId)
    .first();
  return found === null ? 0 : CountRow.parse(found).n;
}

/** Inserts a new, enabled endpoint whose secret the caller has sealed. */
export async function insertWebhookEndpoint(
  db: D1Database,
  endpoint: {
    id: string;
    merchantId: string;
    url: string;
    events: readonly WebhookEventType[];
    secretSealed: string;
    createdAt: number;
  },
): Promise<void> {
  await db
    .prepare(
      "INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(
      endpoint.id,
      endpoint.merchantId,
      endpoint.url,
      JSON.stringify(endpoint.events),
      endpoint.secretSealed,
      endpoint.createdAt,
    )
    .run();
}

/**
 * Every endpoint of the merchant: disabled ones first (most recently disabled first), then by
 * creation.
 */
export async function webhookEndpointRows(
  db: D1Database,
  merchantId: string,
): Promise<WebhookEndpointRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE merchant_id = ?
       ORDER BY disabled_at IS NULL, disabled_at DESC, created_at, id`,
    )
    .bind(merchantId)
    .all();
  return z.array(WebhookEndpointRow).parse(results);
}

/** The merchant's enabled endpoints, oldest first: where its events are delivered. */
export async function enabledWebhookEndpointRows(
  db: D1Database,
  merchantId: string,
): Promise<WebhookEndpointRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM webhook_endpoints
       WHERE merchant_id = ? AND disabled_at IS NULL ORDER BY created_at, id`,
    )
    .bind(merchantId)
    .all();
  return z.array(WebhookEndpointRow).parse(results);
}

/** Deletes the merchant's endpoint; false when it has none with this id. */
export async function deleteWebhookEndpoint(
  db: D1Database,
  merchantId: string,
  id: string,
): Promise<boolean> {
  const { meta } = await db
    .prepare("DELETE FROM webhook_endpoints WHERE id = ? AND merchant_id = ?")
    .bind(id, merchantId)
    .run();
  return meta.changes !== 0;
}

/**
 * Stores a new sealed secret, and the previous one (null: none) until `previousSecretExpiresAt`.
 * By id alone: the caller has just read the endpoint as the merchant's.
 */
export async function rotateWebhookEndpointSecret(
  db: D1Database,
  id: string,
  secrets: {
    secretSealed: string;
    previousSecretSealed: string | null;
    previousSecretExpiresAt: number;
  },
): Promise<void> {
  await db
    .prepare(
      "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_secret_expires_at = ? WHERE id = ?",
    )
    .bind(secrets.secretSealed, secrets.previousSecretSealed, secrets.previousSecretExpiresAt, id)
    .run();
}

/** Clears the endpoint's disabled state. By id alone, as `rotateWebhookEndpointSecret`. */
export async function enableWebhookEndpoint(db: D1Database, id: string): Promise<void> {
  await db
    .prepare("UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL WHERE id = ?")
    .bind(id)
    .run();
}

/** Disables the merchant's endpoint at `at` for `reason`; one already disabled keeps its first. */
export async function disableWebhookEndpoint(
  db: D1Database,
  merchantId: string,
  id: string,
  disabled: { reason: string; at: number },
): Promise<void> {
  await db
    .prepare(
      "UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND merchant_id = ? AND disabled_at IS NULL",
    )
    .bind(disabled.at, disabled.reason, id, merchantId)
    .run();
}
