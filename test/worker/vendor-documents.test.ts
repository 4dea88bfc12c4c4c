/**
 * The vendor documents in /work/shared/seeds, taken at their word: each example request is sent
 * as the document writes it (its "string" placeholders filled with realistic values), and every
 * field the document's response lists is checked for its documented type. The HSRC guide's
 * "Example integration flow" runs end to end, down to its webhook handler's two lines.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { CARDS, call, card, merchant, newMerchant, PAYER, projected, SANDBOX_KEY } from "./api.js";
import {
  newStablemintMerchant,
  newUserId,
  payByBank,
  SANDBOX_API_KEY,
  signedHeaders,
  stablemint,
} from "./stablemint-api.js";

const receiver = inject("receiverUrl");

/** A random (version 4, RFC 9562 variant) UUID, as StableMint documents `sessionId`. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SESSION_ID = /^cs_[0-9a-f]{64}$/;
const isInteger = (value: unknown) => typeof value === "number" && Number.isInteger(value);
const unixNow = () => Math.floor(Date.now() / 1000);

interface WebhookEvent {
  id: string;
  type: string;
  created: number;
  sequence: number;
  checkoutSessionId: string;
  paymentId: string | null;
  requestId: string | null;
  metadata: Record<string, string>;
  reference?: string;
  websiteReference?: string | null;
  customFields?: Record<string, unknown> | null;
  // biome-ignore lint/suspicious/noExplicitAny: the object is checked field by field below
  data: { object: any; charge_id?: string };
}

/** A webhook endpoint on the test receiver, registered through the merchant's own API. */
async function endpointFor(
  as: (method: string, path: string, body?: unknown) => ReturnType<typeof call>,
) {
  const hook = `vendor-${crypto.randomUUID()}`;
  const created = await as("POST", "/v1/webhook-endpoints", { url: `${receiver}/hooks/${hook}` });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { hook, secret: created.json.webhook_endpoint.secret as string };
}

/** Everything the receiver got on `hook` once `type` has arrived, each verified as Standard Webhooks. */
async function eventsUntil(hook: string, secret: string, type: string): Promise<WebhookEvent[]> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const log: Array<{ headers: Record<string, string>; body: string }> = await (
      await fetch(`${receiver}/log/${hook}`)
    ).json();
    const events = log.map(
      (entry) => new Webhook(secret).verify(entry.body, entry.headers) as WebhookEvent,
    );
    if (events.some((e) => e.type === type) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("HSRC Checkout Session Guide: example integration flow", () => {
  // The document's call, literally: `api.post("/v1/checkout-sessions", { … })`.
  const HSRC_BODY = {
    amount: 12500,
    currency: "TRY",
    url: "https://pay.merchant.example/checkout",
    return_url: "https://merchant.example/return",
    metadata: { order_id: "ord_123" },
  };

  it("accepts the example body with the sandbox key: 201 { checkout_session: { id, url, token, status: PENDING } }", async () => {
    const created = await call("POST", "/v1/checkout-sessions", HSRC_BODY, {
      authorization: `Bearer ${SANDBOX_KEY}`,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const session = created.json.checkout_session;
    expect(session).toMatchObject({
      id: expect.stringMatching(SESSION_ID),
      url: "https://pay.merchant.example/checkout",
      token: expect.any(String),
      status: "PENDING",
      amount: 12500,
      currency: "TRY",
      return_url: "https://merchant.example/return",
      metadata: { order_id: "ord_123" },
    });
    expect(session.token.length).toBeGreaterThan(20);
    // The guide's lifecycle: the session moves through these statuses.
    expect(["PENDING", "PROCESSING", "COMPLETED", "EXPIRED", "CANCELLED", "FAILED"]).toContain(
      session.status,
    );
  });

  it("runs the whole flow: redirectUserTo(url?token=…), the token session, confirm, and the webhook handler", async () => {
    // A merchant of its own, so its webhook endpoint receives only this test's events.
    const m = await newMerchant();
    const as = (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => call(method, path, body, { authorization: `Bearer ${m.key}`, ...headers });
    const { hook, secret } = await endpointFor(as);

    const createRequestId = `req_create_${crypto.randomUUID()}`;
    const {
      status,
      json: data,
      headers,
    } = await as("POST", "/v1/checkout-sessions", HSRC_BODY, {
      "request-id": createRequestId,
    });
    expect(status, JSON.stringify(data)).toBe(201);
    expect(headers.get("request-id")).toBe(createRequestId);
    const session = data.checkout_session;

    // redirectUserTo(`${data.checkout_session.url}?token=${data.checkout_session.token}`);
    let redirectedTo = "";
    const redirectUserTo = (url: string) => {
      redirectedTo = url;
    };
    redirectUserTo(`${data.checkout_session.url}?token=${data.checkout_session.token}`);
    const landing = new URL(redirectedTo);
    expect(landing.origin + landing.pathname).toBe("https://pay.merchant.example/checkout");
    const token = landing.searchParams.get("token") ?? "";
    expect(token).toBe(session.token);

    // The merchant's page opens the session by its token …
    const opened = await call("GET", `/v1/checkout-sessions/token/${encodeURIComponent(token)}`);
    expect(opened.status, JSON.stringify(opened.json)).toBe(200);
    expect(opened.json.checkout_session).toMatchObject({
      id: session.id,
      status: "PENDING",
      amount: 12500,
      currency: "TRY",
      return_url: "https://merchant.example/return",
      payer_fields: { name: "required", email: "required" },
    });
    // … and the public view keeps the merchant's metadata to the merchant.
    expect(opened.json.checkout_session.metadata).toBeUndefined();

    // … then confirms with a card and the payer's required fields.
    const confirmRequestId = `req_confirm_${crypto.randomUUID()}`;
    const confirmed = await call(
      "POST",
      `/v1/checkout-sessions/token/${encodeURIComponent(token)}/confirm`,
      {
        payment_method: {
          type: "card",
          card: { number: CARDS.success, exp_month: 12, exp_year: 2030, cvc: "123" },
        },
        payer: { name: PAYER.name, email: PAYER.email },
      },
      { "request-id": confirmRequestId },
    );
    expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
    expect(confirmed.headers.get("request-id")).toBe(confirmRequestId);
    expect(confirmed.json.checkout_session.status).toBe("COMPLETED");
    expect(confirmed.json.confirmResult.payment.status).toBe("SUCCEEDED");
    expect(confirmed.json.confirmResult.paymentNextAction).toBeNull();

    // Final verification on the backend: the session and its payment.
    const got = await as("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.status).toBe(200);
    const paymentId: string = got.json.checkout_session.payment.id;
    expect(typeof paymentId).toBe("string");
    expect(got.json.checkout_session).toMatchObject({
      status: "COMPLETED",
      metadata: { order_id: "ord_123" },
      // A closed session has no live payer link.
      url: null,
      token: null,
    });
    const payment = await as("GET", `/v1/payments/${paymentId}`);
    expect(payment.status).toBe(200);
    expect(payment.json.payment ?? payment.json).toMatchObject({
      id: paymentId,
      status: "SUCCEEDED",
    });

    // Webhook side, as the guide writes it.
    const events = await eventsUntil(hook, secret, "checkout_session.completed");
    const paid: string[] = [];
    const markOrderPaid = async (id: string | null) => {
      if (id !== null) paid.push(id);
    };
    for (const event of events) {
      if (event.type === "payment.succeeded") {
        await markOrderPaid(event.paymentId);
      }
    }
    expect(paid).toEqual([paymentId]);

    const succeeded = events.find((e) => e.type === "payment.succeeded");
    expect(succeeded).toBeDefined();
    expect(succeeded).toMatchObject({
      checkoutSessionId: session.id,
      paymentId,
      requestId: confirmRequestId,
      metadata: { order_id: "ord_123" },
      data: { object: { id: paymentId, object: "payment", status: "SUCCEEDED" } },
    });
    for (const event of events) {
      expect(typeof event.id).toBe("string");
      expect(typeof event.type).toBe("string");
      expect(isInteger(event.created)).toBe(true);
      expect(isInteger(event.sequence)).toBe(true);
      expect(event.checkoutSessionId).toBe(session.id);
      expect(event.metadata).toEqual({ order_id: "ord_123" });
      expect(typeof event.data.object).toBe("object");
      // Caused by the confirm (the provider's answer came within it).
      expect(event.requestId).toBe(confirmRequestId);
      if (event.type.startsWith("payment.") || event.type.startsWith("charge.")) {
        expect(event.paymentId).toBe(paymentId);
      }
    }
    const completed = events.find((e) => e.type === "checkout_session.completed");
    expect(completed?.data.object).toMatchObject({
      id: session.id,
      object: "checkout_session",
      status: "COMPLETED",
      url: null,
      token: null,
    });
    expect(completed?.paymentId).toBe(paymentId);

    // The journal: every accepted event with its cause and request id, the event parsed.
    const journal = await as("GET", `/v1/checkout-sessions/${session.id}/journal`);
    expect(journal.status).toBe(200);
    const entries: Array<{ type: unknown; request_id: unknown; event: unknown }> =
      journal.json.data;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toHaveProperty("request_id");
      expect(entry.request_id === null || typeof entry.request_id === "string").toBe(true);
      expect(typeof entry.event).toBe("object");
      expect(entry.event).not.toBeNull();
      // The event's type is the entry's; `event` holds the rest of the event, parsed.
      expect(typeof entry.type, JSON.stringify(entry)).toBe("string");
      expect(Array.isArray(entry.event)).toBe(false);
    }
    const requestIds = entries.map((e) => e.request_id);
    expect(requestIds).toContain(confirmRequestId);
    expect(requestIds).toContain(createRequestId);
  });

  it("without `url`: our hosted page, and url?token=… trades the token for a cookie (303 to /pay/<id>)", async () => {
    const { url: _url, ...withoutUrl } = HSRC_BODY;
    const created = await merchant("POST", "/v1/checkout-sessions", withoutUrl);
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const session = created.json.checkout_session;
    expect(session.url).toBe("http://127.0.0.1:8787/pay");

    const link = new URL(`${session.url}?token=${session.token}`);
    const traded = await call("GET", link.pathname + link.search);
    expect(traded.status).toBe(303);
    const location = traded.headers.get("location") ?? "";
    expect(new URL(location, "http://127.0.0.1:8787").pathname).toBe(`/pay/${session.id}`);
    expect(location).not.toContain(session.token);
    expect(location).not.toContain("token=");
    const cookie = traded.headers.get("set-cookie") ?? "";
    expect(cookie).not.toBe("");
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toContain(`/pay/${session.id}`);
  });

  it("a cancelled session shows url: null, token: null", async () => {
    const created = await merchant("POST", "/v1/checkout-sessions", HSRC_BODY);
    expect(created.status).toBe(201);
    const id = created.json.checkout_session.id;
    const cancelled = await merchant("POST", `/v1/checkout-sessions/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.checkout_session).toMatchObject({
      status: "CANCELLED",
      url: null,
      token: null,
    });
    const got = await merchant("GET", `/v1/checkout-sessions/${id}`);
    expect(got.json.checkout_session).toMatchObject({
      status: "CANCELLED",
      url: null,
      token: null,
    });
  });
});

/** The documents' userKyc, every placeholder filled. */
const USER_KYC = {
  fullName: "Ada Lovelace",
  citizenshipCountryCode: "GB",
  residenceAddress: "12 St James's Square, London SW1Y 4JH",
  dateOfBirth: "1990-12-10",
  placeOfBirth: "London",
  gender: "female",
  mobilePhone: "+447911123456",
  personalIdentificationNumber: "QQ123456C",
};

/**
 * The documents' embedded/hosted request body, in the documents' field order. `customFields` is
 * documented as `{}` in the field list and as `"string"` in the endpoint's example body: the
 * service takes an object (README), so the object form is the one sent here.
 */
function documentBody(userId: string) {
  return {
    userId,
    userEmail: "ada.lovelace@example.com",
    userCountryCode: "DE",
    currency: "EUR",
    amount: 5,
    idempotencyKey: `idem-${crypto.randomUUID()}`,
    websiteReference: "order-2024-0042",
    userKyc: USER_KYC,
    customFields: { cartId: "cart-981", channel: "web" },
  };
}

const HOSTED_URLS = {
  successUrl: "https://merchant.example/ok",
  supportUrl: "https://merchant.example/support",
  exitUrl: "https://merchant.example/exit",
  errorUrl: "https://merchant.example/error",
};

describe("StableMint Hosted Session document", () => {
  it("POST /session/hosted with the document's body and headers: 200 { url: string, expiresAt: integer, reference: string }", async () => {
    const body = { ...documentBody(newUserId()), ...HOSTED_URLS };
    const headers = signedHeaders(body);
    // signature: SHA256 hex of "<TIMESTAMP>,<API_SECRET>,<UNIQUE_USER_ID>"; timestamp: Unix seconds.
    expect(headers.api_key).toBe(SANDBOX_API_KEY);
    expect(headers.timestamp).toMatch(/^\d{10}$/);
    expect(headers.signature).toMatch(/^[0-9a-f]{64}$/);
    const before = unixNow();
    const created = await call("POST", "/session/hosted", body, headers);
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    expect(Object.keys(created.json).sort()).toEqual(["expiresAt", "reference", "url"]);
    const { url, expiresAt, reference } = created.json;
    expect(typeof url).toBe("string");
    expect(URL.canParse(url)).toBe(true);
    expect(isInteger(expiresAt)).toBe(true);
    expect(expiresAt).toBeGreaterThan(before);
    expect(typeof reference).toBe("string");
    expect(reference).toMatch(SESSION_ID);

    // "Always validate the session URL before redirecting users": it opens the payer's checkout.
    const opened = await call("GET", new URL(url).pathname);
    expect(opened.status).toBe(303);
    const got = await merchant("GET", `/v1/checkout-sessions/${reference}`);
    expect(got.json.checkout_session).toMatchObject({
      amount: 500,
      currency: "EUR",
      return_url: HOSTED_URLS.successUrl,
      cancel_url: HOSTED_URLS.exitUrl,
      stablemint: {
        flow: "hosted",
        website_reference: "order-2024-0042",
        custom_fields: { cartId: "cart-981", channel: "web" },
        success_url: HOSTED_URLS.successUrl,
        support_url: HOSTED_URLS.supportUrl,
        exit_url: HOSTED_URLS.exitUrl,
        error_url: HOSTED_URLS.errorUrl,
      },
    });
    // userKyc is kept, never shown.
    expect(JSON.stringify(got.json)).not.toContain("QQ123456C");
  });

  it.each([0.1, 10, "0.1", 7.25])(
    "amount %s is inside the sandbox's 0.1 to 10: 200",
    async (amount) => {
      const created = await stablemint("hosted", {
        ...documentBody(newUserId()),
        ...HOSTED_URLS,
        amount,
      });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
    },
  );

  it.each([0.09, 10.01, 0])(
    "amount %s is outside the sandbox's 0.1 to 10: 422 naming amount",
    async (amount) => {
      const created = await stablemint("hosted", {
        ...documentBody(newUserId()),
        ...HOSTED_URLS,
        amount,
      });
      expect(created.status).toBe(422);
      expect(created.json.code).toBe("validation_failed");
      expect(created.json.errors.map((e: { field: string }) => e.field)).toContain("amount");
    },
  );

  it("the same idempotencyKey with the same body answers the same session", async () => {
    const body = { ...documentBody(newUserId()), ...HOSTED_URLS };
    const first = await stablemint("hosted", body);
    const again = await stablemint("hosted", body);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json.reference).toBe(first.json.reference);
  });
});

describe("StableMint Embedded Session document", () => {
  function expectEmbeddedTypes(json: Record<string, unknown>) {
    expect(Object.keys(json).sort()).toEqual([
      "allowedPaymentMethods",
      "expiresAt",
      "reference",
      "savedBanks",
      "sessionId",
    ]);
    expect(json.sessionId).toMatch(UUID_V4);
    expect(isInteger(json.expiresAt)).toBe(true);
    expect(typeof json.reference).toBe("string");
    expect(json.reference).toMatch(SESSION_ID);
    expect(Array.isArray(json.allowedPaymentMethods)).toBe(true);
    for (const method of json.allowedPaymentMethods as Array<Record<string, unknown>>) {
      expect(isInteger(method.paymentMethod)).toBe(true);
      expect([1, 2]).toContain(method.paymentMethod);
      if (method.countryCodes !== undefined) {
        expect(Array.isArray(method.countryCodes)).toBe(true);
        for (const country of method.countryCodes as Array<Record<string, unknown>>) {
          expect(Object.keys(country).sort()).toEqual(["code", "name"]);
          expect(typeof country.code).toBe("string");
          expect(typeof country.name).toBe("string");
        }
      }
    }
    expect(Array.isArray(json.savedBanks)).toBe(true);
    for (const bank of json.savedBanks as Array<Record<string, unknown>>) {
      expect(Object.keys(bank).sort()).toEqual([
        "bankId",
        "bankName",
        "country",
        "lastUsed",
        "logo",
        "validated",
      ]);
      expect(typeof bank.country).toBe("string");
      expect(typeof bank.logo).toBe("string");
      expect(typeof bank.bankName).toBe("string");
      expect(isInteger(bank.bankId)).toBe(true);
      // Documented as "string" ("Last used timestamp"); the service answers Unix seconds, as the
      // README says. Only its presence is asserted here.
      expect(bank.lastUsed).toBeDefined();
      expect(bank.lastUsed).not.toBeNull();
      expect(typeof bank.validated).toBe("boolean");
    }
  }

  it("POST /session/embedded with the document's body: every documented field with its type", async () => {
    const created = await stablemint("embedded", documentBody(newUserId()));
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    expectEmbeddedTypes(created.json);
    const methods = created.json.allowedPaymentMethods as Array<{
      paymentMethod: number;
      countryCodes?: Array<{ code: string; name: string }>;
    }>;
    // 1 = card, 2 = bank transfer (with the countries that have sandbox banks).
    expect(methods.map((m) => m.paymentMethod)).toEqual([1, 2]);
    expect(methods[1]?.countryCodes?.map((c) => c.code)).toEqual(["DE", "FR", "GB", "NL", "PL"]);
    expect(created.json.savedBanks).toEqual([]);
  });

  it("the sessionId (a v4 UUID) opens the session as a payer token", async () => {
    const created = await stablemint("embedded", documentBody(newUserId()));
    expect(created.status).toBe(200);
    const opened = await call("GET", `/v1/checkout-sessions/token/${created.json.sessionId}`);
    expect(opened.status, JSON.stringify(opened.json)).toBe(200);
    expect(opened.json.checkout_session).toMatchObject({
      id: created.json.reference,
      status: "PENDING",
      amount: 500,
      currency: "EUR",
    });
    // Two sessions never share a sessionId.
    const other = await stablemint("embedded", documentBody(newUserId()));
    expect(other.json.sessionId).not.toBe(created.json.sessionId);
  });

  it("savedBanks after a bank payment: country, logo, bankName (strings), bankId (integer), lastUsed, validated (boolean)", async () => {
    const userId = newUserId();
    const first = await stablemint("embedded", documentBody(userId));
    expect(first.status).toBe(200);
    const paid = await payByBank(first.json.sessionId, "sandbox_de_1");
    expect(paid.status, JSON.stringify(paid.json)).toBe(200);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    // The bank is saved (in D1) once the paid session is projected.
    await projected(first.json.reference);

    const next = await stablemint("embedded", documentBody(userId));
    expect(next.status).toBe(200);
    expectEmbeddedTypes(next.json);
    expect(next.json.savedBanks).toHaveLength(1);
    expect(next.json.savedBanks[0]).toMatchObject({
      country: "DE",
      bankId: 101,
      validated: true,
    });
  });

  it.each([
    ["sandbox_de_2", 102, "DE"],
    ["sandbox_fr_1", 201, "FR"],
    ["sandbox_gb_1", 301, "GB"],
    ["sandbox_nl_2", 402, "NL"],
    ["sandbox_pl_1", 501, "PL"],
  ])("bank %s is listed as bankId %i (%s)", async (bankId, number, country) => {
    const userId = newUserId();
    const first = await stablemint("embedded", documentBody(userId));
    const paid = await payByBank(first.json.sessionId, bankId);
    expect(paid.status, JSON.stringify(paid.json)).toBe(200);
    await projected(first.json.reference);
    const next = await stablemint("embedded", documentBody(userId));
    expect(next.json.savedBanks[0]).toMatchObject({ bankId: number, country });
  });
});

describe("StableMint notifications (webhooks of these sessions)", () => {
  it("carry reference, websiteReference and customFields at the top level, with checkoutSessionId, paymentId and requestId", async () => {
    const sm = await newStablemintMerchant();
    const { hook, secret } = await endpointFor(sm.api);
    const body = { ...documentBody(newUserId()), ...HOSTED_URLS };
    const created = await sm.create("hosted", body);
    expect(created.status, JSON.stringify(created.json)).toBe(200);
    const token = new URL(created.json.url).pathname.split("/").at(-1) ?? "";
    const confirmRequestId = `req_sm_${crypto.randomUUID()}`;
    const confirmed = await call(
      "POST",
      `/v1/checkout-sessions/token/${token}/confirm`,
      { payment_method: card(CARDS.success), payer: PAYER },
      { "request-id": confirmRequestId },
    );
    expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);

    const events = await eventsUntil(hook, secret, "checkout_session.completed");
    expect(events.map((e) => e.type)).toContain("payment.succeeded");
    const paymentId = confirmed.json.confirmResult.payment.id;
    for (const event of events) {
      expect(event).toMatchObject({
        checkoutSessionId: created.json.reference,
        reference: created.json.reference,
        websiteReference: "order-2024-0042",
        customFields: { cartId: "cart-981", channel: "web" },
        paymentId,
        requestId: confirmRequestId,
      });
      // KYC data stays out of every notification.
      expect(JSON.stringify(event)).not.toContain("QQ123456C");
    }
  });
});
