/**
 * The provider failing to answer, and answering late. The sandbox is the provider here, with
 * its memory of charges (its SandboxLedger object) as the provider's own ledger: what it holds
 * is what the provider did. Its faults are injected where an outside provider's would be, on the way to
 * and from it: a call that never reaches it, an answer lost after it acted, an answer held back
 * (test/worker/faults.ts), and the sandbox's own slow card, which answers 2 s late.
 *
 * The watchdog (PROVIDER_TIMEOUT_MS, 30 s here) is the object's alarm; each session runs on a
 * clock of its own, so its deadlines are reached by moving that clock, not by waiting.
 */
import { describe, expect, it } from "vitest";
import { CARDS, confirm } from "./api.js";
import {
  acknowledged,
  acknowledgedById,
  deliveries,
  eventually,
  FaultyProvider,
  merchantWithReceiver,
  preparedSession,
  providerCharges,
} from "./faults.js";

/** The sandbox's slow card: the charge is made at once, the answer comes 2 s later. */
const SLOW_CARD = "4000000000000200";
const WATCHDOG_MS = 30_000;

const paymentIdOf = (sessionId: string) => sessionId.replace(/^cs_/, "pay_");

type Merchant = Awaited<ReturnType<typeof merchantWithReceiver>>["m"];

async function journal(m: Merchant, sessionId: string) {
  const got = await m.call("GET", `/v1/checkout-sessions/${sessionId}/journal`);
  return got.json.data as Array<{ type: string; cause: string }>;
}

const count = (entries: Array<{ type: string }>, type: string) =>
  entries.filter((e) => e.type === type).length;

async function merchantView(m: Merchant, sessionId: string) {
  return (await m.call("GET", `/v1/checkout-sessions/${sessionId}`)).json.checkout_session;
}

describe("a provider that does not answer", () => {
  it("took the charge and its answer was lost once: the adapter's retry under the same Idempotency-Key gets that charge's answer at once; the provider has one charge", async () => {
    const { m } = await merchantWithReceiver();
    const provider = new FaultyProvider([{ party: "provider", effect: "lose", times: 1 }]);
    const { session } = await preparedSession(m, {}, { psp: provider.psp });

    const confirmed = await confirm(session.token, CARDS.success);
    expect(confirmed.json.checkout_session.status).toBe("COMPLETED");
    expect(provider.hits("provider")).toBe(1);
    expect(await providerCharges(paymentIdOf(session.id))).toMatchObject([{ status: "succeeded" }]);
  });

  it("took the charge but its answer and the first status answer were lost: the watchdog asks again and completes; the provider has one charge, the merchant each event once", async () => {
    const { m, receiver } = await merchantWithReceiver();
    // The authorize's write reaches the provider and its answer is lost, and its retry's; so are
    // both tries of the first status.
    const provider = new FaultyProvider([{ party: "provider", effect: "lose", times: 4 }]);
    const { clock, session } = await preparedSession(m, {}, { psp: provider.psp });

    const confirmed = await confirm(session.token, CARDS.success);
    expect(confirmed.json.checkout_session.status).toBe("PROCESSING"); // the payer waits
    const paymentId = paymentIdOf(session.id);
    expect(await providerCharges(paymentId)).toMatchObject([{ status: "succeeded" }]);

    expect(await clock.runNext(receiver.hook)).toBe(true); // watchdog: status, answer lost
    expect((await merchantView(m, session.id)).status).toBe("PROCESSING");
    expect(await clock.runNext(receiver.hook)).toBe(true); // watchdog again: succeeded
    const done = await merchantView(m, session.id);
    expect(done).toMatchObject({ status: "COMPLETED", payment: { status: "SUCCEEDED" } });
    expect(done.payment.charges).toHaveLength(1);
    expect(provider.hits("provider")).toBe(4);

    expect(await providerCharges(paymentId)).toHaveLength(1);
    const entries = await journal(m, session.id);
    expect(count(entries, "PROVIDER_TIMEOUT")).toBe(2);
    expect(entries.filter((e) => e.type === "PROVIDER_SUCCEEDED")).toMatchObject([
      { cause: "provider" },
    ]);
    await clock.drain(receiver.hook);
    const log = await deliveries(receiver.hook);
    expect(acknowledged(log).map(([, type]) => type)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
    expect([...acknowledgedById(log).values()]).toEqual([1, 1, 1]);
  }, 20_000);

  it("never reached by the authorize (the call was lost on the way): the watchdog learns there is no charge, the payer pays again, and the provider holds exactly one charge", async () => {
    const { m, receiver } = await merchantWithReceiver();
    // The authorize and its retry both fail to reach the provider.
    const provider = new FaultyProvider([
      { party: "provider", op: "write", effect: "refuse", times: 2 },
    ]);
    const { clock, session } = await preparedSession(m, {}, { psp: provider.psp });
    const paymentId = paymentIdOf(session.id);

    expect((await confirm(session.token, CARDS.success)).json.checkout_session.status).toBe(
      "PROCESSING",
    );
    expect(await providerCharges(paymentId)).toEqual([]);
    // The watchdog asks; the provider knows no such charge; the session reopens for the payer.
    for (let i = 0; i < 5 && (await merchantView(m, session.id)).status === "PROCESSING"; i++) {
      await clock.runNext(receiver.hook);
    }
    const reopened = await merchantView(m, session.id);
    expect(reopened.status).toBe("PENDING");
    expect(reopened.payment.charges.every((c: { status: string }) => c.status === "failed")).toBe(
      true,
    );

    const paid = await confirm(session.token, CARDS.success);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    const charges = await providerCharges(paymentId);
    expect(charges).toHaveLength(1);
    expect(charges[0]?.status).toBe("succeeded");
    const done = await merchantView(m, session.id);
    const succeeded = done.payment.charges.filter(
      (c: { status: string }) => c.status === "succeeded",
    );
    expect(succeeded.map((c: { id: string }) => c.id)).toEqual([charges[0]?.charge_id]);
    await clock.drain(receiver.hook);
    const log = await deliveries(receiver.hook);
    expect(acknowledged(log).filter(([, t]) => t === "charge.succeeded")).toHaveLength(1);
    expect([...acknowledgedById(log).values()].every((n) => n === 1)).toBe(true);
  }, 20_000);

  it("took the charge and stayed unreachable through every status check: when it is back, the money it took is not lost and the payer is not charged twice", async () => {
    const { m, receiver } = await merchantWithReceiver();
    const provider = new FaultyProvider([{ party: "provider", effect: "lose" }]);
    const { clock, session } = await preparedSession(m, {}, { psp: provider.psp });
    const paymentId = paymentIdOf(session.id);

    expect((await confirm(session.token, CARDS.success)).json.checkout_session.status).toBe(
      "PROCESSING",
    );
    // The provider took the money; every answer it gives is lost until the watchdog gives up.
    for (let i = 0; i < 12 && (await merchantView(m, session.id)).status === "PROCESSING"; i++) {
      await clock.runNext(receiver.hook);
    }
    const gaveUp = await merchantView(m, session.id);
    // The provider is back. Whatever the session shows the payer now, it must not take the
    // payment a second time, and the charge the provider holds must be the payment's.
    provider.faults = [];
    if (gaveUp.status === "PENDING") await confirm(session.token, CARDS.success);
    for (let i = 0; i < 12 && (await clock.runNext(receiver.hook)); i++);

    const atProvider = (await providerCharges(paymentId)).filter(
      (c) => c.status === "succeeded" || c.status === "authorized",
    );
    const done = await merchantView(m, session.id);
    const paidHere = done.payment.charges
      .filter((c: { status: string }) => c.status === "succeeded" || c.status === "authorized")
      .map((c: { id: string }) => c.id);
    // The provider saw one successful charge for this payment, and the payment knows it.
    const seen = JSON.stringify({
      gaveUp: [gaveUp.status, gaveUp.payment.last_error?.code],
      provider: atProvider.map((c) => [c.charge_id.slice(-3), c.provider, c.status]),
      payment: done.payment.charges.map((c: { id: string; provider: string; status: string }) => [
        c.id.slice(-3),
        c.provider,
        c.status,
      ]),
    });
    expect(
      atProvider.map((c) => c.charge_id),
      seen,
    ).toHaveLength(1);
    expect(paidHere).toEqual(atProvider.map((c) => c.charge_id));
    expect(done.payment.status).toBe("SUCCEEDED");
  }, 30_000);
});

describe("a provider that answers after our timeout", () => {
  it("the slow card: the watchdog's status check completes the session first, and the late answer changes nothing (applied once)", async () => {
    const { m, receiver } = await merchantWithReceiver();
    const { clock, session } = await preparedSession(m);
    const paymentId = paymentIdOf(session.id);

    const answer = confirm(session.token, SLOW_CARD); // the payer waits for the slow provider
    await eventually(
      () => providerCharges(paymentId),
      (c) => c.length === 1,
    );
    expect((await merchantView(m, session.id)).status).toBe("PROCESSING");

    // Our timeout passes while the provider's answer is still on its way.
    clock.advance(WATCHDOG_MS);
    expect(await clock.runNext(receiver.hook)).toBe(true);
    const completed = await merchantView(m, session.id);
    expect(completed).toMatchObject({ status: "COMPLETED", payment: { status: "SUCCEEDED" } });

    // The late answer: the payer's confirm comes back, paid; nothing moves again.
    const paid = await answer;
    expect([paid.status, paid.json.checkout_session.status]).toEqual([200, "COMPLETED"]);
    const after = await merchantView(m, session.id);
    expect(after.payment).toEqual(completed.payment);
    const entries = await journal(m, session.id);
    expect(count(entries, "PROVIDER_SUCCEEDED")).toBe(1);
    expect(count(entries, "PROVIDER_TIMEOUT")).toBe(1);
    expect(await providerCharges(paymentId)).toHaveLength(1);
    await clock.drain(receiver.hook);
    const log = await deliveries(receiver.hook);
    expect(acknowledged(log).map(([, type]) => type)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
    expect([...acknowledgedById(log).values()]).toEqual([1, 1, 1]);
  }, 20_000);

  it("both answers late, after the session expired: the success is kept and flagged paid_after_close, the session stays EXPIRED, and the second answer changes nothing", async () => {
    const { m, receiver } = await merchantWithReceiver();
    // Every provider answer comes a second late: the authorize's, then the watchdog's status.
    const provider = new FaultyProvider([{ party: "provider", effect: { hold: 1_000 } }]);
    const { clock, session } = await preparedSession(m, {}, { psp: provider.psp });
    const paymentId = paymentIdOf(session.id);

    const answer = confirm(session.token, CARDS.success);
    await eventually(
      () => providerCharges(paymentId),
      (c) => c.length === 1,
    );
    // The session's time runs out (expiry, and the watchdog with it) before any answer.
    clock.advance(3 * 3_600_000);
    await clock.runNext(receiver.hook);
    const payer = await answer;
    // The payer is told the session expired (the money is the merchant's to refund).
    expect([payer.status, payer.json.code]).toEqual([410, "session_expired"]);

    await clock.drain(receiver.hook);
    const closed = await merchantView(m, session.id);
    expect(closed.status).toBe("EXPIRED");
    expect(closed.payment).toMatchObject({ status: "SUCCEEDED", paid_after_close: true });
    expect(closed.payment.charges).toMatchObject([{ status: "succeeded", late: true }]);
    const entries = await journal(m, session.id);
    expect(count(entries, "EXPIRE")).toBe(1);
    expect(count(entries, "PROVIDER_SUCCEEDED")).toBe(1);
    expect(await providerCharges(paymentId)).toHaveLength(1);
    const log = await deliveries(receiver.hook);
    expect(acknowledged(log).map(([, type]) => type)).toEqual([
      "checkout_session.expired",
      "charge.succeeded",
      "payment.succeeded",
    ]);
    expect([...acknowledgedById(log).values()]).toEqual([1, 1, 1]);
  }, 20_000);
});
