/**
 * Webhook messages: the body (frozen when the event is emitted), Standard Webhooks signing, and
 * one POST to one endpoint, cut off at the timeout. What an answer means (acknowledged, gone,
 * failed) and when to retry are pure rules in machines/webhook-delivery.ts.
 */
import type { CheckoutSnapshot, EndpointResult, OutboxEvent } from "../../machines/index.js";
import type { SessionDetails } from "../core/details.js";
import type { Dialect } from "../core/dialect.js";
import { paymentView, sessionView } from "../core/views.js";
import type { DeliveryTarget } from "./endpoints.js";

/** A 2xx within this long is success; a slower answer is cut off and retried. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;

/**
 * The body merchants receive: `{ id, type, created, sequence, checkoutSessionId, paymentId,
 * requestId, metadata, data: { object } }`, where the object is the session (`checkout_session.*`)
 * or the payment (`payment.*`, `charge.*`, `refund.*`) as the API shows it at the moment of the
 * event, and `charge.*` and `refund.*` events also name their charge or refund. The top-level ids let a handler match its records
 * as the HSRC guide writes it (`event.paymentId`), and `requestId` is the request, alarm or
 * provider answer that caused the event: the same id as in the journal and the `request-id`
 * header. The session's dialect adds its own fields at the top level (StableMint: `reference`,
 * `websiteReference` and `customFields`).
 */
export function webhookBody(
  event: OutboxEvent,
  snapshot: CheckoutSnapshot,
  details: SessionDetails,
  dialect: Dialect,
  requestId: string | null,
): string {
  const { context } = snapshot;
  const object =
    event.type.startsWith("checkout_session.") || context.payment === null
      ? sessionView(snapshot, details, dialect)
      : paymentView(context.payment, context.id);
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created: Math.floor(event.createdAt / 1000),
    sequence: event.sequence,
    checkoutSessionId: context.id,
    paymentId: context.payment?.id ?? null,
    requestId,
    metadata: context.metadata,
    ...dialect.notificationFields(snapshot, details),
    data: {
      object,
      ...(event.chargeId !== null && { charge_id: event.chargeId }),
      ...(event.refundId !== null && { refund_id: event.refundId }),
    },
  });
}

const SECRET_PREFIX = "whsec_";

/** A `whsec_…` secret's key: the bytes its base64 names, for HMAC-SHA256. */
function signingKey(secret: string): Promise<CryptoKey> {
  const base64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/**
 * The `webhook-signature` header: one `v1,<base64 HMAC-SHA256>` per secret, space-separated, so
 * during a rotation a receiver holding either secret can verify. Standard Webhooks' v1 scheme,
 * over `<id>.<timestamp>.<body>`, with the runtime's own HMAC (the standardwebhooks package signs
 * with a JavaScript SHA-256 that would cost the bundle 12 KB); its receivers verify it, and
 * test/worker/webhooks.test.ts holds it to the specification's test vector.
 */
export async function signatures(
  secrets: string[],
  id: string,
  timestamp: Date,
  body: string,
): Promise<string> {
  const signed = new TextEncoder().encode(
    `${id}.${Math.floor(timestamp.getTime() / 1000)}.${body}`,
  );
  const each = await Promise.all(
    secrets.map(async (secret) => {
      const mac = await crypto.subtle.sign("HMAC", await signingKey(secret), signed);
      return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
    }),
  );
  return each.join(" ");
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or malformed. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  if (/^\d{1,9}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** POSTs one signed message to one endpoint. Never throws: no answer is a result too. */
export async function send(
  target: DeliveryTarget,
  message: { id: string; body: string },
  timeoutMs: number,
): Promise<EndpointResult> {
  const sentAt = Date.now();
  const result = (statusCode: number | null, error: string | null, retryAfter: number | null) => ({
    endpointId: target.id,
    statusCode,
    latencyMs: Date.now() - sentAt,
    error,
    retryAfterMs: retryAfter,
  });
  try {
    const response = await fetch(target.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "edge-checkout-webhooks/1",
        "webhook-id": message.id,
        "webhook-timestamp": String(Math.floor(sentAt / 1000)),
        "webhook-signature": await signatures(
          target.secrets,
          message.id,
          new Date(sentAt),
          message.body,
        ),
      },
      body: message.body,
    });
    // Only the status matters; the receiver's body is never read.
    await response.body?.cancel();
    const { status } = response;
    const retryAfter =
      status === 429 || status === 503
        ? retryAfterMs(response.headers.get("retry-after"), Date.now())
        : null;
    return result(status, null, retryAfter);
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const reason =
      name === "TimeoutError" || name === "AbortError"
        ? `timed out after ${timeoutMs} ms`
        : `could not connect: ${error instanceof Error ? error.message : String(error)}`;
    return result(null, reason, null);
  }
}
