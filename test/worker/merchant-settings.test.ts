/**
 * `GET`/`PATCH /v1/merchant`: each field accepted and refused, a refused PATCH changing nothing,
 * each change audited, and new sessions showing the change at once. Every test makes its own
 * merchant (D1 is shared, and m_sandbox belongs to every test file).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { merchantById, sha256Hex } from "../../src/merchants/merchants.js";
import { CARDS, call, newMerchant, RETURN_URL } from "./api.js";

type Caller = Awaited<ReturnType<typeof newMerchant>>;

const patch = (m: Caller, body: unknown, headers: Record<string, string> = {}) =>
  call("PATCH", "/v1/merchant", body, { authorization: `Bearer ${m.key}`, ...headers });

async function auditLog(m: Caller) {
  const log = await m.call("GET", "/v1/merchant/audit-log");
  expect(log.status).toBe(200);
  return log.json.data;
}

/** A merchant whose providers are not sandbox ones: a live merchant, with a live key. */
async function liveMerchant() {
  const id = `m_live_${crypto.randomUUID().slice(0, 8)}`;
  const key = `sk_live_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare(
    `INSERT INTO merchants (id, name, secret_key_hash, providers, allowed_origins, created_at)
     VALUES (?, 'Live Store', ?, '["upstream"]', '[]', ?)`,
  )
    .bind(id, await sha256Hex(key), Date.now())
    .run();
  return {
    id,
    key,
    call: (method: string, path: string, body?: unknown) =>
      call(method, path, body, { authorization: `Bearer ${key}` }),
  };
}

describe("GET /v1/merchant", () => {
  it("answers the merchant's settings in snake_case with ISO times", async () => {
    const m = await newMerchant();
    const got = await m.call("GET", "/v1/merchant");
    expect(got.status).toBe(200);
    expect(got.json.merchant).toEqual({
      id: m.id,
      object: "merchant",
      name: "Test Store",
      logo_url: null,
      brand_color: null,
      support_url: null,
      allowed_origins: [],
      payment_methods: ["card", "bank_transfer"],
      providers: ["sandbox", "sandbox_backup"],
      routing_rules: [],
      risk: { block_score: 90, require_3ds_score: 60, amount_thresholds: {} },
      provider_credentials: {},
      sandbox: true,
      previous_key_expires_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it("says a merchant with other providers is not a sandbox one", async () => {
    const live = await liveMerchant();
    const got = await live.call("GET", "/v1/merchant");
    expect(got.json.merchant).toMatchObject({ providers: ["upstream"], sandbox: false });
  });

  it("wants the secret key", async () => {
    expect((await call("GET", "/v1/merchant")).json.code).toBe("missing_api_key");
    const wrong = await call("GET", "/v1/merchant", undefined, { authorization: "Bearer sk_x" });
    expect([wrong.status, wrong.json.code]).toEqual([401, "invalid_api_key"]);
    const refused = await call("PATCH", "/v1/merchant", { name: "Evil" });
    expect(refused.status).toBe(401);
  });
});

describe("PATCH /v1/merchant", () => {
  it.each([
    ["name", { name: "  Corner Shop  " }, { name: "Corner Shop" }],
    ["logo_url", { logo_url: "https://cdn.example/logo.png" }, {}],
    ["brand_color (lower-cased)", { brand_color: "#0A7D38" }, { brand_color: "#0a7d38" }],
    ["support_url", { support_url: "https://help.example/contact?q=1" }, {}],
    [
      "allowed_origins (duplicates dropped)",
      {
        allowed_origins: [
          "https://shop.example",
          "https://shop.example:8443",
          "http://localhost:3000",
          "https://shop.example",
        ],
      },
      {
        allowed_origins: [
          "https://shop.example",
          "https://shop.example:8443",
          "http://localhost:3000",
        ],
      },
    ],
    ["payment_methods", { payment_methods: ["card"] }, {}],
    ["providers (in order)", { providers: ["sandbox_backup", "sandbox"] }, {}],
  ])("changes %s", async (_, body, normalised) => {
    const m = await newMerchant();
    const changed = await patch(m, body);
    expect(changed.status).toBe(200);
    const expected = { ...body, ...normalised };
    expect(changed.json.merchant).toMatchObject(expected);
    expect((await m.call("GET", "/v1/merchant")).json.merchant).toMatchObject(expected);
  });

  it("changes several fields at once, and null clears the optional ones", async () => {
    const m = await newMerchant();
    const set = {
      logo_url: "https://cdn.example/l.svg",
      brand_color: "#123456",
      support_url: "https://help.example",
    };
    expect((await patch(m, set)).json.merchant).toMatchObject(set);
    const cleared = await patch(m, { logo_url: null, brand_color: null, support_url: null });
    expect(cleared.status).toBe(200);
    expect(cleared.json.merchant).toMatchObject({
      logo_url: null,
      brand_color: null,
      support_url: null,
    });
  });

  it.each([
    ["an empty name", { name: "   " }, "name"],
    ["an overlong name", { name: "x".repeat(101) }, "name"],
    ["a name with a control character", { name: "Shop\u0007" }, "name"],
    ["a name with a bidi override", { name: "Shop\u202egpj" }, "name"],
    ["a null name", { name: null }, "name"],
    ["a colour without #", { brand_color: "0a7d38" }, "brand_color"],
    ["a short colour", { brand_color: "#fff" }, "brand_color"],
    ["a named colour", { brand_color: "red" }, "brand_color"],
    ["CSS in the colour", { brand_color: "#000000;}body{display:none" }, "brand_color"],
    ["an origin with a path", { allowed_origins: ["https://shop.example/"] }, "allowed_origins.0"],
    [
      "an origin with a query",
      { allowed_origins: ["https://shop.example?x"] },
      "allowed_origins.0",
    ],
    ["an upper-case origin", { allowed_origins: ["https://Shop.example"] }, "allowed_origins.0"],
    ["an http origin", { allowed_origins: ["http://shop.example"] }, "allowed_origins.0"],
    [
      "a credentialed origin",
      { allowed_origins: ["https://u:p@shop.example"] },
      "allowed_origins.0",
    ],
    ["a wildcard origin", { allowed_origins: ["https://*.shop.example"] }, "allowed_origins.0"],
    [
      "a CSP separator in a host",
      { allowed_origins: ["https://a;b.example"] },
      "allowed_origins.0",
    ],
    ["a comma in a host", { allowed_origins: ["https://a,b.example"] }, "allowed_origins.0"],
    [
      "21 origins",
      { allowed_origins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) },
      "allowed_origins",
    ],
    ["no payment method", { payment_methods: [] }, "payment_methods"],
    ["an unknown payment method", { payment_methods: ["crypto"] }, "payment_methods.0"],
    ["no provider", { providers: [] }, "providers"],
    ["an unknown provider", { providers: ["sandbox", "acme"] }, "providers.1"],
    ["a provider twice", { providers: ["sandbox", "sandbox"] }, "providers"],
    ["an unknown field", { name: "Shop", secret_key_hash: "00" }, ""],
    ["a read-only field", { sandbox: false }, ""],
    ["the id", { id: "m_other" }, ""],
    ["an http logo on another host", { logo_url: "http://cdn.example/logo.png" }, "logo_url"],
    ["an http support URL", { support_url: "http://help.example" }, "support_url"],
  ])("refuses %s with 422 naming the field, and changes nothing", async (_, body, field) => {
    const m = await newMerchant();
    const before = (await m.call("GET", "/v1/merchant")).json.merchant;
    const refused = await patch(m, { brand_color: "#00ff00", ...body });
    expect([refused.status, refused.json.code]).toEqual([422, "validation_failed"]);
    expect(refused.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await m.call("GET", "/v1/merchant")).json.merchant).toEqual(before);
    expect(await auditLog(m)).toEqual([]);
  });

  const HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://user:pw@x.example",
    "https://x.example@evil.example/",
    "https://x.example/\r\nX: 1",
    "https://x.example/\tpath",
    "https://x.example/ path",
    "//evil.example",
    "/relative/path",
    "https:\\\\evil.example",
    "https://x.example/\u0000",
    "https://x.example/\u202e",
    `https://x.example/${"a".repeat(2100)}`,
    "https://pаypal.com",
    "https://xn--pypal-4ve.com",
    "ftp://x.example/logo.png",
    "",
  ];

  it.each(
    HOSTILE.flatMap((url) => [
      ["logo_url", url],
      ["support_url", url],
    ]),
  )("refuses %s %j", async (field, url) => {
    const m = await newMerchant();
    const refused = await patch(m, { [field]: url });
    expect([refused.status, refused.json.errors?.[0]?.field]).toEqual([422, field]);
    expect((await m.call("GET", "/v1/merchant")).json.merchant[field]).toBeNull();
  });

  it.each(HOSTILE)("refuses the allowed origin %j", async (url) => {
    const m = await newMerchant();
    const refused = await patch(m, { allowed_origins: [url] });
    expect([refused.status, refused.json.errors?.[0]?.field]).toEqual([422, "allowed_origins.0"]);
    expect((await m.call("GET", "/v1/merchant")).json.merchant.allowed_origins).toEqual([]);
  });

  it("lets a sandbox merchant use local http, and refuses it to a live one", async () => {
    const local = {
      logo_url: "http://127.0.0.1:9000/logo.png",
      support_url: "http://localhost:3000/help",
      allowed_origins: ["http://localhost:3000", "http://127.0.0.1:9000"],
    };
    const sandbox = await newMerchant();
    expect((await patch(sandbox, local)).json.merchant).toMatchObject(local);

    const live = await liveMerchant();
    const refused = await call("PATCH", "/v1/merchant", local, {
      authorization: `Bearer ${live.key}`,
    });
    expect(refused.status).toBe(422);
    expect(refused.json.errors.map((e: { field: string }) => e.field)).toEqual([
      "logo_url",
      "support_url",
      "allowed_origins.0",
      "allowed_origins.1",
    ]);
    expect(refused.json.errors[0].message).toBe("Must be an https URL.");
  });

  it("keeps links to other origins than the allowed ones (they are links, not redirects)", async () => {
    const m = await newMerchant();
    const changed = await patch(m, {
      allowed_origins: ["https://shop.example"],
      logo_url: "https://cdn.other.example/logo.png",
      support_url: "https://help.other.example/",
    });
    expect(changed.status).toBe(200);
  });

  it("refuses a body that is not JSON, or not an object", async () => {
    const m = await newMerchant();
    expect((await patch(m, "{")).json.code).toBe("invalid_json");
    expect((await patch(m, "[]")).status).toBe(422);
    const form = await call("PATCH", "/v1/merchant", "name=x", {
      authorization: `Bearer ${m.key}`,
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
  });

  it("audits each change: who, when, what changed and the request-id", async () => {
    const m = await newMerchant();
    const first = await patch(
      m,
      { name: "Corner Shop", brand_color: "#0A7D38" },
      {
        "request-id": "req_settings_1",
      },
    );
    expect(first.status).toBe(200);
    await patch(m, { brand_color: "#0a7d38", logo_url: null }); // the same values: no change
    await patch(m, { providers: ["sandbox"] }, { "request-id": "req_settings_2" });

    const log = await auditLog(m);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      object: "audit_log_entry",
      action: "merchant.updated",
      request_id: "req_settings_2",
      changes: { providers: { from: ["sandbox", "sandbox_backup"], to: ["sandbox"] } },
    });
    expect(log[1]).toEqual({
      id: expect.stringMatching(/^aud_\d+$/),
      object: "audit_log_entry",
      action: "merchant.updated",
      created_at: expect.stringMatching(/Z$/),
      request_id: "req_settings_1",
      actor: { type: "secret_key", key_hash_suffix: (await sha256Hex(m.key)).slice(-4) },
      changes: {
        name: { from: "Test Store", to: "Corner Shop" },
        brand_color: { from: null, to: "#0a7d38" },
      },
    });
    expect(JSON.stringify(log)).not.toContain(m.key);
  });
});

describe("a changed merchant, seen by new sessions", () => {
  it("shows the new name, logo and colour in a new session's payer view and pages", async () => {
    const m = await newMerchant();
    const created = async () => {
      const answer = await m.call("POST", "/v1/checkout-sessions", {
        amount: 1050,
        currency: "EUR",
        return_url: RETURN_URL,
      });
      expect(answer.status).toBe(201);
      return answer.json.checkout_session as { id: string; token: string };
    };
    const before = await created();
    const settings = {
      name: "Corner Shop",
      logo_url: "https://cdn.example/corner.png",
      brand_color: "#FFFF00",
      support_url: "https://help.example/",
    };
    expect((await patch(m, settings)).status).toBe(200);
    const after = await created();

    const payerView = async (token: string) =>
      (await call("GET", `/v1/checkout-sessions/token/${token}`)).json.checkout_session;
    expect((await payerView(after.token)).merchant).toEqual({
      name: "Corner Shop",
      logo_url: "https://cdn.example/corner.png",
      brand_color: "#ffff00",
    });
    // A session keeps the branding it was created with.
    expect((await payerView(before.token)).merchant).toMatchObject({
      name: "Test Store",
      brand_color: null,
    });

    const merchant = await merchantById(env, m.id);
    expect(merchant).toMatchObject({
      name: "Corner Shop",
      logoUrl: "https://cdn.example/corner.png",
      brandColor: "#ffff00",
      supportUrl: "https://help.example/",
      paymentMethods: ["card", "bank_transfer"],
      sandbox: true,
    });

    // The hosted page links the brand stylesheet (first-party: the CSP stays style-src 'self').
    const link = await call("GET", `/pay/${after.token}`);
    const cookie = (link.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const page = await call("GET", `/pay/${after.id}`, undefined, { cookie });
    expect(page.status).toBe(200);
    expect(page.json).toContain("Corner Shop");
    expect(page.json).toContain('href="/assets/brand/ffff00.css"');
    expect(page.headers.get("content-security-policy")).toContain("style-src 'self';");
    const css = await call("GET", "/assets/brand/ffff00.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.json).toContain("--brand: #ffff00; --brand-dark: #e0e000; --brand-ink: #000000;");
  });

  it("names the merchant and wears its colour on the sandbox 3-D Secure challenge", async () => {
    const m = await newMerchant();
    await patch(m, { name: "Corner Shop", brand_color: "#777777" });
    const created = await m.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
    });
    const token = created.json.checkout_session.token;
    const confirmed = await call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
      payment_method: {
        type: "card",
        card: { number: CARDS.challenge, exp_month: 12, exp_year: 2030, cvc: "123" },
      },
      payer: { name: "Ada Lovelace", email: "ada@example.com" },
    });
    const url = new URL(confirmed.json.confirmResult.paymentNextAction.url);
    const challenge = await call("GET", url.pathname);
    expect(challenge.status).toBe(200);
    expect(challenge.json).toContain("to <strong>Corner Shop</strong>");
    // #777777 gives white text only 4.48:1, so the button is a shade darker.
    expect(challenge.json).toContain(".approve{background:#767676;color:#ffffff;");
  });
});
