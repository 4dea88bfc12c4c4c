/**
 * A merchant's webhook endpoints, in D1. Each has a Standard Webhooks signing secret (`whsec_` +
 * base64 of 32 random bytes), shown in full once (at creation or rotation) and stored sealed.
 * A rotation keeps the previous secret signing beside the new one for an overlap, so receivers can
 * switch without dropping a delivery. The SQL and the row schema are in src/d1/webhook-endpoints.ts.
 */
import type { WebhookEventType } from "../../machines/index.js";
import {
  countWebhookEndpoints,
  deleteWebhookEndpoint,
  disableWebhookEndpoint,
  enabledWebhookEndpointRows,
  enableWebhookEndpoint,
  insertWebhookEndpoint,
  rotateWebhookEndpointSecret,
  type WebhookEndpointRow,
  webhookEndpointRow,
  webhookEndpointRows,
} from "../d1/webhook-endpoints.js";
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

const toEndpoint = (row: WebhookEndpointRow): WebhookEndpoint => ({
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

async function findRow(env: Env, merchantId: string, id: string): Promise<WebhookEndpointRow> {
  const row = await webhookEndpointRow(env.DB, merchantId, id);
  if (row === null) throw notFound();
  return row;
}

export async function createEndpoint(
  env: Env,
  merchantId: string,
  input: { url: string; events: WebhookEventType[] },
  now: number,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  if ((await countWebhookEndpoints(env.DB, merchantId)) >= MAX_ENDPOINTS_PER_MERCHANT) {
    throw new ProblemError(
      422,
      "too_many_endpoints",
      `A merchant may have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints; delete one first.`,
    );
  }
  const id = `we_${hex(crypto.getRandomValues(new Uint8Array(12)))}`;
  const secret = newSecret();
  await insertWebhookEndpoint(env.DB, {
    id,
    merchantId,
    url: input.url,
    events: input.events,
    secretSealed: await seal(env, secret),
    createdAt: now,
  });
  targetsCache.forget(merchantId);
  return { endpoint: await getEndpoint(env, merchantId, id), secret };
}

/** Disabled endpoints first (most recently disabled first): they need the merchant's attention. */
export async function listEndpoints(env: Env, merchantId: string): Promise<WebhookEndpoint[]> {
  return (await webhookEndpointRows(env.DB, merchantId)).map(toEndpoint);
}

export async function getEndpoint(
  env: Env,
  merchantId: string,
  id: string,
): Promise<WebhookEndpoint> {
  return toEndpoint(await findRow(env, merchantId, id));
}

export async function deleteEndpoint(env: Env, merchantId: string, id: string): Promise<void> {
  if (!(await deleteWebhookEndpoint(env.DB, merchantId, id))) throw notFound();
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
  await rotateWebhookEndpointSecret(env.DB, id, {
    secretSealed: await seal(env, secret),
    previousSecretSealed: overlapMs > 0 ? row.secret : null,
    previousSecretExpiresAt: now + overlapMs,
  });
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
  await enableWebhookEndpoint(env.DB, id);
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
  await disableWebhookEndpoint(env.DB, merchantId, id, { reason, at: now });
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
  const rows = await enabledWebhookEndpointRows(env.DB, merchantId);
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
