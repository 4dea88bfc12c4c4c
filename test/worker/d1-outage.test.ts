/**
 * D1 is a projection, never a precondition: with D1 refusing every write, a payer's confirm is
 * answered, the provider is called once and the payment succeeds; the listings lag, and catch up
 * from the session's alarm once D1 takes writes again, after a restart too.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SessionObject } from "../../src/session/session-object.js";
import { advanceClock, CARDS, call, card, newMerchant, objectOf, PAYER, projected } from "./api.js";

/** A D1 binding whose writes all fail, as D1 does in an outage (reads still answer). */
function failingWrites(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, name) {
      if (name === "batch" || name === "exec") {
        return () => Promise.reject(new Error("D1_ERROR: Network connection lost."));
      }
      const value: unknown = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Gives the object an environment whose D1 is `db` (the object reads `this.env.DB`). */
async function useDatabase(sessionId: string, db: D1Database) {
  await runInDurableObject(objectOf(sessionId), (instance: SessionObject) => {
    const environment = new Proxy(env, {
      get: (target, name) => (name === "DB" ? db : Reflect.get(target, name)),
    });
    Object.defineProperty(instance, "env", { value: environment, configurable: true });
  });
}

const listed = async (m: Awaited<ReturnType<typeof newMerchant>>, id: string) => {
  const list = await m.call("GET", "/v1/checkout-sessions?limit=100");
  return list.json.data.find((s: { id: string }) => s.id === id)?.status;
};

/** A new merchant's session, created while D1 is up, whose object then meets a D1 outage. */
async function sessionWithD1Down() {
  const m = await newMerchant();
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 4200,
    currency: "EUR",
    return_url: "https://shop.example/return",
  });
  const session: { id: string; token: string } = created.json.checkout_session;
  // The create reaches D1 (written after the answer, by the object's alarm) before D1 goes down.
  await projected(session.id);
  await useDatabase(session.id, failingWrites(env.DB));
  return { m, session };
}

describe("a D1 outage after a session was created", () => {
  it("never fails the payer, never skips the provider, and the index catches up", async () => {
    const { m, session } = await sessionWithD1Down();

    const paid = await call("POST", `/v1/checkout-sessions/token/${session.token}/confirm`, {
      payment_method: card(CARDS.success),
      payer: PAYER,
    });
    expect(paid.status).toBe(200);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    const got = await m.call("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session.payment).toMatchObject({ status: "SUCCEEDED" });
    expect(got.json.checkout_session.payment.charges).toHaveLength(1);
    // The merchant's list is a projection: it still shows what D1 last took.
    expect(await listed(m, session.id)).toBe("PENDING");

    // D1 is back; the object restarts (an eviction) and its alarm writes the projection.
    await evictDurableObject(objectOf(session.id));
    await advanceClock(session.id, 10_000);
    expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(true);
    expect(await listed(m, session.id)).toBe("COMPLETED");
    const events = await m.call("GET", `/v1/events?checkout_session_id=${session.id}`);
    expect(events.json.data.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["payment.succeeded", "checkout_session.completed"]),
    );
  });

  it("keeps trying, backing off, while D1 stays down, and loses nothing", async () => {
    const { m, session } = await sessionWithD1Down();
    const cancelled = await m.call("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    expect(cancelled.json.checkout_session.status).toBe("CANCELLED");
    for (let i = 0; i < 3; i++) {
      await advanceClock(session.id, 600_000);
      expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(true);
    }
    expect(await listed(m, session.id)).toBe("PENDING");
    await useDatabase(session.id, env.DB);
    await advanceClock(session.id, 600_000);
    expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(true);
    expect(await listed(m, session.id)).toBe("CANCELLED");
    // Caught up: no further alarm is owed to the projection.
    expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(false);
  });
});
