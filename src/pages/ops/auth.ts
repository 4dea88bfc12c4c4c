/**
 * The operator's session on the ops screen. Signing in trades the merchant's secret key (a form
 * POST) for a cookie that holds neither the key nor its hash:
 *
 *   ec_ops = <base64url(JSON [merchant id, expires at ms])>.<base64url HMAC-SHA256>
 *
 * The HMAC (keyed by TOKEN_SECRET, as payer tokens are: src/ids.ts) covers the merchant id, the
 * expiry and the SHA-256 of the key that signed in, so the cookie is good only while that key is
 * the merchant's current one: a key roll ends every ops session at once (the hash is read fresh
 * from D1 on every request, src/d1/merchants.ts). The cookie is `HttpOnly; SameSite=Strict;
 * Path=/ops`, `Secure` over https (as the payer's cookie, src/pages/payer-auth.ts), and lives
 * 8 hours. Every form also carries a CSRF token, an HMAC of the cookie, beside the same-origin
 * check the payer's posts get.
 */
import { opsMerchant } from "../../d1/merchants.js";
import { ProblemError } from "../../errors.js";
import { authenticateCaller } from "../../merchants/merchants.js";

export const OPS_COOKIE = "ec_ops";
export const OPS_PATH = "/ops";
/** How long a sign-in lasts: a working day, then the key is asked for again. */
export const OPS_SESSION_MS = 8 * 60 * 60 * 1000;

export interface OpsSession {
  merchantId: string;
  merchantName: string;
  expiresAt: number;
  /** Hex SHA-256 of the key signed in with (for the audit's actor; never shown whole). */
  keyHash: string;
  /** The form field every POST must echo. */
  csrf: string;
}

const encoder = new TextEncoder();

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return btoa(String.fromCharCode(...view))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function fromBase64url(text: string): string | null {
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

let imported: { secret: string; key: Promise<CryptoKey> } | undefined;

function macKey(env: Env): Promise<CryptoKey> {
  const secret = env.TOKEN_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error("TOKEN_SECRET is missing or shorter than 32 characters (see README).");
  }
  if (imported?.secret !== secret) {
    const key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    imported = { secret, key };
  }
  return imported.key;
}

/** HMAC-SHA256 under TOKEN_SECRET, with a label of its own so no other token collides. */
async function mac(env: Env, label: string, message: string): Promise<string> {
  const signed = await crypto.subtle.sign(
    "HMAC",
    await macKey(env),
    encoder.encode(`${label}\n${message}`),
  );
  return base64url(signed);
}

function sameText(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.byteLength === right.byteLength && crypto.subtle.timingSafeEqual(left, right);
}

const sessionMac = (env: Env, merchantId: string, expiresAt: number, keyHash: string) =>
  mac(env, "ops-session", `${merchantId}\n${expiresAt}\n${keyHash}`);

const csrfOf = (env: Env, cookie: string) => mac(env, "ops-csrf", cookie);

function cookieAttributes(secure: boolean, maxAge: number): string {
  const attributes = [`Path=${OPS_PATH}`, "HttpOnly", "SameSite=Strict", `Max-Age=${maxAge}`];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

const isHttps = (request: Request) => new URL(request.url).protocol === "https:";

/** The `Set-Cookie` that ends the ops session in this browser. */
export const signedOutCookie = (request: Request) =>
  `${OPS_COOKIE}=; ${cookieAttributes(isHttps(request), 0)}`;

/**
 * Checks a secret key typed into the sign-in form and answers the cookie that stands for it.
 * Only the merchant's current key signs in: a key rolled out (still working on the API during
 * its overlap) is refused, since an ops session must end with the key that opened it. Throws a
 * 401 `invalid_api_key` (or the key's 429) otherwise.
 *
 * @example
 * const { setCookie } = await signIn(request, env, "sk_test_sandbox"); // ec_ops=…; Path=/ops; HttpOnly; …
 */
export async function signIn(
  request: Request,
  env: Env,
  secretKey: string,
  now = Date.now(),
): Promise<{ setCookie: string }> {
  const bearer = new Request(request.url, {
    headers: { authorization: `Bearer ${secretKey.trim()}` },
  });
  const caller = await authenticateCaller(bearer, env, now).catch((error: unknown) => {
    if (error instanceof ProblemError && error.status === 401) throw invalidKey();
    throw error;
  });
  if (!caller.currentKey) {
    throw new ProblemError(
      401,
      "previous_key",
      "This key has been rolled. Sign in with the merchant's current secret key.",
    );
  }
  const expiresAt = now + OPS_SESSION_MS;
  const payload = base64url(encoder.encode(JSON.stringify([caller.merchant.id, expiresAt])));
  const value = `${payload}.${await sessionMac(env, caller.merchant.id, expiresAt, caller.keyHash)}`;
  return {
    setCookie: `${OPS_COOKIE}=${value}; ${cookieAttributes(isHttps(request), OPS_SESSION_MS / 1000)}`,
  };
}

const invalidKey = () =>
  new ProblemError(401, "invalid_api_key", "That secret key is not valid. Check it and try again.");

function cookieValue(request: Request): string | null {
  for (const pair of (request.headers.get("cookie") ?? "").split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === OPS_COOKIE) return value.join("=");
  }
  return null;
}

/**
 * The ops session a request's cookie carries, or null when there is none, it expired, it was
 * forged, or the key it was opened with is no longer the merchant's current key.
 *
 * @example
 * const session = await opsSession(request, env); // { merchantId: "m_sandbox", csrf: "…", … } or null
 */
export async function opsSession(
  request: Request,
  env: Env,
  now = Date.now(),
): Promise<OpsSession | null> {
  const value = cookieValue(request);
  if (value === null || value.length > 512) return null;
  const [payload = "", given = "", extra] = value.split(".");
  if (extra !== undefined) return null;
  const decoded = fromBase64url(payload);
  let parsed: unknown;
  try {
    parsed = decoded === null ? null : JSON.parse(decoded);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [merchantId, expiresAt] = parsed;
  if (typeof merchantId !== "string" || typeof expiresAt !== "number") return null;
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
  const merchant = await opsMerchant(env.DB, merchantId);
  if (merchant === null) return null;
  if (!sameText(await sessionMac(env, merchantId, expiresAt, merchant.keyHash), given)) return null;
  return {
    merchantId,
    merchantName: merchant.name,
    expiresAt,
    keyHash: merchant.keyHash,
    csrf: await csrfOf(env, value),
  };
}

/** A 403 unless the form's CSRF token is the one this session's pages carry. */
export function assertCsrf(session: OpsSession, given: string | null): void {
  if (given === null || !sameText(session.csrf, given)) {
    throw new ProblemError(
      403,
      "csrf_token_invalid",
      "This form did not come from this screen, or it is from an earlier sign-in. Reload the page and try again.",
    );
  }
}
