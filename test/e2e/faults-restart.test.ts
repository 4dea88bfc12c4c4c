/**
 * Hard restarts of the service as README starts it (`npm start` → wrangler dev on workerd, local
 * persistence), killed with SIGKILL and started again on the same persistence directory:
 *
 * - between a provider call and the commit of its answer: the sandbox's slow card (the charge is
 *   made at once, the answer comes 2 s later) is in flight when the process dies. The provider
 *   (the sandbox PSP's own books, its SandboxLedger object's SQLite file) holds one charge under our
 *   charge id; after the restart the session asks the provider for status, never charges again.
 * - with alarms pending: a session about to expire and a session whose webhooks are still owed
 *   (the receiver refused the first attempt). After the restart every alarm fires: the session
 *   expires, every webhook arrives, each acknowledged exactly once.
 *
 * Fakes only for outside parties: the merchant's receiver is a real HTTP server here.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Received, startReceiver } from "../support/webhook-receiver.js";
import { type Service, startService } from "./service.js";

const KEY = { authorization: "Bearer sk_test_sandbox", "content-type": "application/json" };
/** Short, so the restarted service finds the watchdog overdue; longer than the kill takes. */
const PROVIDER_TIMEOUT_MS = 5_000;
/** src/providers/sandbox.ts SLOW_ANSWER_MS: the slow card's answer comes this late. */
const SLOW_ANSWER_MS = 2_000;
const SLOW_CARD = "4000000000000200";
const EXPIRES_IN_S = 60;

const running: Service[] = [];
const receiver = await startReceiver();
const hook = crypto.randomUUID();

afterAll(async () => {
  await Promise.all(running.map((service) => service.kill()));
  await receiver.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the tests read whatever JSON came back
type Json = any;

async function request(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = KEY,
) {
  const response = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text === "" ? null : JSON.parse(text)) as Json };
}

const card = (number: string) => ({
  payment_method: {
    type: "card",
    card: { number, exp_month: 12, exp_year: 2030, cvc: "123" },
  },
  payer: { name: "Ada Lovelace", email: "ada@example.com" },
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

interface Delivery {
  id: string;
  type: string;
  sequence: number;
  session: string;
  answered: number | null;
}

async function deliveries(): Promise<Delivery[]> {
  const log: Received[] = await (await fetch(`${receiver.url}/log/${hook}`)).json();
  return log.map((entry) => {
    const body = JSON.parse(entry.body) as Json;
    return {
      id: entry.headers["webhook-id"] ?? "",
      type: body.type,
      sequence: body.sequence,
      session: body.checkoutSessionId,
      answered: entry.answered,
    };
  });
}

/** What the merchant acted on for one session: its events acknowledged, in order of arrival. */
const acknowledgedFor = (log: Delivery[], session: string) =>
  log.filter((d) => d.session === session && d.answered === 200);

/**
 * The provider's own ledger: the sandbox's charges for a payment, read from its Durable Object's
 * SQLite file in the local persistence.
 */
function providerLedger(persistTo: string, paymentId: string) {
  // The sandbox PSP's own Worker keeps its books (sandbox-psp/ledger.ts).
  const dir = join(persistTo, "v3", "do", "edge-checkout-sandbox-psp-SandboxLedger");
  const charges: Array<{
    charge_id: string;
    provider: string;
    status: string;
    created_at: number;
  }> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sqlite"))) {
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    try {
      const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'charges'").all();
      if (table.length === 0) continue;
      const rows = db
        .prepare(
          `SELECT reference AS charge_id, account AS provider, status, created_at FROM charges
           WHERE substr(reference, 1, length(?1)) = ?1`,
        )
        .all(`${paymentId}_ch`) as typeof charges;
      charges.push(...rows);
    } finally {
      db.close();
    }
  }
  return charges.sort((a, b) => a.charge_id.localeCompare(b.charge_id));
}

const paymentOf = (sessionId: string) => sessionId.replace(/^cs_/, "pay_");

/** Everything set up before the kill, and what was seen of it. */
const before = {
  expiring: "",
  expiringAt: 0,
  paid: "",
  slow: { id: "", token: "" },
  payerSaw: "",
  killedAfterMs: 0,
  ledgerAtKill: [] as ReturnType<typeof providerLedger>,
  persistTo: "",
};
let origin = "";

beforeAll(async () => {
  const first = await startService({ vars: { PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS) } });
  running.push(first);
  before.persistTo = first.persistTo;
  const api = (path: string) => `${first.origin}${path}`;
  // The receiver refuses the first request it gets (the paid session's first event).
  await fetch(`${receiver.url}/script/${hook}`, {
    method: "PUT",
    body: JSON.stringify({ steps: [{ status: 500 }] }),
  });
  const endpoint = await request("POST", api("/v1/webhook-endpoints"), {
    url: `${receiver.url}/hooks/${hook}`,
  });
  expect(endpoint.status).toBe(201);

  const session = {
    amount: 1050,
    currency: "EUR",
    return_url: "http://127.0.0.1:8787/demo/return",
  };
  // A session about to expire.
  const expiring = await request("POST", api("/v1/checkout-sessions"), {
    ...session,
    expires_in: EXPIRES_IN_S,
  });
  before.expiring = expiring.json.checkout_session.id;
  before.expiringAt = Date.parse(expiring.json.checkout_session.expires_at);
  // A paid session whose first webhook attempt fails: its events are still owed at the kill.
  const paid = await request("POST", api("/v1/checkout-sessions"), session);
  before.paid = paid.json.checkout_session.id;
  const paidConfirm = await request(
    "POST",
    api(`/v1/checkout-sessions/token/${paid.json.checkout_session.token}/confirm`),
    card("4242424242424242"),
    { "content-type": "application/json" },
  );
  expect(paidConfirm.json.checkout_session.status).toBe("COMPLETED");
  const refused = await until(deliveries, (log) => log.length >= 1, 10_000);
  expect(refused.map((d) => [d.session, d.sequence, d.answered])).toEqual([[before.paid, 1, 500]]);

  // A session whose provider call is in flight when the runtime dies.
  const slow = await request("POST", api("/v1/checkout-sessions"), session);
  before.slow = slow.json.checkout_session;
  const sentAt = Date.now();
  const payer = fetch(api(`/v1/checkout-sessions/token/${before.slow.token}/confirm`), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(card(SLOW_CARD)),
  }).then(
    (response) => `answered ${response.status}`,
    (error: unknown) => `no answer (${error instanceof Error ? error.message : String(error)})`,
  );
  // The confirm is committed (PROCESSING) and the provider has taken the charge: kill now.
  await until(
    () => request("GET", api(`/v1/checkout-sessions/${before.slow.id}`)),
    (got) => got.json.checkout_session.status === "PROCESSING",
    1_500,
  );
  before.ledgerAtKill = await until(
    async () => providerLedger(first.persistTo, paymentOf(before.slow.id)),
    (rows) => rows.length > 0,
    1_500,
  );
  before.killedAfterMs = Date.now() - sentAt;
  await first.kill();
  before.payerSaw = await payer;

  const second = await startService({
    persistTo: first.persistTo,
    port: first.port,
    vars: { PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS) },
  });
  running.push(second);
  origin = second.origin;
});

describe("SIGKILL between the provider call and the commit of its answer", () => {
  it("the provider holds one charge keyed by our charge id; after the restart the session asks for status (no second charge) and completes; the merchant is told once", async () => {
    // The kill landed inside the window: the charge made, its answer not yet back.
    expect(before.killedAfterMs).toBeLessThan(SLOW_ANSWER_MS);
    expect(before.ledgerAtKill).toMatchObject([
      { charge_id: `${paymentOf(before.slow.id)}_ch1`, provider: "sandbox", status: "succeeded" },
    ]);
    // The payer's confirm died with the runtime.
    expect(before.payerSaw).toMatch(/^no answer|^answered 5\d\d$/);

    const done = await until(
      () => request("GET", `${origin}/v1/checkout-sessions/${before.slow.id}`),
      (got) => got.json?.checkout_session?.status === "COMPLETED",
      30_000,
    );
    expect(done.json.checkout_session).toMatchObject({
      status: "COMPLETED",
      payment: { status: "SUCCEEDED", charges: [{ status: "succeeded", late: false }] },
    });
    // The journal: the confirm, then the watchdog's status check, then the provider's answer.
    const journal = await request(
      "GET",
      `${origin}/v1/checkout-sessions/${before.slow.id}/journal`,
    );
    const history = journal.json.data
      .filter((e: { type: string }) => !e.type.startsWith("WEBHOOK_"))
      .map((e: { type: string; cause: string }) => [e.type, e.cause]);
    expect(history.slice(history.findIndex(([type]: string[]) => type === "CONFIRM"))).toEqual([
      ["CONFIRM", "payer"],
      ["PROVIDER_TIMEOUT", "alarm"],
      ["PROVIDER_SUCCEEDED", "provider"],
    ]);
    // The provider: still the one charge it made before the kill, untouched.
    expect(providerLedger(before.persistTo, paymentOf(before.slow.id))).toEqual(
      before.ledgerAtKill,
    );
    // The payer: the link now says the session is paid and closed.
    const view = await request("GET", `${origin}/v1/checkout-sessions/token/${before.slow.token}`);
    expect([view.status, view.json.code]).toEqual([410, "session_closed"]);
    // The merchant: each event of the payment once.
    const log = await until(
      deliveries,
      (all) => acknowledgedFor(all, before.slow.id).length >= 3,
      20_000,
    );
    const mine = acknowledgedFor(log, before.slow.id);
    expect(mine.map((d) => [d.sequence, d.type])).toEqual([
      [1, "charge.succeeded"],
      [2, "payment.succeeded"],
      [3, "checkout_session.completed"],
    ]);
    expect(new Set(mine.map((d) => d.id)).size).toBe(3);
  });
});

describe("SIGKILL with alarms pending", () => {
  it("after the restart the owed webhooks arrive and the session expires on time: every event acknowledged exactly once", async () => {
    // The paid session's events: the refused first one again (same webhook-id), then the rest.
    const owed = await until(
      deliveries,
      (all) => acknowledgedFor(all, before.paid).length >= 3,
      30_000,
    );
    const paid = acknowledgedFor(owed, before.paid);
    expect(paid.map((d) => [d.sequence, d.type])).toEqual([
      [1, "charge.succeeded"],
      [2, "payment.succeeded"],
      [3, "checkout_session.completed"],
    ]);
    const firstEvent = owed.filter((d) => d.session === before.paid && d.sequence === 1);
    expect(firstEvent.map((d) => d.answered)).toEqual([500, 200]);
    expect(new Set(firstEvent.map((d) => d.id)).size).toBe(1);

    // The expiring session: its alarm fires after the restart, at expires_at.
    const expireBy = before.expiringAt + 20_000;
    const expired = await until(
      () => request("GET", `${origin}/v1/checkout-sessions/${before.expiring}`),
      (got) => got.json?.checkout_session?.status === "EXPIRED",
      Math.max(0, expireBy - Date.now()),
    );
    expect(expired.json.checkout_session.status).toBe("EXPIRED");
    const log = await until(
      deliveries,
      (all) => acknowledgedFor(all, before.expiring).length >= 1,
      15_000,
    );
    expect(acknowledgedFor(log, before.expiring).map((d) => d.type)).toEqual([
      "checkout_session.expired",
    ]);
    const journal = await request(
      "GET",
      `${origin}/v1/checkout-sessions/${before.expiring}/journal`,
    );
    const types = journal.json.data.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === "EXPIRE")).toHaveLength(1);

    // Nothing more comes: every event of every session acknowledged exactly once.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const final = await deliveries();
    const acks = new Map<string, number>();
    for (const d of final.filter((entry) => entry.answered === 200)) {
      acks.set(d.id, (acks.get(d.id) ?? 0) + 1);
    }
    expect([...acks.values()].every((n) => n === 1)).toBe(true);
    expect(acks.size).toBe(7); // 3 + 3 + 1
  });
});
