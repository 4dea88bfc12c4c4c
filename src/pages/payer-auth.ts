/**
 * How the payer's pages hold the token without showing it. The hosted page trades the token
 * link for an HttpOnly cookie scoped to the session's clean URL; the embedded frame (where
 * third-party cookies are blocked) keeps the token from its URL fragment and sends it as
 * `Authorization: Token <token>` from script. Neither ever puts the token in a URL again.
 */
import { ProblemError } from "../errors.js";
import { hostedPath, sessionOfToken } from "../ids.js";

export const COOKIE = "ec_payer";
const SESSION_ID = /^cs_[0-9a-f]{64}$/;
const TOKEN_HEADER = /^Token +([\w.-]{1,256}) *$/i;

export const isSessionId = (value: string) => SESSION_ID.test(value);

/** The clean address of a session's hosted page: what the address bar shows. */
export const cleanPath = hostedPath;

/**
 * The cookie that stands for the token: readable only by the server, sent only to this
 * session's pages. Lax, not Strict, so that it rides the first redirect of a payer arriving from
 * the merchant's site (a Strict cookie set in a cross-site redirect chain is withheld on the
 * next hop); a cross-site POST never carries it, and `confirm` checks the origin as well.
 */
export function payerCookie(token: string, sessionId: string, secure: boolean): string {
  const attributes = [`Path=${cleanPath(sessionId)}`, "HttpOnly", "SameSite=Lax"];
  if (secure) attributes.push("Secure");
  return `${COOKIE}=${token}; ${attributes.join("; ")}`;
}

function cookieToken(request: Request): string | null {
  for (const pair of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === COOKIE) return value.join("=");
  }
  return null;
}

/** The token a page request presents: the frame's header first, else the hosted cookie. */
export function presentedToken(
  request: Request,
): { token: string; via: "header" | "cookie" } | null {
  const header = TOKEN_HEADER.exec(request.headers.get("authorization") ?? "")?.[1];
  if (header !== undefined) return { token: header, via: "header" };
  const cookie = cookieToken(request);
  return cookie === null ? null : { token: cookie, via: "cookie" };
}

/** The payer's token for `sessionId`, verified; a 401 problem when there is none that opens it. */
export async function payerTokenFor(
  request: Request,
  env: Env,
  sessionId: string,
): Promise<{ token: string; via: "header" | "cookie" }> {
  const unauthorized = new ProblemError(
    401,
    "invalid_token",
    "Open the payment link you were given again.",
  );
  const presented = presentedToken(request);
  if (presented === null) throw unauthorized;
  const opened = await sessionOfToken(env, presented.token).catch(() => null);
  if (opened !== sessionId) throw unauthorized;
  return presented;
}

/**
 * A state-changing request carried by the cookie must come from this origin's own page (the
 * cookie is Lax, and JSON needs a preflight, but a payment deserves both locks).
 *
 * A form post from our page (the way back, without script) says `Origin: null`: the Fetch
 * standard serializes the origin of a non-CORS POST as null under `Referrer-Policy:
 * no-referrer`, which every page of ours sends. That is accepted only beside the browser's own
 * `Sec-Fetch-Site: same-origin`, which no page can set and no other site's request carries.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const ours = new URL(request.url).origin;
  const originOk =
    origin === null || origin === ours || (origin === "null" && site === "same-origin");
  if ((site !== null && site !== "same-origin") || !originOk) {
    throw new ProblemError(403, "cross_site_request", "This request must come from the page.");
  }
}
