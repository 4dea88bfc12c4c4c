/**
 * Routing with health (src/providers/health.ts): a provider that said it did nothing five times
 * within a minute is skipped for its cool-down (1 s here), per merchant; the charge says it was
 * skipped and why, the session falls back, and a trial after the cool-down closes or reopens it.
 */
import { describe, expect, it } from "vitest";
import { CARDS, newMerchant, PAYER, RETURN_URL } from "./api.js";
import { sandboxBooks } from "./sandbox-books.js";

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pay(m: Merchant, number: string) {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
  });
  const { token } = created.json.checkout_session;
  const confirmed = await m.call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
    payment_method: { type: "card", card: { number, exp_month: 12, exp_year: 2030, cvc: "123" } },
    payer: PAYER,
  });
  expect(confirmed.status).toBe(200);
  return confirmed.json.confirmResult.payment as {
    id: string;
    status: string;
    charges: Array<{
      provider: string;
      status: string;
      failure_code: string | null;
      failure_message: string | null;
    }>;
  };
}

/** Five outages at `sandbox` (the 0119 card answers 503 there): its circuit opens. */
async function tripped() {
  const m = await newMerchant();
  for (let i = 0; i < 5; i++) {
    const payment = await pay(m, CARDS.fallback);
    expect(payment.charges.map((c) => [c.provider, c.failure_code])).toEqual([
      ["sandbox", "provider_unavailable"],
      ["sandbox_backup", null],
    ]);
  }
  return m;
}

describe("a provider's circuit", () => {
  it("opens after five outages: the next charge skips it, says why, and is made at the next provider", async () => {
    const m = await tripped();
    const payment = await pay(m, CARDS.success);
    expect(payment.status).toBe("SUCCEEDED");
    const [skipped, made] = payment.charges;
    expect(skipped).toMatchObject({
      provider: "sandbox",
      status: "failed",
      failure_code: "provider_circuit_open",
    });
    expect(skipped?.failure_message).toMatch(
      /^Skipped: sandbox failed 5 times within 60 s; it is tried again after 20\d\d-/,
    );
    expect(made).toMatchObject({ provider: "sandbox_backup", status: "succeeded" });
    // The skipped provider was never called: its books hold only the backup's charge.
    expect((await sandboxBooks(payment.id)).map((c) => c.account)).toEqual(["sandbox_backup"]);
  });

  it("is the merchant's own: another merchant's charges still go to the provider", async () => {
    await tripped();
    const other = await newMerchant();
    const payment = await pay(other, CARDS.success);
    expect(payment.charges.map((c) => [c.provider, c.status])).toEqual([["sandbox", "succeeded"]]);
  });

  it("after the cool-down, one trial goes through: its success closes the circuit", async () => {
    const m = await tripped();
    await sleep(1_100);
    const trial = await pay(m, CARDS.success);
    expect(trial.charges.map((c) => [c.provider, c.status])).toEqual([["sandbox", "succeeded"]]);
    const next = await pay(m, CARDS.success);
    expect(next.charges.map((c) => [c.provider, c.status])).toEqual([["sandbox", "succeeded"]]);
  });

  it("a trial that meets another outage opens it again at once", async () => {
    const m = await tripped();
    await sleep(1_100);
    const trial = await pay(m, CARDS.fallback);
    expect(trial.charges[0]).toMatchObject({
      provider: "sandbox",
      failure_code: "provider_unavailable",
    });
    const next = await pay(m, CARDS.success);
    expect(next.charges.map((c) => [c.provider, c.failure_code])).toEqual([
      ["sandbox", "provider_circuit_open"],
      ["sandbox_backup", null],
    ]);
  });
});
