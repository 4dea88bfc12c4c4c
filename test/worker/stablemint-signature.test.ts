/**
 * StableMint request signing: `api_key`, `timestamp` (Unix seconds, within 5 minutes) and
 * `signature` = hex SHA-256("<timestamp>,<api secret>,<userId>"), computed here with node:crypto.
 * Every failure is its own 401 problem, and a refused request creates nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seal } from "../../src/sealed.js";
import { call, SANDBOX_KEY } from "./api.js";
import {
  embeddedBody,
  hostedBody,
  newStablemintMerchant,
  SANDBOX_API_KEY,
  SANDBOX_API_SECRET,
  sign,
  signedHeaders,
  stablemint,
  unixNow,
} from "./stablemint-api.js";

/** Sessions of a merchant of the test's own (other test files share D1 and run alongside). */
async function sessionCount(merchantId: string) {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM checkout_sessions WHERE merchant_id = ?",
  )
    .bind(merchantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("a correctly signed request", () => {
  it("creates a session, for both flows", async () => {
    for (const [flow, body] of [
      ["hosted", hostedBody()],
      ["embedded", embeddedBody()],
    ] as const) {
      const created = await stablemint(flow, body);
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      expect(created.json.reference).toMatch(/^cs_[0-9a-f]{64}$/);
    }
  });

  it("matches a signature computed by hand for a fixed timestamp and user", () => {
    // echo -n "1767225600,sk_test_sandbox,user-1" | sha256sum
    expect(sign("1767225600", SANDBOX_API_SECRET, "user-1")).toBe(
      "3f79ab9073b16ea298e4c27048f9c3a5bf7dd2359f0eed432b8983feee1a9d23",
    );
  });

  it("accepts the signature in upper-case hex, and a timestamp 4 minutes off either way", async () => {
    for (const offset of [-240, 240]) {
      const body = embeddedBody();
      const headers = signedHeaders(body, { timestamp: String(unixNow() + offset) });
      const created = await call("POST", "/session/embedded", body, {
        ...headers,
        signature: (headers.signature ?? "").toUpperCase(),
      });
      expect(created.status).toBe(200);
    }
  });
});

describe("refused with 401", () => {
  it.each(["api_key", "timestamp", "signature"])("without the %s header", async (header) => {
    const m = await newStablemintMerchant();
    const body = hostedBody();
    const headers = signedHeaders(body, { apiKey: m.apiKey, secret: m.secret });
    delete headers[header];
    const refused = await call("POST", "/session/hosted", body, headers);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.json).toMatchObject({
      code: `missing_${header === "api_key" ? "api_key" : header}`,
      errors: [{ field: header, message: "Required header." }],
    });
    expect(await sessionCount(m.id)).toBe(0);
  });

  it.each([
    ["more than 5 minutes old", () => String(unixNow() - 301), "stale_timestamp"],
    ["more than 5 minutes ahead", () => String(unixNow() + 301), "stale_timestamp"],
    ["in milliseconds", () => String(Date.now()), "stale_timestamp"],
    ["not a number", () => "yesterday", "invalid_timestamp"],
    ["an ISO date", () => new Date().toISOString(), "invalid_timestamp"],
    ["negative", () => `-${unixNow()}`, "invalid_timestamp"],
    ["fractional", () => `${unixNow()}.5`, "invalid_timestamp"],
  ])("with a timestamp %s, even when correctly signed", async (_, timestamp, code) => {
    const body = hostedBody();
    const refused = await stablemint("hosted", body, { timestamp: timestamp() });
    expect([refused.status, refused.json.code]).toEqual([401, code]);
  });

  it.each([
    ["an unknown api_key", { apiKey: "pk_test_nobody" }, "invalid_api_key"],
    ["the checkout secret key as api_key", { apiKey: SANDBOX_KEY }, "invalid_api_key"],
    ["a forged signature (another secret)", { secret: "sk_test_guess" }, "invalid_signature"],
    ["a signature over another userId", { userId: "someone-else" }, "invalid_signature"],
  ])("with %s", async (_, signing, code) => {
    const m = await newStablemintMerchant();
    const refused = await m.create("hosted", hostedBody(), signing);
    expect([refused.status, refused.json.code]).toEqual([401, code]);
    expect(await sessionCount(m.id)).toBe(0);
  });

  it("with a signature that is not 64 hex characters, or one character off", async () => {
    const body = embeddedBody();
    const headers = signedHeaders(body);
    const good = headers.signature ?? "";
    const flipped = `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`;
    for (const signature of [good.slice(0, 63), `${good}0`, `${good.slice(0, 63)}g`, flipped]) {
      const refused = await call("POST", "/session/embedded", body, { ...headers, signature });
      expect([refused.status, refused.json.code]).toEqual([401, "invalid_signature"]);
    }
  });

  it("with a signature replayed on a changed userId (the signature covers it)", async () => {
    const body = embeddedBody();
    const headers = signedHeaders(body);
    const replayed = await call(
      "POST",
      "/session/embedded",
      { ...body, userId: "attacker" },
      headers,
    );
    expect([replayed.status, replayed.json.code]).toEqual([401, "invalid_signature"]);
  });

  it("before validation: an unsigned request learns nothing about its body", async () => {
    const refused = await stablemint(
      "hosted",
      { userId: "u1", amount: "lots" },
      { secret: "wrong" },
    );
    expect([refused.status, refused.json.code]).toEqual([401, "invalid_signature"]);
    expect(refused.json.errors).toBeUndefined();
  });

  it("when the merchant's sealed secret cannot be opened, or there is none (never a 500)", async () => {
    const other = { ENCRYPTION_KEY: "another-install-encryption-key-0123456789" } as Env;
    for (const sealed of [await seal(other, "sk_x"), "v1.garbage.more-garbage", "nonsense", null]) {
      const m = await newStablemintMerchant({ sealed });
      const refused = await m.create("embedded", embeddedBody());
      expect([refused.status, refused.json.code]).toEqual([401, "api_secret_unavailable"]);
    }
  });
});

describe("a merchant of its own", () => {
  it("signs with its own secret, and its key does not work with another's secret", async () => {
    const m = await newStablemintMerchant();
    expect((await m.create("embedded", embeddedBody())).status).toBe(200);
    const crossed = await stablemint("embedded", embeddedBody(), {
      apiKey: m.apiKey,
      secret: SANDBOX_API_SECRET,
    });
    expect(crossed.json.code).toBe("invalid_signature");
    const other = await stablemint("embedded", embeddedBody(), {
      apiKey: SANDBOX_API_KEY,
      secret: m.secret,
    });
    expect(other.json.code).toBe("invalid_signature");
  });
});
