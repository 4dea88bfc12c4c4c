/**
 * D1 down, for reads, for writes, and for both: at the Worker (merchant authentication, the
 * listings) and in the session object (projections, the webhook-endpoint lookup of its alarm).
 * The provider (the sandbox, whose memory happens to live in the same D1) stays up: a D1 outage
 * is ours, not the provider's. test/worker/d1-outage.test.ts covers a write-only outage of the
 * object's projections; this file widens it to reads and to the Worker.
 *
 * Each test says what the merchant, the payer and the provider observe, and checks that nothing
 * is lost or done twice: the provider's charges, the receiver's deliveries by event id, the
 * journal.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newStablemintSessionId, stablemintObjectId } from "../../src/ids.js";
import { CARDS, card, newMerchant, PAYER, projected } from "./api.js";
import {
  acknowledged,
  acknowledgedById,
  callWith,
  deliveries,
  FaultyD1,
  ObjectClock,
  type Op,
  objectForKey,
  providerCharges,
  receiverHook,
  useObjectDatabaseOf,
} from "./faults.js";
import { embeddedBody, newStablemintMerchant, signedHeaders } from "./stablemint-api.js";

const SESSION = { amount: 4200, currency: "EUR", return_url: "https://shop.example/return" };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The merchant's list, read with D1 up: what the index (a projection) holds of a session. */
async function listedStatus(key: string, id: string): Promise<string | undefined> {
  const list = await callWith(
    env.DB,
    "GET",
    "/v1/checkout-sessions?limit=100",
    undefined,
    bearer(key),
  );
  return list.json.data.find((s: { id: string }) => s.id === id)?.status;
}

async function journalTypes(key: string, id: string): Promise<string[]> {
  const journal = await callWith(
    env.DB,
    "GET",
    `/v1/checkout-sessions/${id}/journal`,
    undefined,
    bearer(key),
  );
  return journal.json.data.map((e: { type: string }) => e.type);
}

describe("a cold request (nothing cached in this isolate) while D1 is down", () => {
  it("the merchant gets a 503 service_unavailable problem with Retry-After, never a 500; nothing is created; the same request works once D1 is back", async () => {
    const m = await newMerchant();
    const d1 = new FaultyD1([{ party: "ours", op: "read", effect: "refuse" }]);
    const refused = await callWith(d1.db, "POST", "/v1/checkout-sessions", SESSION, bearer(m.key));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.json).toMatchObject({ status: 503, code: "service_unavailable" });
    expect(d1.hits("ours", "read")).toBe(1); // the key lookup, and nothing after it

    d1.faults = [];
    const created = await callWith(d1.db, "POST", "/v1/checkout-sessions", SESSION, bearer(m.key));
    expect(created.status).toBe(201);
    await projected(created.json.checkout_session.id);
    // The refused request left nothing behind: the merchant has exactly the one session.
    const list = await callWith(env.DB, "GET", "/v1/checkout-sessions", undefined, bearer(m.key));
    expect(list.json.data.map((s: { id: string }) => s.id)).toEqual([
      created.json.checkout_session.id,
    ]);
  });

  it("a StableMint merchant gets a 503 too (its api_key lookup), and no session", async () => {
    const m = await newStablemintMerchant();
    const d1 = new FaultyD1([{ party: "ours", effect: "refuse" }]);
    const body = embeddedBody();
    const headers = signedHeaders(body, { apiKey: m.apiKey, secret: m.secret });
    const refused = await callWith(d1.db, "POST", "/session/embedded", body, headers);
    expect([refused.status, refused.json.code]).toEqual([503, "service_unavailable"]);
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM checkout_sessions WHERE merchant_id = ?",
    )
      .bind(m.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });
});

describe("a warm merchant (authenticated in this isolate) while D1 is down", () => {
  it.each([
    ["GET", "/v1/checkout-sessions", undefined],
    ["GET", "/v1/events", undefined],
    ["GET", "/v1/webhook-endpoints", undefined],
    ["POST", "/v1/webhook-endpoints", { url: "https://shop.example/hooks" }],
    ["GET", "/v1/merchant", undefined],
    ["PATCH", "/v1/merchant", { name: "Renamed During The Outage" }],
    ["GET", "/v1/merchant/audit-log", undefined],
  ] as const)(
    "%s %s, which needs D1 itself, answers 503 (never 500) and changes nothing",
    async (method, path, body) => {
      const m = await newMerchant();
      const d1 = new FaultyD1();
      expect(
        (await callWith(d1.db, "GET", "/v1/webhook-endpoints", undefined, bearer(m.key))).status,
      ).toBe(200);
      d1.faults = [{ party: "ours", effect: "refuse" }];
      const refused = await callWith(d1.db, method, path, body, bearer(m.key));
      expect([refused.status, refused.json.code]).toEqual([503, "service_unavailable"]);
      expect(refused.headers.get("retry-after")).toBe("5");
      d1.faults = [];
      const settings = await callWith(d1.db, "GET", "/v1/merchant", undefined, bearer(m.key));
      expect(settings.json.merchant.name).toBe("Test Store");
      const endpoints = await callWith(
        d1.db,
        "GET",
        "/v1/webhook-endpoints",
        undefined,
        bearer(m.key),
      );
      expect(endpoints.json.data).toEqual([]);
    },
  );

  it.each<[string, Op | undefined]>([
    ["reads", "read"],
    ["writes", "write"],
    ["reads and writes", undefined],
  ])(
    "D1 refusing %s: the merchant creates and reads, the payer pays, the provider sees one charge; webhooks and listings catch up once D1 is back, each event delivered once",
    async (_, op) => {
      const m = await newMerchant();
      const receiver = await receiverHook();
      expect((await m.call("POST", "/v1/webhook-endpoints", { url: receiver.url })).status).toBe(
        201,
      );
      const d1 = new FaultyD1();
      // Warm: this isolate has authenticated the merchant before the outage.
      expect(
        (await callWith(d1.db, "GET", `/v1/checkout-sessions?limit=1`, undefined, bearer(m.key)))
          .status,
      ).toBe(200);

      // The object the create lands on meets the outage too (its projections, its alarm).
      const key = `order-${crypto.randomUUID()}`;
      const stub = objectForKey(m.id, key);
      const clock = new ObjectClock(stub);
      await clock.install();
      await useObjectDatabaseOf(stub, d1.db);
      d1.faults = [{ party: "ours", effect: "refuse", ...(op && { op }) }];

      // The merchant: a session, answered from the object.
      const created = await callWith(d1.db, "POST", "/v1/checkout-sessions", SESSION, {
        ...bearer(m.key),
        "idempotency-key": key,
      });
      expect(created.status).toBe(201);
      const session: { id: string; token: string } = created.json.checkout_session;

      // The payer: the token routes never need D1 at the Worker.
      const opened = await callWith(d1.db, "GET", `/v1/checkout-sessions/token/${session.token}`);
      expect(opened.json.checkout_session.status).toBe("PENDING");
      const paid = await callWith(
        d1.db,
        "POST",
        `/v1/checkout-sessions/token/${session.token}/confirm`,
        { payment_method: card(CARDS.success), payer: PAYER },
      );
      expect(paid.status).toBe(200);
      expect(paid.json.checkout_session.status).toBe("COMPLETED");

      // The provider: one charge, keyed by our charge id.
      const paymentId = paid.json.confirmResult.payment.id as string;
      expect(await providerCharges(paymentId)).toMatchObject([
        { charge_id: `${paymentId}_ch1`, provider: "sandbox", status: "succeeded" },
      ]);

      // The merchant reads the session from its object; a listing (D1) answers 503 or lags.
      const got = await callWith(
        d1.db,
        "GET",
        `/v1/checkout-sessions/${session.id}`,
        undefined,
        bearer(m.key),
      );
      expect(got.json.checkout_session).toMatchObject({
        status: "COMPLETED",
        payment: { status: "SUCCEEDED" },
      });
      const list = await callWith(d1.db, "GET", "/v1/checkout-sessions", undefined, bearer(m.key));
      if (op === "write")
        expect(list.json.data).toEqual([]); // the index never took the session
      else expect([list.status, list.json.code]).toEqual([503, "service_unavailable"]);

      // The alarm runs while D1 is still down, twice; it loses nothing and re-arms each time.
      for (let i = 0; i < 2; i++) {
        expect(await clock.runNext(receiver.hook)).toBe(true);
        expect(await clock.alarmAt()).not.toBeNull();
      }
      const during = await deliveries(receiver.hook);
      // With the endpoint lookup refused, nothing can be sent; with only writes refused, it is.
      if (op === "write") expect(acknowledged(during)).toHaveLength(3);
      else expect(during).toEqual([]);

      // D1 is back: the object's next alarms deliver and project everything.
      d1.faults = [];
      for (let i = 0; i < 10 && (await clock.runNext(receiver.hook)); i++);
      const log = await deliveries(receiver.hook);
      expect(acknowledged(log)).toEqual([
        [1, "charge.succeeded"],
        [2, "payment.succeeded"],
        [3, "checkout_session.completed"],
      ]);
      expect([...acknowledgedById(log).values()]).toEqual([1, 1, 1]);
      expect(await listedStatus(m.key, session.id)).toBe("COMPLETED");
      const types = await journalTypes(m.key, session.id);
      for (const type of ["CREATE", "CONFIRM", "PROVIDER_SUCCEEDED"]) {
        expect(types.filter((t) => t === type)).toHaveLength(1);
      }
      expect(await providerCharges(paymentId)).toHaveLength(1);
      // Caught up: the session is closed and everything delivered and projected, so no alarm
      // is left, and nothing more reaches the receiver.
      expect(await clock.alarmAt()).toBeNull();
      expect((await deliveries(receiver.hook)).length).toBe(log.length);
    },
    30_000,
  );

  it("a StableMint create goes on without D1 (no saved banks offered), the payer pays by bank, and the bank is saved once D1 is back", async () => {
    const m = await newStablemintMerchant();
    const d1 = new FaultyD1();
    const sign = (body: Record<string, unknown>) =>
      signedHeaders(body, { apiKey: m.apiKey, secret: m.secret });
    const userId = `user-${crypto.randomUUID()}`;
    // Warm: one create with D1 up caches the api_key in this isolate.
    const warm = embeddedBody({ userId });
    expect((await callWith(d1.db, "POST", "/session/embedded", warm, sign(warm))).status).toBe(200);

    const idempotencyKey = `sm-${crypto.randomUUID()}`;
    const sessionId = await newStablemintSessionId(env, `stablemint:${m.id}:${idempotencyKey}`);
    const stub = env.CHECKOUT_SESSIONS.get(stablemintObjectId(env, sessionId));
    const clock = new ObjectClock(stub);
    await clock.install();
    await useObjectDatabaseOf(stub, d1.db);
    d1.faults = [{ party: "ours", effect: "refuse" }];

    const body = embeddedBody({ userId, idempotencyKey });
    const created = await callWith(d1.db, "POST", "/session/embedded", body, sign(body));
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ sessionId, savedBanks: [] });

    const paid = await callWith(d1.db, "POST", `/v1/checkout-sessions/token/${sessionId}/confirm`, {
      payer: PAYER,
      payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" },
    });
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    const paymentId = paid.json.confirmResult.payment.id as string;
    expect(await providerCharges(paymentId)).toHaveLength(1);

    d1.faults = [];
    for (let i = 0; i < 10 && (await clock.runNext()); i++);
    const next = embeddedBody({ userId });
    const again = await callWith(d1.db, "POST", "/session/embedded", next, sign(next));
    expect(again.json.savedBanks).toMatchObject([{ bankId: 101, validated: true }]);
  }, 30_000);
});
