/**
 * A merchant on Stripe, end to end: it sets its own restricted key (sealed, write-only, shown as
 * a hint), routes to `stripe`, and its payers pay through the Stripe adapter against the fake
 * Stripe (fake-stripe/, the STRIPE_UPSTREAM binding in tests): a payment, a 3-D Secure challenge
 * on the issuer's page, a refund, and risk checks counting every card (it is not a sandbox
 * merchant, so not in test mode).
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Books } from "../../fake-stripe/api.js";
import { card, newMerchant, PAYER } from "./api.js";

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

const KEY = "rk_test_51EdgeCheckoutRestricted0042";
const RETURN_URL = "https://shop.example/return";

function stripe(): Fetcher {
  const bound: Env = env;
  if (bound.STRIPE_UPSTREAM === undefined) throw new Error("vitest.config.ts binds it");
  return bound.STRIPE_UPSTREAM;
}

async function books(chargeId: string) {
  const answer = await stripe().fetch(
    `https://api.stripe.com/__books?charge_id=${encodeURIComponent(chargeId)}`,
  );
  return Books.parse(await answer.json());
}

async function onStripe(providers = ["stripe"]) {
  const m = await newMerchant();
  const patched = await m.call("PATCH", "/v1/merchant", {
    provider_credentials: { stripe: { secret_key: KEY } },
    providers,
  });
  expect(patched.status, JSON.stringify(patched.json)).toBe(200);
  return m;
}

async function pay(m: Merchant, number: string, extra: Record<string, unknown> = {}) {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
    ...extra,
  });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const { token } = created.json.checkout_session;
  const confirmed = await exports.default.fetch(
    `http://127.0.0.1:8787/v1/checkout-sessions/token/${token}/confirm`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ payment_method: card(number), payer: PAYER }),
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  const answer: any = await confirmed.json();
  expect(confirmed.status, JSON.stringify(answer)).toBe(200);
  const paymentId: string = answer.confirmResult.payment.id;
  const read = async () => (await m.call("GET", `/v1/payments/${paymentId}`)).json.payment;
  return { answer, paymentId, read };
}

describe("a merchant's Stripe key", () => {
  it("is write-only: sealed in the database, shown and audited only as a hint", async () => {
    const m = await newMerchant();
    const set = await m.call("PATCH", "/v1/merchant", {
      provider_credentials: { stripe: { secret_key: KEY } },
    });
    expect(set.status).toBe(200);
    expect(set.json.merchant.provider_credentials).toEqual({
      stripe: { key_hint: "rk_test_…0042", set_at: expect.any(String) },
    });
    const shown = JSON.stringify([
      set.json,
      (await m.call("GET", "/v1/merchant")).json,
      (await m.call("GET", "/v1/merchant/audit-log")).json,
    ]);
    expect(shown).not.toContain(KEY);
    expect(shown).not.toContain("sealed");
    const audit = await m.call("GET", "/v1/merchant/audit-log");
    expect(audit.json.data[0].changes.provider_credentials).toEqual({
      from: {},
      to: { stripe: { key_hint: "rk_test_…0042", set_at: expect.any(String) } },
    });
    const row = await env.DB.prepare("SELECT provider_credentials FROM merchants WHERE id = ?")
      .bind(m.id)
      .first<{ provider_credentials: string }>();
    expect(row?.provider_credentials).not.toContain(KEY.slice(8));
    expect(JSON.parse(row?.provider_credentials ?? "{}").stripe.sealed).toMatch(/^v1\./);
  });

  it("is needed before stripe is routed to, and cannot be removed while it is", async () => {
    const m = await newMerchant();
    const early = await m.call("PATCH", "/v1/merchant", { providers: ["stripe"] });
    expect(early.status).toBe(422);
    expect(early.json.errors).toEqual([
      {
        field: "providers.0",
        message: "stripe needs your key first: set provider_credentials.stripe.secret_key.",
      },
    ]);
    const ruled = await m.call("PATCH", "/v1/merchant", {
      routing_rules: [{ name: "eu", match: { currency: ["EUR"] }, providers: ["stripe"] }],
    });
    expect(ruled.status).toBe(422);
    expect(ruled.json.errors[0].field).toBe("routing_rules.0.providers.0");
    for (const bad of ["sk_live_short", "pk_test_51EdgeCheckoutRestricted0042", 42]) {
      const refused = await m.call("PATCH", "/v1/merchant", {
        provider_credentials: { stripe: { secret_key: bad } },
      });
      expect(refused.status).toBe(422);
      expect(refused.json.errors[0].field).toBe("provider_credentials.stripe.secret_key");
    }
    const merchant = (await m.call("GET", "/v1/merchant")).json.merchant;
    expect(merchant.providers).toEqual(["sandbox", "sandbox_backup"]);
    expect(merchant.provider_credentials).toEqual({});

    const routed = await onStripe();
    const removed = await routed.call("PATCH", "/v1/merchant", {
      provider_credentials: { stripe: null },
    });
    expect(removed.status).toBe(422);
    expect(removed.json.errors[0].field).toBe("providers.0");
    const both = await routed.call("PATCH", "/v1/merchant", {
      provider_credentials: { stripe: null },
      providers: ["sandbox"],
    });
    expect(both.status).toBe(200);
    expect(both.json.merchant.provider_credentials).toEqual({});
  });
});

describe("paying through Stripe", () => {
  it("a card payment is one PaymentIntent at Stripe, made under the merchant's key", async () => {
    const m = await onStripe();
    const { answer, read } = await pay(m, "4242424242424242");
    expect(answer.checkout_session.test_mode).toBe(false);
    const payment = await read();
    expect(payment).toMatchObject({
      status: "SUCCEEDED",
      charges: [{ provider: "stripe", status: "succeeded" }],
    });
    const chargeId = payment.charges[0].id;
    expect(await books(chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded", amount: 1050, amount_received: 1050 }],
      confirmations: 1,
    });
  });

  it("a Stripe decline is the charge's decline, in Stripe's code", async () => {
    const m = await onStripe();
    const { read } = await pay(m, "4000000000009995");
    const payment = await read();
    expect(payment.charges[0]).toMatchObject({
      provider: "stripe",
      status: "declined",
      failure_code: "insufficient_funds",
    });
  });

  it("3-D Secure: the payer passes the issuer's page, comes back, and the payment succeeds", async () => {
    const m = await onStripe();
    const { answer, read } = await pay(m, "4000000000003220");
    const challenge: string = answer.confirmResult.paymentNextAction.url;
    expect(challenge).toMatch(/\/3ds\/pi_\w+$/);
    const decided = await stripe().fetch(challenge, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "decision=approve",
    });
    expect(decided.status).toBe(303);
    const back = new URL(decided.headers.get("location") ?? "");
    expect(back.pathname).toBe("/v1/checkout-sessions/challenge-return");
    const returned = await exports.default.fetch(
      `http://127.0.0.1:8787${back.pathname}${back.search}`,
      {
        redirect: "manual",
      },
    );
    // Sent on to the merchant (by a page when a bare redirect could be blocked on the way back).
    const onward = returned.headers.get("location") ?? (await returned.text());
    expect(onward).toContain("https://shop.example/return");
    expect(await read()).toMatchObject({
      status: "SUCCEEDED",
      charges: [{ provider: "stripe", status: "succeeded" }],
    });
  });

  it("a refund goes back through Stripe, under the refund's id", async () => {
    const m = await onStripe();
    const { paymentId, read } = await pay(m, "4242424242424242");
    const refunded = await m.call("POST", `/v1/payments/${paymentId}/refunds`, {
      amount: 300,
      reason: "requested_by_customer",
    });
    expect(refunded.status).toBe(201);
    expect(refunded.json.refund).toMatchObject({ status: "succeeded", amount: 300 });
    const chargeId = (await read()).charges[0].id;
    expect((await books(chargeId)).refunds).toMatchObject([
      {
        amount: 300,
        reason: "requested_by_customer",
        metadata: { refund_id: refunded.json.refund.id },
      },
    ]);
  });

  it("without a key at payment time (removed since), the charge falls back to the next provider", async () => {
    const m = await onStripe(["stripe", "sandbox"]);
    await env.DB.prepare("UPDATE merchants SET provider_credentials = '{}' WHERE id = ?")
      .bind(m.id)
      .run();
    const { read } = await pay(m, "4242424242424242");
    expect((await read()).charges).toMatchObject([
      { provider: "stripe", status: "failed", failure_code: "provider_not_configured" },
      { provider: "sandbox", status: "succeeded" },
    ]);
  });

  it("outside test mode every card is counted: the sixth payment with one card in an hour is blocked", async () => {
    const m = await onStripe();
    for (let i = 1; i <= 5; i++) {
      expect((await (await pay(m, "4242424242424242")).read()).status).toBe("SUCCEEDED");
    }
    const blocked = await (await pay(m, "4242424242424242")).read();
    expect(blocked.charges).toMatchObject([
      { status: "declined", failure_code: "risk_blocked", risk: { decision: "block" } },
    ]);
    expect((await books(blocked.charges[0].id)).payment_intents).toEqual([]);
  });
});
