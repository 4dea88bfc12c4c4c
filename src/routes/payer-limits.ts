/**
 * Which payer requests count against which abuse limits (src/rate-limit.ts). Run by the router
 * before any route, so a refused request reaches no handler and changes nothing.
 *
 * Every request to a payer route counts against its client address. One that carries a payer
 * token counts against the session the token opens as well: the token API's path, a token link
 * (`/pay/<token>`, `?token=`), the hosted page's cookie, the frame's `Authorization: Token`, a
 * StableMint `sessionId`. Only a token counts against a session, never a bare session id (which
 * shows in the address bar), so nobody can spend a payer's allowance without the payer's link.
 * The 3-D Secure steps count against the session of their charge (a charge id is known to the
 * payer and the merchant, who gain nothing by exhausting it). Scripts, styles and logos count
 * against nothing: they read no session, and a page's assets would otherwise eat its allowance.
 *
 * | route                                        | address | session                    |
 * |----------------------------------------------|---------|----------------------------|
 * | `/v1/checkout-sessions/token/<token>[/…]`    | yes     | the token's                |
 * | `/v1/checkout-sessions/challenge-return`     | yes     | `charge_id`'s              |
 * | `/pay`, `/pay/<ref>[/…]`                     | yes     | the token's (link, cookie, header) |
 * | `/embed/<ref>`                               | yes     | a StableMint `sessionId`'s |
 * | `/sandbox/challenge/<charge id>`             | yes     | the charge's               |
 * | `/demo/return`                               | yes     | no                         |
 */
import type { AppRequest } from "../app.js";
import { isStablemintSessionId, objectHexOf, sessionOfToken } from "../ids.js";
import { presentedToken } from "../pages/payer-auth.js";
import { clientAddress, type Limiter, rateLimited, withinLimit } from "../rate-limit.js";

const TOKEN_API = /^\/v1\/checkout-sessions\/token\/([^/]+)/;
const CHALLENGE_RETURN = /^\/v1\/checkout-sessions\/challenge-return\/*$/;
const PAGE = /^\/pay(?:\/+([^/]*))?(?:\/|$)/;
const EMBED = /^\/embed\/([^/]+)/;
const CHALLENGE = /^\/sandbox\/challenge\/([^/]+)/;
const DEMO_RETURN = /^\/demo\/return\/*$/;

/** The session a payer token opens, or null (a token that opens none is the route's to refuse). */
function tokenSession(env: Env, token: unknown): Promise<string | null> {
  if (typeof token !== "string" || token === "") return Promise.resolve(null);
  return sessionOfToken(env, token).catch(() => null);
}

function chargeSession(chargeId: unknown): string | null {
  if (typeof chargeId !== "string") return null;
  const hex = objectHexOf(chargeId);
  return hex === null ? null : `cs_${hex}`;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

/** Whether this is a payer route, and the session it counts against (null: none). */
async function payerRoute(
  request: AppRequest,
  env: Env,
  path: string,
): Promise<{ session: string | null } | null> {
  const api = TOKEN_API.exec(path);
  if (api !== null) return { session: await tokenSession(env, api[1]) };
  if (CHALLENGE_RETURN.test(path)) return { session: chargeSession(request.query.charge_id) };
  const page = PAGE.exec(path);
  if (page !== null) {
    const ref = page[1] ?? "";
    const link = ref.includes(".") || isStablemintSessionId(ref) ? ref : request.query.token;
    const token = typeof link === "string" && link !== "" ? link : presentedToken(request)?.token;
    return { session: await tokenSession(env, token) };
  }
  const embed = EMBED.exec(path);
  if (embed !== null) {
    const ref = embed[1] ?? "";
    return { session: isStablemintSessionId(ref) ? await tokenSession(env, ref) : null };
  }
  const challenge = CHALLENGE.exec(path);
  if (challenge !== null) return { session: chargeSession(decoded(challenge[1] ?? "")) };
  if (DEMO_RETURN.test(path)) return { session: null };
  return null;
}

/**
 * Counts a payer request against its client address and its session (both, at once); throws
 * the 429 of the limit it is over, the session's when it is over both (its window is the longer,
 * so its `Retry-After` is the wait that clears both). Any other request passes untouched.
 * A CORS preflight is not counted: it does nothing, and its request is counted when it comes.
 *
 * @example
 * const router = Router({ before: [withRequestId, limitPayerRequest] });
 */
export async function limitPayerRequest(request: AppRequest, env: Env): Promise<void> {
  if (request.method === "OPTIONS") return;
  const route = await payerRoute(request, env, new URL(request.url).pathname);
  if (route === null) return;
  const address = clientAddress(request);
  const checks: Array<[Limiter, string | null]> = [
    ["session", route.session],
    ["address", address],
  ];
  const within = await Promise.all(
    checks.map(([limiter, key]) =>
      key === null ? Promise.resolve(true) : withinLimit(env, limiter, key),
    ),
  );
  const over = checks.find((_, i) => within[i] === false);
  if (over !== undefined) throw rateLimited(over[0]);
}
