/**
 * A provider reached over HTTP: the one adapter every upstream goes through, the sandbox PSP
 * included. A provider's wire format (how a call is written, what an answer means) is its own
 * `Wire`; what is the same for all of them lives here:
 *
 * - every POST carries an `Idempotency-Key` derived from our charge id, so a retry can never
 *   charge twice, and every call has a timeout;
 * - a network error, or an answer nobody can trust (a 500, 502, 504, a body that does not
 *   parse), is retried once under the same key; still unclear, it is `silent`: the upstream may
 *   have acted, so the session must not fall back to another provider, and its watchdog asks for
 *   status later;
 * - a timeout is `silent` at once: the time is spent, the watchdog asks later;
 * - a 429 is waited out when `Retry-After` is short (≤ 2 s) and retried once; otherwise it is a
 *   retryable failure: nothing was done, so the next provider gets a chance.
 *
 * Nothing of a request or answer body is logged: the card travels in them.
 */
import type { AuthorizeRequest, Provider, ProviderOutcome, RefundRequest } from "./provider.js";

export interface Outgoing {
  method: "GET" | "POST";
  path: string;
  body?: string;
  contentType?: string;
  idempotencyKey?: string;
  /** What a 200 carries: a charge (the default) or a refund. */
  answers?: "charge" | "refund";
}

/** One upstream's wire format. `read` answers null for an answer that cannot be trusted. */
export interface Wire {
  authorize(request: AuthorizeRequest): Outgoing;
  completeAction(chargeId: string): Outgoing;
  status(chargeId: string): Outgoing;
  capture(chargeId: string): Outgoing;
  refund(request: RefundRequest): Outgoing;
  read(status: number, body: unknown, outgoing: Outgoing): ProviderOutcome | null;
}

export interface Upstream {
  /** For the log: which provider this is. */
  name: string;
  /** A service binding, or the global fetch for a provider on the internet. */
  fetcher: Pick<Fetcher, "fetch">;
  baseUrl: string;
  /** Sent as `Authorization`; never logged. */
  authorization: string;
  timeoutMs: number;
}

/**
 * How long one call may take: `UPSTREAM_TIMEOUT_MS`, but never more than half the session's
 * watchdog (`PROVIDER_TIMEOUT_MS`), so a call has given up before the watchdog asks for status.
 */
export function upstreamTimeoutMs(env: {
  UPSTREAM_TIMEOUT_MS?: string;
  PROVIDER_TIMEOUT_MS?: string;
}) {
  const watchdog = Number(env.PROVIDER_TIMEOUT_MS ?? 30_000);
  return Math.min(Number(env.UPSTREAM_TIMEOUT_MS ?? 10_000), watchdog / 2);
}

/** The retry policy of every upstream (the Stripe adapter keeps it too): one retry, and a
 * `Retry-After` waited out only when this short. */
export const ATTEMPTS = 2;
export const LONGEST_RETRY_AFTER_MS = 2_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const isTimeout = (error: unknown) =>
  error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");

export class HttpProvider implements Provider {
  constructor(
    private readonly upstream: Upstream,
    private readonly wire: Wire,
  ) {}

  authorize(request: AuthorizeRequest) {
    return this.send(this.wire.authorize(request), request.chargeId);
  }

  completeAction(chargeId: string) {
    return this.send(this.wire.completeAction(chargeId), chargeId);
  }

  status(chargeId: string) {
    return this.send(this.wire.status(chargeId), chargeId);
  }

  capture(chargeId: string) {
    return this.send(this.wire.capture(chargeId), chargeId);
  }

  refund(request: RefundRequest) {
    return this.send(this.wire.refund(request), request.chargeId);
  }

  private async send(outgoing: Outgoing, chargeId: string): Promise<ProviderOutcome> {
    for (let attempt = 1; ; attempt++) {
      const last = attempt === ATTEMPTS;
      let response: Response;
      try {
        response = await this.upstream.fetcher.fetch(this.request(outgoing));
      } catch (error) {
        this.log(outgoing, chargeId, attempt, isTimeout(error) ? "timeout" : "network_error");
        if (isTimeout(error) || last) return { type: "silent" };
        continue;
      }
      if (response.status === 429) {
        await response.body?.cancel();
        const wait = retryAfterMs(response.headers.get("retry-after"));
        this.log(outgoing, chargeId, attempt, "429");
        if (!last && wait !== null && wait <= LONGEST_RETRY_AFTER_MS) {
          await sleep(wait);
          continue;
        }
        const message = `${this.upstream.name} is rate limiting; nothing was charged.`;
        return { type: "failed", code: "provider_rate_limited", message };
      }
      const body: unknown = await response.json().catch(() => undefined);
      const outcome = this.wire.read(response.status, body, outgoing);
      if (outcome !== null) return outcome;
      this.log(outgoing, chargeId, attempt, String(response.status));
      if (last) return { type: "silent" };
    }
  }

  private request(outgoing: Outgoing): Request {
    const headers = new Headers({ authorization: this.upstream.authorization });
    if (outgoing.contentType) headers.set("content-type", outgoing.contentType);
    if (outgoing.idempotencyKey) headers.set("idempotency-key", outgoing.idempotencyKey);
    return new Request(`${this.upstream.baseUrl}${outgoing.path}`, {
      method: outgoing.method,
      headers,
      ...(outgoing.body !== undefined && { body: outgoing.body }),
      signal: AbortSignal.timeout(this.upstream.timeoutMs),
    });
  }

  /** What went wrong, and where: never a body, a header or a key. */
  private log(outgoing: Outgoing, chargeId: string, attempt: number, problem: string) {
    const { name } = this.upstream;
    const call = `${outgoing.method} ${outgoing.path.split("/").slice(0, 3).join("/")}`;
    console.warn(JSON.stringify({ provider: name, call, chargeId, attempt, problem }));
  }
}
