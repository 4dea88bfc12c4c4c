/**
 * A merchant's webhook endpoints, in D1. Each has a Standard Webhooks signing secret (`whsec_` +
 * base64 of 32 random bytes), shown in full once (at creation or rotation) and stored sealed.
 * A rotation keeps the previous secret signing beside the new one for an overlap, so receivers can
 * switch without dropping a delivery.
 */
import * as z from "zod";
import { WebhookEventType } from "../../machines/index.js";
import { ProblemError } from "../errors.js";
import { IsolateCache } from "../isolate-cache.js";
import { seal, unseal } from "../sealed.js";

/** Enough for any real setup; bounds the fan-out of one delivery. */
export const MAX_ENDPOINTS_PER_MERCHANT = 16;

export interface WebhookEndpoint {
  id: string;
  merchantId: string;
  url: string;
  events: WebhookEventType[];
  createdAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
  /** While set and in the future, the previous secret still signs. */
  previousSecretExpiresAt: number | null;
}

/** What delivery needs: where to send what, and every secret that signs right now. */
export interface DeliveryTarget {
  id: string;
  url: string;
  events: WebhookEventType[];
  secrets: string[];
  /** When the previous secret stops signing (Infinity: no overlap). */
  overlapUntil: number;
}

const Row = z.object({
  id: z.string(),
  merchant_id: z.string(),
  url: z.string(),
  events: z.string().transform((text) => z.array(WebhookEventType).parse(JSON.parse(text))),
  secret: z.string(),
  previous_secret: z.string().nullable(),
  previous_secret_expires_at: z.number().int().nullable(),
  created_at: z.number().int(),
  disabled_at: z.number().int().nullable(),
  disabled_reason: z.string().nullable(),
});
type Row = z.infer<typeof Row>;

const COLUMNS =
  "id, merchant_id, url, events, secret, previous_secret, previous_secret_expires_at, created_at, disabled_at, disabled_reason";

const toEndpoint = (row: Row): WebhookEndpoint => ({
  id: row.id,
  merchantId: row.merchant_id,
  url: row.url,
  events: row.events,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
  disabledReason: row.disabled_reason,
  previousSecretExpiresAt: row.previous_secret_expires_at,
});

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

const notFound = () => new ProblemError(404, "not_found", "No such webhook endpoint.");

async function findRow(env: Env, merchantId: string, id: string): Promise<Row> {
  const found = await env.DB.prepare(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = ? AND merchant_id = ?`,
  )
    .bind(id, merchantId)
    .first();
  if (found === null) throw notFound();
  return Row.parse(found);
}

export async function createEndpoint(
  env: Env,
  merchantId: string,
  input: { url: string; events: WebhookEventType[] },
  now: number,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const count = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM webhook_endpoints WHERE merchant_id = ?",
  )
    .bind(merchantId)
    .first<{ n: number }>();
  if ((count?.n ?? 0) >= MAX_ENDPOINTS_PER_MERCHANT) {
    throw new ProblemError(
      422,
      "too_many_endpoints",
      `A merchant may have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints; delete one first.`,
    );
  }
  const id = `we_${hex(crypto.getRandomValues(new Uint8Array(12)))}`;
  const secret = newSecret();
  await env.DB.prepare(
    "INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(id, merchantId, input.url, JSON.stringify(input.events), await seal(env, secret), now)
    .run();
  targetsCache.forget(merchantId);
  return { endpoint: await getEndpoint(env, merchantId, id), secret };
}

/** Disabled endpoints first (most recently disabled first): they need the merchant's attention. */
export async function listEndpoints(env: Env, merchantId: string): Promise<WebhookEndpoint[]> {
  const { results } = await env.DB.prepare(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE merchant_id = ?
     ORDER BY disabled_at IS NULL, disabled_at DESC, created_at, id`,
  )
    .bind(merchantId)
    .all();
  return z.array(Row).parse(results).map(toEndpoint);
}

export async function getEndpoint(
  env: Env,
  merchantId: string,
  id: string,
): Promise<WebhookEndpoint> {
  return toEndpoint(await findRow(env, merchantId, id));
}

export async function deleteEndpoint(env: Env, merchantId: string, id: string): Promise<void> {
  const { meta } = await env.DB.prepare(
    "DELETE FROM webhook_endpoints WHERE id = ? AND merchant_id = ?",
  )
    .bind(id, merchantId)
    .run();
  if (meta.changes === 0) throw notFound();
  targetsCache.forget(merchantId);
}

/** A new secret now; the current one keeps signing (as the previous) for `overlapMs`. */
export async function rotateSecret(
  env: Env,
  merchantId: string,
  id: string,
  overlapMs: number,
  now: number,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const row = await findRow(env, merchantId, id);
  const secret = newSecret();
  await env.DB.prepare(
    "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_secret_expires_at = ? WHERE id = ?",
  )
    .bind(await seal(env, secret), overlapMs > 0 ? row.secret : null, now + overlapMs, id)
    .run();
  targetsCache.forget(merchantId);
  return { endpoint: await getEndpoint(env, merchantId, id), secret };
}

/** Turns delivery to an endpoint on again after it was disabled (e.g. by a 410 Gone). */
export async function enableEndpoint(
  env: Env,
  merchantId: string,
  id: string,
): Promise<WebhookEndpoint> {
  await findRow(env, merchantId, id);
  await env.DB.prepare(
    "UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL WHERE id = ?",
  )
    .bind(id)
    .run();
  targetsCache.forget(merchantId);
  return getEndpoint(env, merchantId, id);
}

/** Stops delivery to an endpoint (it answered 410 Gone, or failed a whole retry schedule). */
export async function disableEndpoint(
  env: Env,
  merchantId: string,
  id: string,
  reason: string,
  now: number,
): Promise<void> {
  await env.DB.prepare(
    "UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE id = ? AND merchant_id = ? AND disabled_at IS NULL",
  )
    .bind(now, reason, id, merchantId)
    .run();
  targetsCache.forget(merchantId);
}

/**
 * Delivery targets by merchant id, for 5 s (shorter than the merchant cache: an endpoint added
 * in another isolate must not miss more than the first few seconds of events).
 */
const targetsCache = new IsolateCache<{ id: string; targets: DeliveryTarget[] }>(5_000);

/**
 * The merchant's enabled endpoints, each with the secrets that sign at `now`. Cached in the
 * isolate; any change made here (create, delete, rotate, enable, disable) is seen at once, a
 * change made in another isolate within the cache's TTL.
 */
export async function deliveryTargets(
  env: Env,
  merchantId: string,
  now: number,
): Promise<DeliveryTarget[]> {
  const cached = targetsCache.get(merchantId, now);
  // A rotation's overlap ending is a change too: the previous secret stops signing on time.
  if (cached !== undefined && !cached.targets.some((t) => t.overlapUntil <= now)) {
    return cached.targets;
  }
  const { results } = await env.DB.prepare(
    `SELECT ${COLUMNS} FROM webhook_endpoints
     WHERE merchant_id = ? AND disabled_at IS NULL ORDER BY created_at, id`,
  )
    .bind(merchantId)
    .all();
  const rows = z.array(Row).parse(results);
  const targets = await Promise.all(
    rows.map(async (row) => {
      const previous = row.previous_secret;
      const overlapping = previous !== null && (row.previous_secret_expires_at ?? 0) > now;
      const sealed = overlapping ? [row.secret, previous] : [row.secret];
      return {
        id: row.id,
        url: row.url,
        events: row.events,
        secrets: await Promise.all(sealed.map((text) => unseal(env, text))),
        overlapUntil: overlapping ? (row.previous_secret_expires_at ?? 0) : Infinity,
      };
    }),
  );
  targetsCache.set(merchantId, { id: merchantId, targets }, now);
  return targets;
}
