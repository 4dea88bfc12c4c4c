/**
 * What `PATCH /v1/merchant` changes for the next checkout session at once: the methods it
 * offers, the provider it pays through, and the help link its payer sees.
 */
import { describe, expect, it } from "vitest";
import { CARDS, call, card, newMerchant, PAYER } from "./api.js";

async function sessionOf(m: Awaited<ReturnType<typeof newMerchant>>) {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 2500,
    currency: "EUR",
    return_url: "https://shop.example/return",
  });
  expect(created.status).toBe(201);
  return created.json.checkout_session as { id: string; token: string };
}

describe("merchant settings in the next session", () => {
  it("a merchant offering only cards gets card-only sessions; one offering both takes both", async () => {
    const m = await newMerchant();
    const both = await sessionOf(m);
    const view = await call("GET", `/v1/checkout-sessions/token/${both.token}`);
    expect(view.json.checkout_session.payment_methods).toBeNull(); // any card and bank id

    expect((await m.call("PATCH", "/v1/merchant", { payment_methods: ["card"] })).status).toBe(200);
    const cards = await sessionOf(m);
    const cardView = await call("GET", `/v1/checkout-sessions/token/${cards.token}`);
    expect(cardView.json.checkout_session.payment_methods).toEqual([{ type: "card", banks: null }]);
    const bank = await call("POST", `/v1/checkout-sessions/token/${cards.token}/confirm`, {
      payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" },
      payer: PAYER,
    });
    expect([bank.status, bank.json.code]).toEqual([422, "payment_method_not_offered"]);
    // The session made before the change keeps what it was made with.
    const earlier = await call("POST", `/v1/checkout-sessions/token/${both.token}/confirm`, {
      payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" },
      payer: PAYER,
    });
    expect(earlier.json.checkout_session.status).toBe("COMPLETED");
  });

  it("pays through the provider order and shows the support link the merchant set", async () => {
    const m = await newMerchant();
    const patched = await m.call("PATCH", "/v1/merchant", {
      providers: ["sandbox_backup", "sandbox"],
      support_url: "https://help.shop.example/pay",
    });
    expect(patched.status).toBe(200);
    const session = await sessionOf(m);
    const view = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect(view.json.checkout_session.support_url).toBe("https://help.shop.example/pay");
    const paid = await call("POST", `/v1/checkout-sessions/token/${session.token}/confirm`, {
      payment_method: card(CARDS.success),
      payer: PAYER,
    });
    expect(
      paid.json.confirmResult.payment.charges.map((c: { provider: string }) => c.provider),
    ).toEqual(["sandbox_backup"]);
  });
});
