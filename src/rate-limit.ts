/**
 * Abuse limits, counted by Cloudflare's rate-limiting binding (wrangler.toml `[[ratelimits]]`,
 * `limit()` → `{ success }`): per merchant API key on the merchant API, and per checkout
 * session and per client address on the payer's routes (src/routes/payer-limits.ts). A request
 * over a limit is a `429 rate_limited` problem with `Retry-After`, refused before it reaches the
 * object, so it changes nothing.
 *
 * Each limit is set far above what an honest caller does, so that only a runaway loop, a
 * scraper or an attack meets it:
 *
 * - `merchant`, per API key (a secret key by its SHA-256, a StableMint `api_key`): 1,000 per
 *   10 s. One request per checkout and a few reads: 100 a second sustained is a flash sale of 100
 *   checkouts a second from one key (Stripe's default live-mode limit is 100 requests a second).
 * - `session`, per checkout session a payer token opens: 120 per 60 s. The page, its state, a
 *   confirm or three and a 3-D Secure round trip are about ten requests; a page left open polls
 *   every 2 s while processing (30 a minute); a reload storm or a second tab fits beside it.
 * - `address`, per client IP (`CF-Connecting-IP`, IPv6 by its /64): 300 per 10 s. About ten
 *   counted requests per checkout (assets are not counted): room for well over a hundred payers
 *   paying at once behind one carrier-grade NAT or office address.
 *
 * The binding counts per Cloudflare location and is eventually consistent, so a burst may pass a
 * few requests over: it is a brake, not an account. Locally (wrangler dev, the Vitest
 * integration) workerd counts exactly, in windows aligned to the clock. `Retry-After` is the
 * limiter's period, the longest anyone waits for its window to turn. A limiter that fails lets
 * the request through, logged: an outage of the brake must not stop payments.
 *
 * The numbers here must be wrangler.toml's (the binding reads its own, these word the 429 and its
 * `Retry-After`); test/worker/rate-limits.test.ts checks that they are, and measures them.
 */
import { ProblemError } from "./errors.js";

export const RATE_LIMITS = {
  merchant: { binding: "MERCHANT_RATE_LIMITER", limit: 1000, period: 10 },
  session: { binding: "PAYER_SESSION_RATE_LIMITER", limit: 120, period: 60 },
  address: { binding: "PAYER_IP_RATE_LIMITER", limit: 300, period: 10 },
} as const satisfies Record<string, { binding: keyof Env; limit: number; period: 10 | 60 }>;

export type Limiter = keyof typeof RATE_LIMITS;

const WHO: Record<Limiter, string> = {
  merchant: "with this API key",
  session: "for this checkout",
  address: "from your network",
};

/** The 429 for a request over `limiter`'s limit. */
export function rateLimited(limiter: Limiter): ProblemError {
  const { limit, period } = RATE_LIMITS[limiter];
  return new ProblemError(
    429,
    "rate_limited",
    `Too many requests ${WHO[limiter]}: at most ${limit} every ${period} seconds. Retry after ${period} seconds.`,
    [],
    { "retry-after": String(period) },
  );
}

/**
 * Counts one request against `key` and says whether it is within `limiter`'s limit. A binding
 * that fails says yes (and is logged).
 */
export async function withinLimit(env: Env, limiter: Limiter, key: string): Promise<boolean> {
  const { binding } = RATE_LIMITS[limiter];
  try {
    return (await env[binding].limit({ key })).success;
  } catch (error) {
    console.error(JSON.stringify({ rateLimiter: binding, error: String(error) }));
    return true;
  }
}

/**
 * Counts one request against `key`; throws the 429 when it is over `limiter`'s limit.
 *
 * @example
 * await enforceRateLimit(env, "merchant", `checkout:${keyHash}`); // the 1,001st in 10 s throws
 */
export async function enforceRateLimit(env: Env, limiter: Limiter, key: string): Promise<void> {
  if (!(await withinLimit(env, limiter, key))) throw rateLimited(limiter);
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/**
 * The client address a payer request is counted by: `CF-Connecting-IP`, which Cloudflare sets
 * on every request from the Internet (overwriting whatever the client sent). An IPv6 address is
 * counted by its /64, which one subscriber usually holds whole (RFC 6177), so rotating through
 * it buys nothing; an IPv4-mapped one as its IPv4. Null when there is no client address (a
 * request from another Worker, or the Vitest integration calling the Worker directly).
 *
 * @example
 * clientAddress(new Request("https://x", { headers: { "cf-connecting-ip": "2001:db8:1:2:3::4" } })); // "2001:db8:1:2::/64"
 */
export function clientAddress(request: Request): string | null {
  const raw = request.headers.get("cf-connecting-ip")?.trim().toLowerCase() ?? "";
  if (raw === "") return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw)?.[1];
  if (mapped !== undefined) return mapped;
  if (IPV4.test(raw) || !raw.includes(":")) return raw.slice(0, 64);
  return ipv6Slash64(raw) ?? raw.slice(0, 64);
}

function ipv6Slash64(address: string): string | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const [head = "", tail] = halves;
  const split = (part: string) => (part === "" ? [] : part.split(":"));
  const first = split(head);
  const last = tail === undefined ? [] : split(tail);
  const missing = 8 - first.length - last.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...first, ...Array<string>(missing).fill("0"), ...last];
  if (!groups.every((group) => HEXTET.test(group))) return null;
  const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(":")}::/64`;
}
