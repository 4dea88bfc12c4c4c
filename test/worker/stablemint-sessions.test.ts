/**
 * StableMint sessions are checkout sessions: both answers' exact shapes, amounts in minor units,
 * the embedded `sessionId` opening the session as a payer token does, the payment methods each
 * merchant offers, and `idempotencyKey` behaving as the `Idempotency-Key` header.
 */
import { describe, expect, it } from "vitest";
import { CARDS, call, card, merchant, PAYER, projected } from "./api.js";
import {
  embeddedBody,
  hostedBody,
  newStablemintMerchant,
  payByBank,
  SHOP,
  stablemint,
} from "./stablemint-api.js";

const SANDBOX_COUNTRIES = [
  { code: "DE", name: "Germany" },
  { code: "FR", name: "France" },
  { code: "GB", name: "United Kingdom" },
  { code: "NL", name: "Netherlands" },
  { code: "PL", name: "Poland" },
];
const TOKEN = /^cs_[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/;
/** A random (version 4, RFC 9562 variant) UUID, as StableMint documents `sessionId`. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Unix seconds a session made between `before` and now (ms) expires at: an hour later. */
function expectExpiry(expiresAt: number, before: number) {
  expect(Number.isInteger(expiresAt)).toBe(true);
  expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 3600);
  expect(expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
}

describe("the hosted answer", () => {
  it("is exactly { url, expiresAt, reference }; the reference is the checkout session", async () => {
    const before = Date.now();
    const body = hostedBody({
      amount: 5.5,
      websiteReference: "order-77",
      customFields: { cart: "c-1", items: 2 },
      userKyc: {
        fullName: "Ada Lovelace",
        mobilePhone: "+4915123456789",
        dateOfBirth: "1990-01-31",
      },
    });
    const created = await stablemint("hosted", body);
    expect(created.status).toBe(200);
    expect(created.headers.get("content-type")).toBe("application/json");
    expect(created.json).toEqual({
      url: expect.any(String),
      expiresAt: expect.any(Number),
      reference: expect.stringMatching(/^cs_[0-9a-f]{64}$/),
    });
    const { url, expiresAt, reference } = created.json;
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:8787/pay/${reference}\\.`));
    expect(new URL(url).pathname.slice(5)).toMatch(TOKEN);
    expectExpiry(expiresAt, before);

    const got = await merchant("GET", `/v1/checkout-sessions/${reference}`);
    expect(got.json.checkout_session).toMatchObject({
      id: reference,
      status: "PENDING",
      amount: 550,
      currency: "EUR",
      // The merchant's view: the hosted entry and the token, as for any session.
      url: "http://127.0.0.1:8787/pay",
      token: new URL(url).pathname.slice(5),
      return_url: `${SHOP}/success`,
      cancel_url: `${SHOP}/exit`,
      capture_method: "automatic",
      customer: { email: "ada@example.com", name: "Ada Lovelace", phone: "+4915123456789" },
      stablemint: {
        flow: "hosted",
        user_id: body.userId,
        user_country_code: "DE",
        website_reference: "order-77",
        custom_fields: { cart: "c-1", items: 2 },
        success_url: `${SHOP}/success`,
        support_url: `${SHOP}/support`,
        exit_url: `${SHOP}/exit`,
        error_url: `${SHOP}/error`,
      },
    });
    expect(Math.floor(Date.parse(got.json.checkout_session.expires_at) / 1000)).toBe(expiresAt);
    // KYC data is kept for the provider, never shown.
    expect(JSON.stringify(got.json)).not.toContain("1990-01-31");
    await projected(reference);
    const listed = await merchant("GET", "/v1/checkout-sessions?limit=100");
    expect(listed.json.data.map((s: { id: string }) => s.id)).toContain(reference);
  });
});

describe("the embedded answer", () => {
  it("is exactly { sessionId, expiresAt, allowedPaymentMethods, savedBanks, reference }", async () => {
    const before = Date.now();
    const created = await stablemint("embedded", embeddedBody());
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      sessionId: expect.stringMatching(UUID_V4),
      expiresAt: expect.any(Number),
      allowedPaymentMethods: [
        { paymentMethod: 1 },
        { paymentMethod: 2, countryCodes: SANDBOX_COUNTRIES },
      ],
      savedBanks: [],
      reference: expect.stringMatching(/^cs_[0-9a-f]{64}$/),
    });
    expectExpiry(created.json.expiresAt, before);
  });

  it("its sessionId opens the session as a checkout token does, with the banks it offers", async () => {
    const created = await stablemint("embedded", embeddedBody({ amount: "7.25" }));
    const view = await call("GET", `/v1/checkout-sessions/token/${created.json.sessionId}`);
    expect(view.status).toBe(200);
    const session = view.json.checkout_session;
    expect(session).toMatchObject({
      id: created.json.reference,
      status: "PENDING",
      amount: 725,
      currency: "EUR",
      merchant: { name: "Sandbox Store" },
      error_url: null,
      support_url: null,
    });
    const [cards, banks] = session.payment_methods;
    expect(cards).toEqual({ type: "card", banks: null });
    expect(banks.type).toBe("bank_transfer");
    expect(banks.banks).toHaveLength(15);
    expect(banks.banks[0]).toEqual({
      id: "sandbox_de_1",
      name: "Musterbank",
      country: "DE",
      logo_url: "http://127.0.0.1:8787/banks/sandbox_de_1/logo.svg",
      last_used_at: null,
    });
    expect(JSON.stringify(view.json)).not.toContain("ada@example.com");

    const logo = await call("GET", new URL(banks.banks[0].logo_url).pathname);
    expect([logo.status, logo.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
    expect(logo.json).toContain("<svg");
    expect((await call("GET", "/banks/nope/logo.svg")).status).toBe(404);

    const paid = await call(
      "POST",
      `/v1/checkout-sessions/token/${created.json.sessionId}/confirm`,
      {
        payer: PAYER,
        payment_method: card(CARDS.success),
      },
    );
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    const forged = `${created.json.reference}.${"A".repeat(43)}`;
    expect((await call("GET", `/v1/checkout-sessions/token/${forged}`)).status).toBe(404);
  });
});

describe("amounts", () => {
  it.each([
    [5.5, "EUR", 550],
    [0.1, "EUR", 10],
    ["10", "USD", 1000],
    [9, "JPY", 9],
    [1.234, "BHD", 1234],
    ["2.500", "KWD", 2500],
  ])("%s %s is %i minor units", async (amount, currency, minor) => {
    const created = await stablemint("embedded", embeddedBody({ amount, currency }));
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const got = await merchant("GET", `/v1/checkout-sessions/${created.json.reference}`);
    expect([got.json.checkout_session.amount, got.json.checkout_session.currency]).toEqual([
      minor,
      currency,
    ]);
  });
});

describe("payment methods per merchant", () => {
  it("bank transfer goes through an offered bank; a fail_ bank declines; others are refused", async () => {
    const created = await stablemint("embedded", embeddedBody());
    const token = created.json.sessionId;
    const unknown = await payByBank(token, "bank_demo");
    expect([unknown.status, unknown.json.code]).toEqual([422, "bank_not_offered"]);
    const declined = await payByBank(token, "fail_pl_1");
    expect(declined.json.checkout_session.status).toBe("PENDING");
    expect(declined.json.checkout_session.payment.last_error.code).toBe("bank_declined");
    const paid = await payByBank(token, "sandbox_pl_1");
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    expect(paid.json.confirmResult.payment.charges.at(-1).payment_method).toEqual({
      type: "bank_transfer",
      bank_id: "sandbox_pl_1",
    });
  });

  it("a merchant taking only bank transfers offers no card, and refuses one", async () => {
    const m = await newStablemintMerchant({ paymentMethods: ["bank_transfer"] });
    const created = await m.create("embedded", embeddedBody());
    expect(created.json.allowedPaymentMethods).toEqual([
      { paymentMethod: 2, countryCodes: SANDBOX_COUNTRIES },
    ]);
    const refused = await call(
      "POST",
      `/v1/checkout-sessions/token/${created.json.sessionId}/confirm`,
      { payer: PAYER, payment_method: card(CARDS.success) },
    );
    expect([refused.status, refused.json.code]).toEqual([422, "payment_method_not_offered"]);
  });

  it("a merchant taking only cards offers no bank transfer, and refuses one", async () => {
    const m = await newStablemintMerchant({ paymentMethods: ["card"] });
    const created = await m.create("embedded", embeddedBody());
    expect(created.json.allowedPaymentMethods).toEqual([{ paymentMethod: 1 }]);
    const refused = await payByBank(created.json.sessionId, "sandbox_de_1");
    expect([refused.status, refused.json.code]).toEqual([422, "payment_method_not_offered"]);
  });

  it("checkout API sessions keep taking any card and bank id", async () => {
    const created = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1000,
      currency: "EUR",
      return_url: `${SHOP}/return`,
    });
    const token = created.json.checkout_session.token;
    expect(
      (await call("GET", `/v1/checkout-sessions/token/${token}`)).json.checkout_session,
    ).toMatchObject({ payment_methods: null, error_url: null, support_url: null });
    expect((await payByBank(token, "bank_demo")).json.checkout_session.status).toBe("COMPLETED");
  });
});

describe("idempotencyKey", () => {
  it("a retry with the same key and body (signed again) gets the same answer, once", async () => {
    const body = hostedBody({ idempotencyKey: `order-${crypto.randomUUID()}` });
    const answers = await Promise.all(Array.from({ length: 20 }, () => stablemint("hosted", body)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
    const later = await stablemint("hosted", body, {
      timestamp: String(Math.floor(Date.now() / 1000) - 60),
    });
    expect(later.json).toEqual(answers[0]?.json);
  });

  it("the same key with another body, or the other flow, is 422 idempotency_key_reused", async () => {
    const key = `order-${crypto.randomUUID()}`;
    const body = embeddedBody({ idempotencyKey: key });
    expect((await stablemint("embedded", body)).status).toBe(200);
    for (const [flow, other] of [
      ["embedded", { ...body, amount: 6 }],
      ["embedded", { ...body, userId: "another-user" }],
      ["hosted", hostedBody({ ...body })],
    ] as const) {
      const reused = await stablemint(flow, other);
      expect([reused.status, reused.json.code]).toEqual([422, "idempotency_key_reused"]);
    }
  });

  it("does not cache a refused request: a corrected retry with the same key succeeds", async () => {
    const key = `order-${crypto.randomUUID()}`;
    const bad = await stablemint("embedded", embeddedBody({ idempotencyKey: key, amount: 50 }));
    expect(bad.status).toBe(422);
    const good = await stablemint("embedded", embeddedBody({ idempotencyKey: key, amount: 5 }));
    expect(good.status).toBe(200);
  });

  it("never meets the checkout API's Idempotency-Key, nor another merchant's key", async () => {
    const key = `order-${crypto.randomUUID()}`;
    const checkout = await merchant(
      "POST",
      "/v1/checkout-sessions",
      { amount: 1000, currency: "EUR", return_url: `${SHOP}/return` },
      { "idempotency-key": key },
    );
    const ours = await stablemint("embedded", embeddedBody({ idempotencyKey: key }));
    const theirs = await (await newStablemintMerchant()).create(
      "embedded",
      embeddedBody({ idempotencyKey: key }),
    );
    expect([checkout.status, ours.status, theirs.status]).toEqual([201, 200, 200]);
    const ids = [checkout.json.checkout_session.id, ours.json.reference, theirs.json.reference];
    expect(new Set(ids).size).toBe(3);
  });
});
