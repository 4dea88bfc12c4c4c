/** Test helpers: talk to the Worker over its real fetch handler, as a merchant or a payer. */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { inject } from "vitest";
import { ProblemError } from "../../src/errors.js";
import type { SessionObject } from "../../src/session/session-object.js";
import type { Received } from "../support/webhook-receiver.js";

export const SANDBOX_KEY = "sk_test_sandbox";
export const RETURN_URL = "http://127.0.0.1:8787/demo/return";
export { CARDS } from "../support/cards.js";

export async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await exports.default.fetch(`http://127.0.0.1:8787${path}`, {
    method,
    redirect: "manual",
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  const json: any = response.headers.get("content-type")?.includes("json")
    ? JSON.parse(text)
    : text;
  return { status: response.status, headers: response.headers, json };
}

export const merchant = (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => call(method, path, body, { authorization: `Bearer ${SANDBOX_KEY}`, ...headers });

export async function createSession(
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const created = await merchant(
    "POST",
    "/v1/checkout-sessions",
    { amount: 1050, currency: "EUR", return_url: RETURN_URL, ...extra },
    headers,
  );
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.json)}`);
  return created.json.checkout_session as {
    id: string;
    token: string;
    url: string;
    status: string;
  };
}

export function card(number: string) {
  return { type: "card", card: { number, exp_month: 12, exp_year: 2030, cvc: "123" } };
}

/** What the payer's page asks for by default: a cardholder name and an email for the receipt. */
export const PAYER = { name: "Ada Lovelace", email: "ada@example.com" } as const;

export const confirm = (token: string, number: string, extra: Record<string, unknown> = {}) =>
  call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
    payment_method: card(number),
    payer: PAYER,
    ...extra,
  });

/** The Durable Object behind a `cs_…` id. */
export function objectOf(sessionId: string) {
  return env.CHECKOUT_SESSIONS.get(env.CHECKOUT_SESSIONS.idFromString(sessionId.slice(3)));
}

/** Moves the object's clock forward, as time passing would, without waiting. */
export async function advanceClock(sessionId: string, ms: number) {
  await runInDurableObject(objectOf(sessionId), (instance: SessionObject) => {
    const base = instance.clock();
    instance.clock = () => base + ms;
  });
}

/** Sets the object's clock to an absolute time (epoch ms). */
export async function setClock(sessionId: string, at: number) {
  await runInDurableObject(objectOf(sessionId), (instance: SessionObject) => {
    instance.clock = () => at;
  });
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A fresh merchant of its own (D1 is shared by every test file), so its webhook endpoints and
 * events are only the test's. Returns a caller that speaks as that merchant.
 */
export async function newMerchant() {
  const id = `m_test_${crypto.randomUUID().slice(0, 8)}`;
  const key = `sk_test_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare(
    `INSERT INTO merchants (id, name, secret_key_hash, providers, allowed_origins, created_at)
     VALUES (?, 'Test Store', ?, '["sandbox","sandbox_backup"]', '[]', ?)`,
  )
    .bind(id, await sha256Hex(key), Date.now())
    .run();
  const as = (method: string, path: string, body?: unknown) =>
    call(method, path, body, { authorization: `Bearer ${key}` });
  return { id, key, call: as };
}

/** The ProblemError a call throws (a test fails if it resolves or throws something else). */
export async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProblemError))
    throw new Error(`expected a ProblemError, got ${String(error)}`);
  return error;
}

/** What the test webhook receiver's `hook` has received, once it has `count` (or after 8 s). */
export async function receivedBy(hook: string, count: number): Promise<Received[]> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const log: Received[] = await (await fetch(`${inject("receiverUrl")}/log/${hook}`)).json();
    if (log.length >= count || Date.now() > deadline) return log;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** D1 has every change of the session: the object owes it no projection. */
export function isProjected(stub: DurableObjectStub<SessionObject>): Promise<boolean> {
  return runInDurableObject(stub, (_: SessionObject, state) => {
    const sql = state.storage.sql;
    const table = sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'unprojected'").toArray();
    return table.length > 0 && sql.exec("SELECT 1 FROM unprojected").toArray().length === 0;
  });
}

/**
 * Waits until D1's lists and saved banks show the sessions as they are now. Projections are
 * written after the request is answered, by the session's alarm (due at once in these tests).
 */
export async function projected(...sessionIds: string[]): Promise<void> {
  for (const id of sessionIds) {
    const stub = objectOf(id);
    for (let i = 0; !(await isProjected(stub)); i++) {
      if (i === 200) throw new Error(`session ${id} is still not in D1 after 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * `projected` for an object whose clock runs ahead of real time (`setClock`, `advanceClock`): its
 * alarm never fires by itself, so it is run here until D1 is owed nothing. Running it early does
 * nothing else: every other deadline waits for the object's own clock.
 */
export async function projectedByAlarm(sessionId: string): Promise<void> {
  const stub = objectOf(sessionId);
  for (let i = 0; !(await isProjected(stub)); i++) {
    if (i === 50) throw new Error(`session ${sessionId} is still not in D1`);
    await runDurableObjectAlarm(stub);
  }
}
