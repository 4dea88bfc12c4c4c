/**
 * Test helpers for the StableMint dialect. Signatures are computed here with `node:crypto`,
 * independently of the Worker's own code, as a merchant's server would compute them.
 */

import { env } from "cloudflare:workers";
import { createHash } from "node:crypto";
import { seal } from "../../src/sealed.js";
import { call, PAYER } from "./api.js";

export const SANDBOX_API_KEY = "pk_test_sandbox";
export const SANDBOX_API_SECRET = "sk_test_sandbox";
/** The sandbox merchant's allowed origin, so its redirects stay on this Worker's origin. */
export const SHOP = "http://127.0.0.1:8787/shop";

export type Flow = "hosted" | "embedded";
type Body = Record<string, unknown>;

/** hex SHA-256 of "<timestamp>,<api secret>,<userId>". */
export const sign = (timestamp: string, secret: string, userId: string) =>
  createHash("sha256").update(`${timestamp},${secret},${userId}`).digest("hex");

export const unixNow = () => Math.floor(Date.now() / 1000);

export interface Signing {
  apiKey?: string;
  secret?: string;
  timestamp?: string;
  /** Sign another userId than the body's. */
  userId?: string;
}

export function signedHeaders(body: unknown, signing: Signing = {}): Record<string, string> {
  const timestamp = signing.timestamp ?? String(unixNow());
  const fromBody =
    typeof body === "object" && body !== null && typeof (body as Body).userId === "string"
      ? ((body as Body).userId as string)
      : "";
  return {
    api_key: signing.apiKey ?? SANDBOX_API_KEY,
    timestamp,
    signature: sign(timestamp, signing.secret ?? SANDBOX_API_SECRET, signing.userId ?? fromBody),
  };
}

export const newUserId = () => `user-${crypto.randomUUID()}`;

export const embeddedBody = (extra: Body = {}): Body => ({
  userId: newUserId(),
  userEmail: "ada@example.com",
  userCountryCode: "DE",
  currency: "EUR",
  amount: 5.5,
  ...extra,
});

export const hostedBody = (extra: Body = {}): Body =>
  embeddedBody({
    successUrl: `${SHOP}/success`,
    supportUrl: `${SHOP}/support`,
    exitUrl: `${SHOP}/exit`,
    errorUrl: `${SHOP}/error`,
    ...extra,
  });

/** A signed StableMint create, as the sandbox merchant unless `signing` says otherwise. */
export const stablemint = (flow: Flow, body: unknown, signing: Signing = {}) =>
  call("POST", `/session/${flow}`, body, signedHeaders(body, signing));

async function sha256Hex(text: string) {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * A merchant of its own with a StableMint key and secret (D1 is shared by every test file):
 * `sealed` overrides the stored secret (null: none), `paymentMethods` what it accepts.
 */
export async function newStablemintMerchant(
  options: { sealed?: string | null; paymentMethods?: string[]; allowedOrigins?: string[] } = {},
) {
  const id = `m_sm_${crypto.randomUUID().slice(0, 8)}`;
  const key = `sk_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const apiKey = `pk_test_${crypto.randomUUID().replaceAll("-", "")}`;
  const secret = `sk_api_${crypto.randomUUID().replaceAll("-", "")}`;
  const sealed = options.sealed === undefined ? await seal(env, secret) : options.sealed;
  await env.DB.prepare(
    `INSERT INTO merchants (id, name, secret_key_hash, api_key, api_secret_sealed, providers,
       allowed_origins, payment_methods, created_at)
     VALUES (?, 'StableMint Shop', ?, ?, ?, '["sandbox","sandbox_backup"]', ?, ?, ?)`,
  )
    .bind(
      id,
      await sha256Hex(key),
      apiKey,
      sealed,
      JSON.stringify(options.allowedOrigins ?? []),
      JSON.stringify(options.paymentMethods ?? ["card", "bank_transfer"]),
      Date.now(),
    )
    .run();
  return {
    id,
    apiKey,
    secret,
    create: (flow: Flow, body: unknown, signing: Signing = {}) =>
      stablemint(flow, body, { apiKey, secret, ...signing }),
    /** The checkout API, as this merchant (Bearer secret key). */
    api: (method: string, path: string, body?: unknown) =>
      call(method, path, body, { authorization: `Bearer ${key}` }),
  };
}

/** Pays a session through its payer token with a bank transfer. */
export const payByBank = (token: string, bankId: string) =>
  call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
    payer: PAYER,
    payment_method: { type: "bank_transfer", bank_id: bankId },
  });
