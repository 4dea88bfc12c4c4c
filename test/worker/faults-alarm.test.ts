/**
 * The alarm failing again and again, then recovering. The alarm carries every deadline of a
 * session (expiry, the provider watchdog, webhook delivery); the runtime retries a thrown alarm
 * only a few times, so the handler must survive its own failures, re-arm itself, and lose
 * nothing. Two real ways to make it fail: D1 refusing the webhook-endpoint lookup it makes before
 * delivering, and a merchant's receiver answering errors.
 */
import { describe, expect, it } from "vitest";
import { CARDS, confirm } from "./api.js";
import {
  acknowledged,
  acknowledgedById,
  deliveries,
  eventually,
  FaultyD1,
  merchantWithReceiver,
  preparedSession,
  providerCharges,
  sleep,
  useObjectDatabase,
} from "./faults.js";

const EVENTS_OF_A_PAYMENT = [
  [1, "charge.succeeded"],
  [2, "payment.succeeded"],
  [3, "checkout_session.completed"],
] as const;

describe("the alarm's work failing ten times in a row", () => {
  it("D1 refuses its endpoint lookup ten times: it re-arms after each, then delivers each event once, in order; the payer stays paid, the provider has one charge", async () => {
    const { m, receiver } = await merchantWithReceiver();
    const d1 = new FaultyD1([{ party: "ours", op: "read", effect: "refuse", times: 10 }]);
    const { clock, session } = await preparedSession(m, {}, { db: d1.db });

    // The payer pays; the provider takes one charge. Delivery is now the alarm's job.
    const paid = await confirm(session.token, CARDS.success);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    const paymentId = paid.json.confirmResult.payment.id as string;

    // The first attempt follows the payment at once; each later one is the alarm's. Every one of
    // them meets the refusal until ten have been refused, and the alarm stands after each.
    let alarms = 0;
    for (; d1.hits("ours", "read") < 10 && alarms < 10; alarms++) {
      await clock.quiet(receiver.hook);
      expect(await clock.alarmAt()).not.toBeNull();
      expect(await clock.runNext(receiver.hook)).toBe(true);
    }
    expect(d1.hits("ours", "read")).toBe(10);
    expect(await clock.alarmAt()).not.toBeNull();
    // Ten failures: the merchant has been told nothing yet, and nothing was lost.
    expect(await deliveries(receiver.hook)).toEqual([]);

    // D1 answers again: the next alarm delivers everything.
    for (let i = 0; i < 5 && (await clock.runNext(receiver.hook)); i++);
    const log = await deliveries(receiver.hook);
    expect(acknowledged(log)).toEqual(EVENTS_OF_A_PAYMENT);
    expect([...acknowledgedById(log).values()]).toEqual([1, 1, 1]);
    expect(log).toHaveLength(3); // not one request more than needed

    // What the merchant reads, what the provider holds: one payment, one charge.
    const got = await m.call("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session).toMatchObject({
      status: "COMPLETED",
      payment: { status: "SUCCEEDED", charges: [{ status: "succeeded" }] },
    });
    expect(await providerCharges(paymentId)).toMatchObject([{ status: "succeeded" }]);
    const journal = await m.call("GET", `/v1/checkout-sessions/${session.id}/journal`);
    const types: string[] = journal.json.data.map((e: { type: string }) => e.type);
    expect(types.filter((t) => t === "PROVIDER_SUCCEEDED")).toHaveLength(1);
    // All done: a closed, fully delivered session keeps no alarm.
    await clock.quiet(receiver.hook);
    expect(await clock.alarmAt()).toBeNull();
  });

  it("a receiver answering 503 ten times in a row, then 200: the same event (same webhook-id) each time, then the next ones, each acknowledged once", async () => {
    const { m, receiver } = await merchantWithReceiver(
      Array.from({ length: 10 }, () => ({ status: 503 })),
    );
    const { clock, session } = await preparedSession(m);
    const paid = await confirm(session.token, CARDS.success);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");

    for (let i = 0; i < 30 && (await clock.runNext(receiver.hook)); i++);
    const log = await deliveries(receiver.hook);
    const first = log.filter((d) => d.sequence === 1);
    expect(first.map((d) => d.answered)).toEqual([...Array(10).fill(503), 200]);
    expect(new Set(first.map((d) => d.id)).size).toBe(1);
    expect(acknowledged(log)).toEqual(EVENTS_OF_A_PAYMENT);
    expect([...acknowledgedById(log).values()]).toEqual([1, 1, 1]);
    // In order: nothing of a later sequence arrived before the first was acknowledged.
    expect(log.slice(0, 11).every((d) => d.sequence === 1)).toBe(true);
    await clock.quiet(receiver.hook);
    expect(await clock.alarmAt()).toBeNull();
  });
});

describe("the alarm failing in real time", () => {
  it("backs off instead of firing again at once while D1 refuses its endpoint lookup", async () => {
    const { m, receiver } = await merchantWithReceiver();
    const created = await m.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: "https://shop.example/return",
    });
    const session: { id: string; token: string } = created.json.checkout_session;
    const d1 = new FaultyD1([{ party: "ours", op: "read", effect: "refuse" }]);
    await useObjectDatabase(session.id, d1.db);

    // Real alarms, real time: the first delivery is due at once, and the lookup fails.
    expect((await confirm(session.token, CARDS.success)).json.checkout_session.status).toBe(
      "COMPLETED",
    );
    await sleep(1_500);
    const refused = d1.hits("ours", "read");
    d1.faults = [];
    // Each failed alarm costs a D1 call; an alarm re-armed at a time already past fires again
    // at once, for ever, hammering D1 for as long as it is down.
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(3);
    // Whatever the pace, D1 is back and everything arrives once (within the backoff).
    const log = await eventually(
      () => deliveries(receiver.hook),
      (l) => acknowledged(l).length >= 3,
      10_000,
    );
    expect(acknowledged(log)).toEqual(EVENTS_OF_A_PAYMENT);
  });
});
