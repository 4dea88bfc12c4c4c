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

/** The clean address of a session's hosted page (the payer's cookie opens it). */
export const hostedPath = (sessionId: string) => `/pay/${sessionId}`;

/** The object id behind a `cs_…`, `pay_…`, charge or event id, or null if it is not one of ours. */
export function objectHexOf(id: string): string | null {
  const hex = /^(?:cs|pay|evt_cs)_([0-9a-f]{64})(?:_ch\d+|_\d+)?$/.exec(id)?.[1];
  return hex !== undefined && HEX_ID.test(hex) ? hex : null;
}

export function sessionStub(env: Env, id: string, what = "checkout session") {
  // Made only when thrown: an error captures its stack, which the found path has no use for.
  const missing = () => new ProblemError(404, "not_found", `No such ${what}.`);
  const hex = objectHexOf(id);
  if (hex === null) throw missing();
  try {
    return env.CHECKOUT_SESSIONS.get(env.CHECKOUT_SESSIONS.idFromString(hex));
  } catch {
    // Well-formed hex that this namespace never issued.
    throw missing();
  }
}

function base64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The HMAC key of the one TOKEN_SECRET an isolate runs with, imported once. */
let imported: { secret: string; key: Promise<CryptoKey> } | undefined;

function tokenKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret || secret.length < 32) {
    throw new Error("TOKEN_SECRET is missing or shorter than 32 characters (see README).");
  }
  if (imported?.secret !== secret) {
    const key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    imported = { secret, key };
  }
  return imported.key;
}

async function tokenMac(env: Env, sessionId: string): Promise<string> {
  const key = await tokenKey(env.TOKEN_SECRET);
  return base64url(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(sessionId)));
}

export async function payerToken(env: Env, sessionId: string): Promise<string> {
  return `${sessionId}.${await tokenMac(env, sessionId)}`;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `value` is a StableMint `sessionId` (a random v4 UUID, lower-case as we issue it). */
export const isStablemintSessionId = (value: string) => UUID_V4.test(value);

/**
 * The object of a StableMint session, named by its `sessionId`: the UUID is the payer's
 * capability, and it routes to its session with no lookup table (an unknown UUID names an
 * object that holds no session, which answers `invalid_token`).
 */
export function stablemintObjectId(env: Env, sessionId: string): DurableObjectId {
  return env.CHECKOUT_SESSIONS.idFromName(`stablemint-session:${sessionId}`);
}

/**
 * A new StableMint `sessionId`: random, or, for a request with an idempotency key, an HMAC of
 * the merchant and key shaped as a v4 UUID, so a retry lands on the same object and answers the
 * same `sessionId`, and nobody without TOKEN_SECRET can derive it.
 */
export async function newStablemintSessionId(env: Env, idempotencyName: string | null) {
  if (idempotencyName === null) return crypto.randomUUID();
  const key = await tokenKey(env.TOKEN_SECRET);
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`uuid:${idempotencyName}`)),
  ).slice(0, 16);
  mac[6] = ((mac[6] ?? 0) & 0x0f) | 0x40; // version 4
  mac[8] = ((mac[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The session a payer token opens, or a 404 that says nothing about why. A token is our
 * `<session id>.<MAC>`, or a StableMint `sessionId` (whose object decides whether it is real).
 */
export async function sessionOfToken(env: Env, token: string): Promise<string> {
  if (isStablemintSessionId(token)) return sessionIdOf(stablemintObjectId(env, token));
  const invalid = () => new ProblemError(404, "invalid_token", "This payment link is not valid.");
  const [sessionId, mac, extra] = token.split(".");
  if (sessionId === undefined || mac === undefined || extra !== undefined) throw invalid();
  if (objectHexOf(sessionId) === null || !sessionId.startsWith("cs_")) throw invalid();
  const expected = new TextEncoder().encode(await tokenMac(env, sessionId));
  const given = new TextEncoder().encode(mac);
  if (given.byteLength !== expected.byteLength) throw invalid();
  if (!crypto.subtle.timingSafeEqual(given, expected)) throw invalid();
  return sessionId;
}
