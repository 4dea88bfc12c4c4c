/**
 * StableMint embedded sessions created without `amount`: the payer chooses it. The session
 * shows `amount: null` (and its limits to the payer) until the first accepted confirm, which
 * must carry an amount in minor units within the limits and fixes it for good; the chosen amount
 * then shows in the session, the payment, the list index and the webhook bodies.
 */
import { describe, expect, inject, it } from "vitest";
import { CARDS, call, card, PAYER, projected, receivedBy } from "./api.js";
import { embeddedBody, newStablemintMerchant } from "./stablemint-api.js";

const receiver = inject("receiverUrl");

const confirm = (
  token: string,
  extra: Record<string, unknown> = {},
  number: string = CARDS.success,
) =>
  call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
    payer: PAYER,
    payment_method: card(number),
    ...extra,
  });

/** A StableMint merchant (sandbox providers: 0.1 to 10 major units) and one amountless session. */
async function amountlessSession() {
  const m = await newStablemintMerchant();
  const created = await m.create("embedded", embeddedBody({ amount: undefined }));
  expect(created.status).toBe(200);
  return { m, created, token: created.json.sessionId as string, id: created.json.reference };
}

describe("an embedded session without an amount", () => {
  it("is created with the usual answer, and shows amount null and the payer's limits", async () => {
    const { m, created, token, id } = await amountlessSession();
    expect(Object.keys(created.json).sort()).toEqual(
      ["allowedPaymentMethods", "expiresAt", "reference", "savedBanks", "sessionId"].sort(),
    );
    const merchantView = await m.api("GET", `/v1/checkout-sessions/${id}`);
    expect(merchantView.json.checkout_session).toMatchObject({ status: "PENDING", amount: null });
    const payerView = await call("GET", `/v1/checkout-sessions/token/${token}`);
    expect(payerView.json.checkout_session).toMatchObject({
      amount: null,
      amount_limits: { min: 10, max: 1000 },
      currency: "EUR",
    });
    await projected(id);
    const list = await m.api("GET", "/v1/checkout-sessions");
    expect(list.json.data.find((row: { id: string }) => row.id === id)).toMatchObject({
      amount: null,
    });
  });

  it("refuses a confirm without an amount (amount_required) or outside the limits (amount_out_of_range)", async () => {
    const { token } = await amountlessSession();
    const missing = await confirm(token);
    expect([missing.status, missing.json.code]).toEqual([422, "amount_required"]);
    for (const amount of [9, 1001]) {
      const out = await confirm(token, { amount });
      expect([out.status, out.json.code]).toEqual([422, "amount_out_of_range"]);
    }
    const notMinor = await confirm(token, { amount: 7.5 });
    expect([notMinor.status, notMinor.json.code]).toEqual([422, "validation_failed"]);
    const view = await call("GET", `/v1/checkout-sessions/token/${token}`);
    expect(view.json.checkout_session).toMatchObject({ status: "PENDING", amount: null });
  });

  it("completes with the amount the payer chose: in the session, the payment, the list and every webhook", async () => {
    const { m, token, id } = await amountlessSession();
    const hook = crypto.randomUUID();
    const endpoint = await m.api("POST", "/v1/webhook-endpoints", {
      url: `${receiver}/hooks/${hook}`,
    });
    expect(endpoint.status).toBe(201);

    const paid = await confirm(token, { amount: 750 });
    expect(paid.status).toBe(200);
    expect(paid.json.checkout_session).toMatchObject({
      status: "COMPLETED",
      amount: 750,
      amount_limits: null,
    });

    const got = await m.api("GET", `/v1/checkout-sessions/${id}`);
    expect(got.json.checkout_session).toMatchObject({
      status: "COMPLETED",
      amount: 750,
      payment: { status: "SUCCEEDED", amount: 750 },
    });
    await projected(id);
    const list = await m.api("GET", "/v1/checkout-sessions?status=COMPLETED");
    expect(list.json.data.find((row: { id: string }) => row.id === id)).toMatchObject({
      amount: 750,
      status: "COMPLETED",
    });

    const bodies = (await receivedBy(hook, 3)).map((entry) => JSON.parse(entry.body));
    expect(bodies.map((b) => [b.type, b.data.object.amount])).toEqual([
      ["charge.succeeded", 750],
      ["payment.succeeded", 750],
      ["checkout_session.completed", 750],
    ]);
  });

  it("keeps the amount of the first confirm after a decline: another is amount_not_allowed", async () => {
    const { token } = await amountlessSession();
    const declined = await confirm(token, { amount: 500 }, CARDS.declined);
    expect(declined.json.checkout_session).toMatchObject({ status: "PENDING", amount: 500 });
    const other = await confirm(token, { amount: 600 });
    expect([other.status, other.json.code]).toEqual([422, "amount_not_allowed"]);
    const again = await confirm(token);
    expect(again.json.checkout_session).toMatchObject({ status: "COMPLETED", amount: 500 });
  });
});

describe("a session created with an amount", () => {
  it("takes a confirm that repeats its amount and refuses another (amount_not_allowed)", async () => {
    const m = await newStablemintMerchant();
    const created = await m.create("embedded", embeddedBody({ amount: 5.5 }));
    const token = created.json.sessionId;
    const view = await call("GET", `/v1/checkout-sessions/token/${token}`);
    expect(view.json.checkout_session).toMatchObject({ amount: 550, amount_limits: null });
    const other = await confirm(token, { amount: 600 });
    expect([other.status, other.json.code]).toEqual([422, "amount_not_allowed"]);
    const same = await confirm(token, { amount: 550 });
    expect(same.json.checkout_session).toMatchObject({ status: "COMPLETED", amount: 550 });
  });
});
