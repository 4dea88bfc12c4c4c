/**
 * Refunds: `POST /v1/payments/:id/refunds` and `GET …/refunds`. A refund is a machine event on
 * the session (REFUND, then the provider's REFUND_SUCCEEDED or REFUND_FAILED), sent through the
 * charge's provider, the sandbox PSP, with the refund id as its Idempotency-Key, and announced by
 * `refund.succeeded` / `refund.failed`.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CARDS, call, card, newMerchant, PAYER, RETURN_URL } from "./api.js";
import { received, receiverHook } from "./faults.js";
import { sandboxBooks } from "./sandbox-books.js";

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

async function session(m: Merchant, extra: Record<string, unknown> = {}) {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
    ...extra,
  });
  return created.json.checkout_session as { id: string; token: string };
}

async function paid(m: Merchant, method: unknown = card(CARDS.success)) {
  const { token } = await session(m);
  const confirmed = await m.call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
    payment_method: method,
    payer: PAYER,
  });
  const payment = confirmed.json.confirmResult.payment;
  expect(payment.status).toBe("SUCCEEDED");
  return payment as { id: string; checkout_session_id: string };
}

const refund = (m: Merchant, paymentId: string, body?: unknown, headers = {}) =>
  call("POST", `/v1/payments/${paymentId}/refunds`, body, {
    authorization: `Bearer ${m.key}`,
    ...headers,
  });

/** The refund events the receiver got, parsed. */
async function refundEvents(hook: string) {
  const bodies = (await received(hook)).map(
    (entry) =>
      JSON.parse(entry.body) as {
        type: string;
        data: { refund_id?: string; object: Record<string, unknown> };
      },
  );
  return bodies.filter((body) => body.type.startsWith("refund."));
}

describe("refunding a paid payment", () => {
  it("refunds all that is left by default, through the charge's provider; the payment shows it", async () => {
    const m = await newMerchant();
    const payment = await paid(m);
    const made = await refund(m, payment.id, { reason: "requested_by_customer" });
    expect(made.status).toBe(201);
    expect(made.json.refund).toMatchObject({
      object: "refund",
      payment_id: payment.id,
      charge_id: `${payment.id}_ch1`,
      amount: 1050,
      status: "succeeded",
      reason: "requested_by_customer",
      failure_code: null,
    });
    expect(made.json.refund.id).toMatch(/^re_[0-9a-f]{32}$/);

    const after = await m.call("GET", `/v1/payments/${payment.id}`);
    expect(after.json.payment).toMatchObject({ status: "SUCCEEDED", amount_refunded: 1050 });
    expect(after.json.payment.refunds).toEqual([made.json.refund]);
    const listed = await m.call("GET", `/v1/payments/${payment.id}/refunds`);
    expect(listed.json).toEqual({ object: "list", data: [made.json.refund] });
    expect(await sandboxBooks(payment.id)).toMatchObject([{ status: "succeeded", refunded: 1050 }]);

    const again = await refund(m, payment.id, {});
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("payment_refunded");
  });

  it("takes an empty POST, as `curl -X POST` sends it, as a refund of all that is left", async () => {
    const m = await newMerchant();
    const payment = await paid(m);
    const made = await exports.default.fetch(
      `http://127.0.0.1:8787/v1/payments/${payment.id}/refunds`,
      { method: "POST", headers: { authorization: `Bearer ${m.key}` } },
    );
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ refund: { amount: 1050, status: "succeeded" } });
    const typed = await exports.default.fetch(
      `http://127.0.0.1:8787/v1/payments/${payment.id}/refunds`,
      { method: "POST", headers: { authorization: `Bearer ${m.key}` }, body: "amount=5" },
    );
    expect(typed.status).toBe(415);
    await typed.body?.cancel();
  });

  it("refunds in parts, never more than was captured", async () => {
    const m = await newMerchant();
    const payment = await paid(m);
    expect((await refund(m, payment.id, { amount: 500 })).json.refund.amount).toBe(500);
    const tooMuch = await refund(m, payment.id, { amount: 600 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json).toMatchObject({ code: "amount_too_large" });
    expect(tooMuch.json.detail).toContain("550");
    expect((await refund(m, payment.id, { amount: 550 })).json.refund.status).toBe("succeeded");
    const view = await m.call("GET", `/v1/payments/${payment.id}`);
    expect(view.json.payment.amount_refunded).toBe(1050);
    expect(await sandboxBooks(payment.id)).toMatchObject([{ refunded: 1050 }]);
  });

  it("an Idempotency-Key names one refund: a retry answers it (200), other parameters are refused", async () => {
    const m = await newMerchant();
    const payment = await paid(m);
    const key = { "idempotency-key": `refund-${crypto.randomUUID()}` };
    const first = await refund(m, payment.id, { amount: 300 }, key);
    const retried = await refund(m, payment.id, { amount: 300 }, key);
    expect([first.status, retried.status]).toEqual([201, 200]);
    expect(retried.json.refund).toEqual(first.json.refund);
    const other = await refund(m, payment.id, { amount: 400 }, key);
    expect(other.status).toBe(422);
    expect(other.json.code).toBe("idempotency_key_reused");
    const view = await m.call("GET", `/v1/payments/${payment.id}`);
    expect(view.json.payment.refunds).toHaveLength(1);
    expect(await sandboxBooks(payment.id)).toMatchObject([{ refunded: 300 }]);
  });

  it("is journaled: the merchant's REFUND, then the provider's REFUND_SUCCEEDED", async () => {
    const m = await newMerchant();
    const payment = await paid(m);
    await refund(m, payment.id, {}, { "request-id": "req_refund_1" });
    const journal = await m.call(
      "GET",
      `/v1/checkout-sessions/${payment.checkout_session_id}/journal`,
    );
    const entries = journal.json.data as Array<{ type: string; cause: string; request_id: string }>;
    expect(entries.filter((e) => e.type.startsWith("REFUND"))).toMatchObject([
      { type: "REFUND", cause: "merchant", request_id: "req_refund_1" },
      { type: "REFUND_SUCCEEDED", cause: "provider", request_id: "req_refund_1" },
    ]);
  });

  it("announces refund.succeeded and refund.failed, naming the refund", async () => {
    const m = await newMerchant();
    const receiver = await receiverHook();
    await m.call("POST", "/v1/webhook-endpoints", { url: receiver.url });
    const byCard = await paid(m);
    const succeeded = await refund(m, byCard.id, { amount: 100 });
    // The sandbox's bank transfers are refunded by the bank, never through its API.
    const byBank = await paid(m, { type: "bank_transfer", bank_id: "sandbox_de_1" });
    const failed = await refund(m, byBank.id, {});
    expect(failed.status).toBe(201);
    expect(failed.json.refund).toMatchObject({
      status: "failed",
      failure_code: "refund_not_supported",
    });
    const view = await m.call("GET", `/v1/payments/${byBank.id}`);
    expect(view.json.payment.amount_refunded).toBe(0);

    let events = await refundEvents(receiver.hook);
    for (let i = 0; i < 100 && events.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      events = await refundEvents(receiver.hook);
    }
    expect(events.map((e) => [e.type, e.data.refund_id])).toEqual([
      ["refund.succeeded", succeeded.json.refund.id],
      ["refund.failed", failed.json.refund.id],
    ]);
    expect(events[0]?.data.object).toMatchObject({
      id: byCard.id,
      amount_refunded: 100,
    });
  });
});

describe("what cannot be refunded", () => {
  it("a payment that took no money, one that is only authorized, another merchant's", async () => {
    const m = await newMerchant();
    const declined = await session(m);
    await m.call("POST", `/v1/checkout-sessions/token/${declined.token}/confirm`, {
      payment_method: card(CARDS.declined),
      payer: PAYER,
    });
    const declinedRefund = await refund(m, declined.id.replace("cs_", "pay_"), {});
    expect([declinedRefund.status, declinedRefund.json.code]).toEqual([
      409,
      "payment_not_refundable",
    ]);

    const held = await session(m, { capture_method: "manual" });
    await m.call("POST", `/v1/checkout-sessions/token/${held.token}/confirm`, {
      payment_method: card(CARDS.success),
      payer: PAYER,
    });
    const heldRefund = await refund(m, held.id.replace("cs_", "pay_"), {});
    expect([heldRefund.status, heldRefund.json.code]).toEqual([409, "payment_not_refundable"]);

    const unpaid = await session(m);
    const none = await refund(m, unpaid.id.replace("cs_", "pay_"), {});
    expect([none.status, none.json.code]).toEqual([404, "not_found"]);

    const other = await newMerchant();
    const theirs = await paid(other);
    const foreign = await refund(m, theirs.id, {});
    expect([foreign.status, foreign.json.code]).toEqual([404, "not_found"]);
    expect(await sandboxBooks(theirs.id)).toMatchObject([{ refunded: 0 }]);
  });

  it("refuses bad input with a problem, and refunds nothing", async () => {
    const m = await newMerchant();
    const payment = await paid(m);
    for (const body of [
      { amount: -1 },
      { amount: 1.5 },
      { amount: "10" },
      { reason: "why" },
      { x: 1 },
    ]) {
      const refused = await refund(m, payment.id, body);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
    }
    const badKey = await refund(m, payment.id, {}, { "idempotency-key": "" });
    expect(badKey.status).toBe(422);
    const view = await m.call("GET", `/v1/payments/${payment.id}`);
    expect(view.json.payment.refunds).toEqual([]);
  });
});

describe("a payment flagged paid_after_close", () => {
  it("is refunded in one call", async () => {
    const m = await newMerchant();
    const { id, token } = await session(m);
    // The silent card: the provider takes the money but does not answer in time.
    await m.call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
      payment_method: card(CARDS.silent),
      payer: PAYER,
    });
    await m.call("POST", `/v1/test_helpers/checkout-sessions/${id}/advance_clock`, {
      to: "expires_at",
    });
    const paymentId = id.replace("cs_", "pay_");
    await m.call("POST", `/v1/test_helpers/payments/${paymentId}/provider_answer`, {
      outcome: "succeeded",
    });
    const late = await m.call("GET", `/v1/payments/${paymentId}`);
    expect(late.json.payment).toMatchObject({ status: "SUCCEEDED", paid_after_close: true });

    const made = await refund(m, paymentId);
    expect(made.status).toBe(201);
    expect(made.json.refund).toMatchObject({ amount: 1050, status: "succeeded" });
    const view = await m.call("GET", `/v1/checkout-sessions/${id}`);
    expect(view.json.checkout_session.status).toBe("EXPIRED");
  });
});
