/**
 * A merchant's routing rules (`PATCH /v1/merchant` `routing_rules`, src/core/routing.ts): the
 * first rule whose match holds sends a confirm to its providers, in order; each charge records
 * the rule; none matching, the merchant's `providers`. Rules are the session's from creation.
 */
import { describe, expect, it } from "vitest";
import { call, card, newMerchant, PAYER, RETURN_URL } from "./api.js";

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

const BACKUP_ONLY = ["sandbox_backup"];

async function routed(rules: unknown[]) {
  const m = await newMerchant();
  const patched = await m.call("PATCH", "/v1/merchant", { routing_rules: rules });
  expect(patched.status).toBe(200);
  return m;
}

async function pay(
  m: Merchant,
  method: unknown,
  session: Record<string, unknown> = {},
): Promise<Array<{ provider: string; status: string; routing_rule: string | null }>> {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
    ...session,
  });
  const { token } = created.json.checkout_session;
  const confirmed = await call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
    payment_method: method,
    payer: PAYER,
  });
  expect(confirmed.status).toBe(200);
  return confirmed.json.confirmResult.payment.charges;
}

const where = (charges: Awaited<ReturnType<typeof pay>>) =>
  charges.map((c) => [c.provider, c.routing_rule]);

describe("routing rules", () => {
  it("are the merchant's settings: shown, audited, and refused when not valid (nothing changes)", async () => {
    const rules = [
      { name: "try", match: { currency: ["TRY"] }, providers: BACKUP_ONLY },
      {
        name: "big-cards",
        match: { amount_gte: 100_000, payment_method: "card" },
        providers: ["sandbox_backup", "sandbox"],
      },
    ];
    const m = await routed(rules);
    const merchant = await m.call("GET", "/v1/merchant");
    expect(merchant.json.merchant.routing_rules).toEqual(rules);
    const audit = await m.call("GET", "/v1/merchant/audit-log");
    expect(audit.json.data[0]).toMatchObject({
      action: "merchant.updated",
      changes: { routing_rules: { from: [], to: rules } },
    });

    for (const bad of [
      [{ name: "x", match: {}, providers: ["nobody"] }],
      [{ name: "x", match: { amount_gte: 10, amount_lte: 5 }, providers: BACKUP_ONLY }],
      [{ name: "x", match: { colour: "red" }, providers: BACKUP_ONLY }],
      [{ name: "has space", match: {}, providers: BACKUP_ONLY }],
      [
        { name: "twice", match: {}, providers: BACKUP_ONLY },
        { name: "twice", match: {}, providers: BACKUP_ONLY },
      ],
      Array.from({ length: 21 }, (_, i) => ({ name: `r${i}`, match: {}, providers: BACKUP_ONLY })),
    ]) {
      const refused = await m.call("PATCH", "/v1/merchant", { routing_rules: bad });
      expect(refused.status).toBe(422);
      expect(refused.json.code).toBe("validation_failed");
      expect(refused.json.errors[0].field).toMatch(/^routing_rules/);
    }
    expect((await m.call("GET", "/v1/merchant")).json.merchant.routing_rules).toEqual(rules);
  });

  it("route by currency and amount range; none matching, the default order", async () => {
    const m = await routed([
      { name: "try", match: { currency: ["TRY"] }, providers: BACKUP_ONLY },
      { name: "big", match: { amount_gte: 100_000, amount_lte: 500_000 }, providers: BACKUP_ONLY },
    ]);
    const visa = card("4242424242424242");
    expect(where(await pay(m, visa, { currency: "TRY" }))).toEqual([["sandbox_backup", "try"]]);
    expect(where(await pay(m, visa, { amount: 250_000 }))).toEqual([["sandbox_backup", "big"]]);
    expect(where(await pay(m, visa, { amount: 600_000 }))).toEqual([["sandbox", null]]);
    expect(where(await pay(m, visa))).toEqual([["sandbox", null]]);
  });

  it("route by card brand, by card country (BIN) and by payment method", async () => {
    const m = await routed([
      { name: "mastercard", match: { card_brand: ["mastercard"] }, providers: BACKUP_ONLY },
      { name: "uk-cards", match: { card_country: ["GB"] }, providers: BACKUP_ONLY },
      { name: "banks", match: { payment_method: "bank_transfer" }, providers: BACKUP_ONLY },
    ]);
    expect(where(await pay(m, card("5555555555554444")))).toEqual([
      ["sandbox_backup", "mastercard"],
    ]);
    expect(where(await pay(m, card("4000008260000000")))).toEqual([["sandbox_backup", "uk-cards"]]);
    expect(where(await pay(m, { type: "bank_transfer", bank_id: "sandbox_de_1" }))).toEqual([
      ["sandbox_backup", "banks"],
    ]);
    expect(where(await pay(m, card("4242424242424242")))).toEqual([["sandbox", null]]);
  });

  it("fall back within the rule's providers, each charge naming the rule", async () => {
    const m = await routed([
      { name: "eu", match: { currency: ["EUR"] }, providers: ["sandbox", "sandbox_backup"] },
    ]);
    const charges = await pay(m, card("4000000000000119"));
    expect(charges.map((c) => [c.provider, c.status, c.routing_rule])).toEqual([
      ["sandbox", "failed", "eu"],
      ["sandbox_backup", "succeeded", "eu"],
    ]);
  });

  it("are the session's from its creation: a later change routes later sessions only", async () => {
    const m = await newMerchant();
    const created = await m.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
    });
    await m.call("PATCH", "/v1/merchant", {
      routing_rules: [{ name: "all", match: {}, providers: BACKUP_ONLY }],
    });
    const confirmed = await call(
      "POST",
      `/v1/checkout-sessions/token/${created.json.checkout_session.token}/confirm`,
      { payment_method: card("4242424242424242"), payer: PAYER },
    );
    expect(where(confirmed.json.confirmResult.payment.charges)).toEqual([["sandbox", null]]);
    expect(where(await pay(m, card("4242424242424242")))).toEqual([["sandbox_backup", "all"]]);
  });
});
