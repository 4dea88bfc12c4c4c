/**
 * Identifiers and payer tokens. A session id is its Durable Object's id, so routing needs no
 * lookup table; the payment id carries the same hex, so a payment routes to its session too.
 *
 * A payer token is `<session id>.<HMAC-SHA256(TOKEN_SECRET, session id), base64url>`: unguessable,
 * scoped to one session, and stored nowhere (it is recomputed and compared in constant time), so
 * an idempotent replay of a create can answer with the same token without keeping it.
 */
import { ProblemError } from "./errors.js";

const HEX_ID = /^[0-9a-f]{64}$/;

export const sessionIdOf = (objectId: DurableObjectId) => `cs_${objectId.toString()}`;
export const paymentIdOf = (sessionId: string) => sessionId.replace(/^cs_/, "pay_");

/** The object id behind a `cs_…`, `pay_…`, charge or event id, or null if it is not one of ours. */
export function objectHexOf(id: string): string | null {
  const hex = /^(?:cs|pay|evt_cs)_([0-9a-f]{64})(?:_ch\d+|_\d+)?$/.exec(id)?.[1];
  return hex !== undefined && HEX_ID.test(hex) ? hex : null;
}

export function sessionStub(env: Env, id: string, what = "checkout session") {
  const missing = new ProblemError(404, "not_found", `No such ${what}.`);
  const hex = objectHexOf(id);
  if (hex === null) throw missing;
  try {
    return env.CHECKOUT_SESSIONS.get(env.CHECKOUT_SESSIONS.idFromString(hex));
  } catch {
    // Well-formed hex that this namespace never issued.
    throw missing;
  }
}

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

async function tokenKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret || secret.length < 32) {
    throw new Error("TOKEN_SECRET is missing or shorter than 32 characters (see README).");
  }
  return crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

async function tokenMac(env: Env, sessionId: string): Promise<string> {
  const key = await tokenKey(env.TOKEN_SECRET);
  return base64url(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(sessionId)));
}

export async function payerToken(env: Env, sessionId: string): Promise<string> {
  return `${sessionId}.${await tokenMac(env, sessionId)}`;
}

/** The session a payer token opens, or a 404 that says nothing about why. */
export async function sessionOfToken(env: Env, token: string): Promise<string> {
  const invalid = new ProblemError(404, "invalid_token", "This payment link is not valid.");
  const [sessionId, mac, extra] = token.split(".");
  if (sessionId === undefined || mac === undefined || extra !== undefined) throw invalid;
  if (objectHexOf(sessionId) === null || !sessionId.startsWith("cs_")) throw invalid;
  const expected = new TextEncoder().encode(await tokenMac(env, sessionId));
  const given = new TextEncoder().encode(mac);
  if (given.byteLength !== expected.byteLength) throw invalid;
  if (!crypto.subtle.timingSafeEqual(given, expected)) throw invalid;
  return sessionId;
}
