/**
 * Verifying a webhook: our deliveries are Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256>`, secrets `whsec_…`), checked here by the public
 * `standardwebhooks` library: constant-time comparison, timestamps within 5 minutes of now.
 */
import { WebhookVerificationError as StandardWebhookError, Webhook } from "standardwebhooks";
import type { WebhookEvent } from "./webhook.types.js";

export type WebhookVerificationCode =
  | "missing_headers"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "invalid_signature"
  | "invalid_body";

/** The delivery is not one of ours, or not now: answer it 400 and do not act on it. */
export class WebhookVerificationError extends Error {
  override name = "WebhookVerificationError";
  constructor(
    readonly code: WebhookVerificationCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The request's headers: a `Headers` (fetch, Workers, Deno) or a plain record (Node's
 * `IncomingMessage.headers`, Express), any case.
 */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Record<string, string | readonly string[] | undefined>;

const NAMES = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

function pick(headers: WebhookHeaders): Record<string, string> {
  const found: Record<string, string> = {};
  if (typeof headers.get === "function") {
    for (const name of NAMES) {
      const value = headers.get(name);
      if (typeof value === "string") found[name] = value;
    }
    return found;
  }
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    const text = typeof value === "string" ? value : value?.join(" ");
    if ((NAMES as readonly string[]).includes(name) && text !== undefined) found[name] = text;
  }
  return found;
}

/** standardwebhooks' messages, as codes to branch on. */
function codeOf(message: string): WebhookVerificationCode {
  if (/missing/i.test(message)) return "missing_headers";
  if (/too old/i.test(message)) return "timestamp_too_old";
  if (/too new/i.test(message)) return "timestamp_too_new";
  if (/signature headers/i.test(message)) return "invalid_timestamp";
  return "invalid_signature";
}

function verifyWith(secret: string, body: string, headers: Record<string, string>): unknown {
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch (error) {
    // A misconfigured secret is our receiver's bug, not a forged delivery: fail loudly (a 5xx
    // makes the service retry once it is fixed) rather than as a verification failure.
    throw new TypeError("The webhook secret is not a Standard Webhooks secret (whsec_…).", {
      cause: error,
    });
  }
  try {
    return webhook.verify(body, headers);
  } catch (error) {
    if (!(error instanceof StandardWebhookError)) {
      throw new WebhookVerificationError("invalid_body", "The body is not JSON.", { cause: error });
    }
    throw new WebhookVerificationError(codeOf(error.message), error.message, { cause: error });
  }
}

/**
 * Checks a delivery's signature and timestamp and answers its body as a typed event. Pass the
 * raw body exactly as it arrived (not re-serialised JSON), and every secret that may sign it
 * now: during a rotation's overlap, the new one and the old one.
 *
 * @example
 * const event = verifyWebhook(await request.text(), request.headers, process.env.WEBHOOK_SECRET);
 * if (event.type === "payment.succeeded") await markOrderPaid(event.paymentId);
 */
export function verifyWebhook(
  body: string,
  headers: WebhookHeaders,
  secret: string | readonly string[],
): WebhookEvent {
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new TypeError("Pass at least one webhook secret.");
  const picked = pick(headers);
  let last: WebhookVerificationError | null = null;
  for (const candidate of secrets) {
    try {
      const event = verifyWith(candidate, body, picked);
      if (typeof event !== "object" || event === null || !("type" in event)) {
        throw new WebhookVerificationError("invalid_body", "The body is not a webhook event.");
      }
      // Signed by the service with this secret: its shape is the service's (the types are
      // checked against real deliveries in test/worker/client.test.ts).
      return event as WebhookEvent;
    } catch (error) {
      // Only a signature can match under another secret; headers and time are the same for all.
      if (!(error instanceof WebhookVerificationError) || error.code !== "invalid_signature") {
        throw error;
      }
      last = error;
    }
  }
  throw last ?? new WebhookVerificationError("invalid_signature", "No matching signature found");
}
