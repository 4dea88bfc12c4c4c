/**
 * Risk checks before a charge (src/core/risk.ts, src/risk/): each rule's score and reason on the
 * charge, the merchant's thresholds choosing block / 3-D Secure / allow, a block declined
 * `risk_blocked` with nothing sent to the provider, and velocity counted in a Durable Object
 * per merchant under keyed hashes. These merchants are sandbox ones (test mode), where only the
 * inputs README reserves for it are counted: card 4000 0000 0000 4954, emails at `risk.test`,
 * and the RFC 5737 documentation networks.
 */
import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CARDS, card, newMerchant, PAYER, RETURN_URL } from "./api.js";
import { received, receiverHook } from "./faults.js";
import { sandboxBooks } from "./sandbox-books.js";

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

const RISK_CARD = "4000000000004954";
const GB_CARD = "4000008260000000";

interface Charge {
  id: string;
  status: string;
  failure_code: string | null;
  failure_message: string | null;
  risk: {
    decision: string;
    score: number;
    reasons: Array<{ rule: string; score: number; reason: string }>;
  } | null;
}

async function session(m: Merchant, extra: Record<string, unknown> = {}) {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.json.checkout_session as { id: string; token: string };
}

/**
 * A payer's confirm, from a browser (an Origin) at `address` in `country` when given: the
 * payer's answer, and the payment as its merchant reads it (the payer is not told the reasons).
 */
async function confirm(
  m: Merchant,
  token: string,
  body: Record<string, unknown>,
  client: { address?: string; country?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (client.address !== undefined) {
    headers["cf-connecting-ip"] = client.address;
    headers.origin = "https://shop.example";
  }
  const response = await exports.default.fetch(
    `http://127.0.0.1:8787/v1/checkout-sessions/token/${token}/confirm`,
    {
      method: "POST",
      headers,
      body: JSON.stringify({ payer: PAYER, ...body }),
      ...(client.country !== undefined && { cf: { country: client.country } }),
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  const payer: any = await response.json();
  expect(response.status, JSON.stringify(payer)).toBe(200);
  const read = await m.call("GET", `/v1/payments/${payer.confirmResult.payment.id}`);
  const payment = read.json.payment as { id: string; charges: Charge[] };
  return { payment, charge: payment.charges.at(-1) as Charge, payer };
}

/** One new session and one confirm in it: what a payer paying once does. */
async function payOnce(
  m: Merchant,
  body: Record<string, unknown>,
  client: { address?: string; country?: string } = {},
) {
  const { token } = await session(m);
  return confirm(m, token, body, client);
}

const rules = (c: Charge) => c.risk?.reasons.map((r) => r.rule) ?? [];

describe("risk settings", () => {
  it("default to blocking at 90 and asking for 3-D Secure at 60; a PATCH changes only what it sends", async () => {
    const m = await newMerchant();
    const before = await m.call("GET", "/v1/merchant");
    expect(before.json.merchant.risk).toEqual({
      block_score: 90,
      require_3ds_score: 60,
      amount_thresholds: {},
    });
    const patched = await m.call("PATCH", "/v1/merchant", {
      risk: { amount_thresholds: { EUR: 50_000 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.merchant.risk).toEqual({
      block_score: 90,
      require_3ds_score: 60,
      amount_thresholds: { EUR: 50_000 },
    });
    const audit = await m.call("GET", "/v1/merchant/audit-log");
    expect(audit.json.data[0].changes.risk.to.amount_thresholds).toEqual({ EUR: 50_000 });

    for (const bad of [
      { block_score: 0 },
      { block_score: 101 },
      { require_3ds_score: 12.5 },
      { amount_thresholds: { eur: 100 } },
      { amount_thresholds: { EUR: -1 } },
      { velocity: 3 },
    ]) {
      const refused = await m.call("PATCH", "/v1/merchant", { risk: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(422);
      expect(refused.json.code).toBe("validation_failed");
      expect(refused.json.errors[0].field).toMatch(/^risk/);
    }
    expect((await m.call("GET", "/v1/merchant")).json.merchant.risk.amount_thresholds).toEqual({
      EUR: 50_000,
    });
  });
});

describe("risk checks on a confirm", () => {
  it("an ordinary confirm is allowed with a score of 0, and the assessment is on its charge", async () => {
    const m = await newMerchant();
    const { charge } = await payOnce(m, { payment_method: card(CARDS.success) });
    expect(charge.status).toBe("succeeded");
    expect(charge.risk).toEqual({ decision: "allow", score: 0, reasons: [] });
  });

  it("card velocity: the sixth confirm with one card within an hour is blocked, and nothing reaches the provider", async () => {
    const m = await newMerchant();
    for (let i = 1; i <= 5; i++) {
      const { charge } = await payOnce(m, { payment_method: card(RISK_CARD) });
      expect(charge.status).toBe("succeeded");
    }
    const { payment, charge } = await payOnce(m, { payment_method: card(RISK_CARD) });
    expect(charge).toMatchObject({
      status: "declined",
      failure_code: "risk_blocked",
      risk: {
        decision: "block",
        score: 90,
        reasons: [
          {
            rule: "card_velocity",
            score: 90,
            reason: "This card was used 6 times within an hour (more than 5).",
          },
        ],
      },
    });
    expect(charge.failure_message).toContain("This card was used 6 times within an hour");
    expect(await sandboxBooks(payment.id)).toEqual([]);

    // The payer reads a decline: not the reasons, which would teach a card tester the rules.
    const blocked = await payOnce(m, { payment_method: card(RISK_CARD) });
    const told = JSON.stringify(blocked.payer);
    expect(blocked.payer.checkout_session.payment.last_error).toEqual({
      code: "risk_blocked",
      message: "The payment was declined.",
    });
    expect(blocked.payer.confirmResult.payment.charges[0].risk).toBeNull();
    expect(told).not.toContain("card_velocity");
    expect(told).not.toContain("within an hour");

    // Another merchant's counters are its own; the shared test cards are never counted.
    const other = await newMerchant();
    expect((await payOnce(other, { payment_method: card(RISK_CARD) })).charge.status).toBe(
      "succeeded",
    );
    for (let i = 1; i <= 7; i++) {
      const { charge: shared } = await payOnce(m, { payment_method: card(CARDS.success) });
      expect(shared.risk?.reasons).toEqual([]);
    }
  });

  it("a blocked payer may try again with another card while attempts last", async () => {
    const m = await newMerchant();
    for (let i = 1; i <= 5; i++) await payOnce(m, { payment_method: card(RISK_CARD) });
    const { token } = await session(m);
    const blocked = await confirm(m, token, { payment_method: card(RISK_CARD) });
    expect(blocked.charge.failure_code).toBe("risk_blocked");
    const again = await confirm(m, token, { payment_method: card(CARDS.success) });
    expect(again.payment.charges.map((c) => [c.status, c.failure_code])).toEqual([
      ["declined", "risk_blocked"],
      ["succeeded", null],
    ]);
  });

  it("email and address velocity score 40 each: alone they pass, together they ask for 3-D Secure", async () => {
    const m = await newMerchant();
    const payer = { name: "Ada", email: "Ada@Risk.Test" };
    const from = { address: "203.0.113.7" };
    let last: Charge | undefined;
    for (let i = 1; i <= 21; i++) {
      const { charge } = await payOnce(m, { payment_method: card(CARDS.success), payer }, from);
      last = charge;
      if (i === 11) {
        expect(rules(charge)).toEqual(["email_velocity"]);
        expect(charge.risk?.decision).toBe("allow");
        expect(charge.status).toBe("succeeded");
      }
    }
    expect(rules(last as Charge)).toEqual(["email_velocity", "ip_velocity"]);
    expect(last?.risk).toMatchObject({ decision: "require_3ds", score: 80 });
    // The sandbox asks the payer to authenticate a card it would otherwise take at once.
    expect(last?.status).toBe("requires_action");

    // Ordinary addresses are not counted in test mode (every developer is on localhost).
    for (let i = 1; i <= 21; i++) {
      const { charge } = await payOnce(
        m,
        { payment_method: card(CARDS.success) },
        { address: "127.0.0.1" },
      );
      expect(rules(charge)).toEqual([]);
    }
  });

  it("a server's confirm (no Origin) is not counted by the server's address", async () => {
    const m = await newMerchant();
    for (let i = 1; i <= 21; i++) {
      const { token } = await session(m);
      const response = await exports.default.fetch(
        `http://127.0.0.1:8787/v1/checkout-sessions/token/${token}/confirm`,
        {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.1" },
          body: JSON.stringify({ payer: PAYER, payment_method: card(CARDS.success) }),
        },
      );
      const json = (await response.json()) as {
        confirmResult: { payment: { charges: Charge[] } };
      };
      expect(rules(json.confirmResult.payment.charges[0] as Charge)).toEqual([]);
    }
  });

  it("a card from one country, a billing address in another and a connection from a third ask for 3-D Secure", async () => {
    const m = await newMerchant();
    const billing = {
      line1: "1 Unter den Linden",
      city: "Berlin",
      postal_code: "10117",
      country: "DE",
    };
    const payer = { ...PAYER, billing_address: billing };
    const one = await payOnce(m, { payment_method: card(GB_CARD), payer });
    expect(one.charge.risk).toEqual({
      decision: "allow",
      score: 30,
      reasons: [
        {
          rule: "billing_country_mismatch",
          score: 30,
          reason: "The card is from GB, the billing address in DE.",
        },
      ],
    });
    const both = await payOnce(m, { payment_method: card(GB_CARD), payer }, { country: "FR" });
    expect(rules(both.charge)).toEqual(["billing_country_mismatch", "ip_country_mismatch"]);
    expect(both.charge.risk?.reasons[1]?.reason).toBe(
      "The card is from GB, the payer connects from FR.",
    );
    expect(both.charge).toMatchObject({
      status: "requires_action",
      risk: { decision: "require_3ds", score: 60 },
    });
    // All in one country: nothing to say.
    const home = await payOnce(
      m,
      {
        payment_method: card(GB_CARD),
        payer: { ...PAYER, billing_address: { ...billing, country: "GB" } },
      },
      { country: "GB" },
    );
    expect(home.charge.risk?.reasons).toEqual([]);
  });

  it("an amount above the merchant's threshold asks for 3-D Secure, or blocks when the merchant says so", async () => {
    const m = await newMerchant();
    await m.call("PATCH", "/v1/merchant", { risk: { amount_thresholds: { EUR: 1000 } } });
    const asked = await payOnce(m, { payment_method: card(CARDS.success) });
    expect(asked.charge).toMatchObject({
      status: "requires_action",
      risk: {
        decision: "require_3ds",
        reasons: [
          {
            rule: "amount_over_threshold",
            score: 60,
            reason: "1050 EUR (minor units) is above the merchant's threshold of 1000.",
          },
        ],
      },
    });
    // A bank transfer has no 3-D Secure: it goes ahead below the block.
    const byBank = await payOnce(m, {
      payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" },
    });
    expect(byBank.charge).toMatchObject({ status: "succeeded", risk: { decision: "allow" } });

    await m.call("PATCH", "/v1/merchant", { risk: { block_score: 60 } });
    const blocked = await payOnce(m, { payment_method: card(CARDS.success) });
    expect(blocked.charge).toMatchObject({ status: "declined", failure_code: "risk_blocked" });
    expect(await sandboxBooks(blocked.payment.id)).toEqual([]);

    // Thresholds off: reasons are still given, nothing is decided on them.
    await m.call("PATCH", "/v1/merchant", { risk: { block_score: null, require_3ds_score: null } });
    const allowed = await payOnce(m, { payment_method: card(CARDS.success) });
    expect(allowed.charge).toMatchObject({
      status: "succeeded",
      risk: { decision: "allow", score: 60 },
    });
  });

  it("too many declines on one session: after two, the third confirm scores 40", async () => {
    const m = await newMerchant();
    await m.call("PATCH", "/v1/merchant", { risk: { require_3ds_score: 40 } });
    const { token } = await session(m);
    await confirm(m, token, { payment_method: card(CARDS.declined) });
    const second = await confirm(m, token, { payment_method: card(CARDS.declined) });
    expect(rules(second.charge)).toEqual([]);
    const third = await confirm(m, token, { payment_method: card(CARDS.success) });
    expect(third.charge).toMatchObject({
      status: "requires_action",
      risk: {
        decision: "require_3ds",
        reasons: [
          {
            rule: "session_declines",
            score: 40,
            reason: "This checkout already had 2 declined charges.",
          },
        ],
      },
    });
  });
});

describe("a risk block, end to end", () => {
  it("is in the charge.declined webhook, on the payment, and on the ops screen", async () => {
    const m = await newMerchant();
    const receiver = await receiverHook();
    await m.call("POST", "/v1/webhook-endpoints", { url: receiver.url });
    for (let i = 1; i <= 5; i++) await payOnce(m, { payment_method: card(RISK_CARD) });
    const { payment } = await payOnce(m, { payment_method: card(RISK_CARD) });

    const read = await m.call("GET", `/v1/payments/${payment.id}`);
    expect(read.json.payment.charges[0]).toMatchObject({
      failure_code: "risk_blocked",
      risk: { decision: "block", reasons: [{ rule: "card_velocity" }] },
    });

    type Body = { type: string; data: { object: { id?: string; charges?: Charge[] } } };
    const declined = async () =>
      (await received(receiver.hook))
        .map((entry) => JSON.parse(entry.body) as Body)
        .filter((event) => event.type === "charge.declined");
    let events = await declined();
    for (let i = 0; i < 100 && events.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      events = await declined();
    }
    const charge = events[0]?.data.object.charges?.at(-1);
    expect(charge).toMatchObject({
      failure_code: "risk_blocked",
      risk: { decision: "block", score: 90, reasons: [{ rule: "card_velocity" }] },
    });

    const origin = "http://127.0.0.1:8787";
    const signedIn = await exports.default.fetch(`${origin}/ops/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin,
        "sec-fetch-site": "same-origin",
      },
      body: new URLSearchParams({ secret_key: m.key }).toString(),
    });
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const ops = await exports.default.fetch(
      `${origin}/ops/sessions/${read.json.payment.checkout_session_id}`,
      { headers: { cookie } },
    );
    const page = await ops.text();
    expect(ops.status).toBe(200);
    expect(page).toContain("<code>risk_blocked</code>");
    expect(page).toContain("block (90)");
    expect(page).toContain("<code>card_velocity</code> 90");
  });

  it("counts under keyed hashes: the merchant's counters hold no card number, email or address", async () => {
    const m = await newMerchant();
    const email = "grace@risk.test";
    await payOnce(
      m,
      { payment_method: card(RISK_CARD), payer: { name: "Grace", email } },
      { address: "192.0.2.44" },
    );
    const counters = env.RISK_COUNTERS.get(env.RISK_COUNTERS.idFromName(m.id));
    const keys = await runInDurableObject(counters, (_, state) =>
      state.storage.sql
        .exec<{ key: string }>("SELECT key FROM confirms")
        .toArray()
        .map((row) => row.key),
    );
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^(card|email|ip):[0-9a-f]{32}$/);
    const stored = keys.join(" ");
    for (const secret of [RISK_CARD, "4954", email, "192.0.2.44"]) {
      expect(stored).not.toContain(secret);
    }
  });
});
