import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ProblemError } from "../../src/errors.js";
import { authenticateMerchant, merchantById, sha256Hex } from "../../src/merchants/merchants.js";
import { problemOf } from "./api.js";

const SANDBOX_KEY = "sk_test_sandbox";

function request(authorization?: string): Request {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  return new Request("http://x/v1/checkout-sessions", { headers });
}

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 test vectors", async () => {
    expect(await sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(await sha256Hex("")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});

describe("authenticateMerchant", () => {
  it("finds the seeded sandbox merchant by its secret key", async () => {
    const merchant = await authenticateMerchant(request(`Bearer ${SANDBOX_KEY}`), env);
    expect(merchant).toEqual({
      id: "m_sandbox",
      name: "Sandbox Store",
      logoUrl: null,
      brandColor: null,
      providers: ["sandbox", "sandbox_backup"],
      // No allowed origins: any https URL (and local http, as a sandbox merchant).
      allowedOrigins: [],
      sandbox: true,
      supportUrl: null,
      paymentMethods: ["card", "bank_transfer"],
      routingRules: [],
      risk: { block_score: 90, require_3ds_score: 60, amount_thresholds: {} },
    });
  });

  it("accepts the scheme in any case (RFC 9110 §11.1)", async () => {
    const merchant = await authenticateMerchant(request(`bearer ${SANDBOX_KEY}`), env);
    expect(merchant.id).toBe("m_sandbox");
  });

  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["another scheme", `Basic ${btoa(`${SANDBOX_KEY}:`)}`],
    ["a bare key", SANDBOX_KEY],
    ["a scheme without a key", "Bearer "],
  ])("answers %s with 401 missing_api_key", async (_, authorization) => {
    const problem = await problemOf(authenticateMerchant(request(authorization), env));
    expect(problem).toMatchObject({ status: 401, code: "missing_api_key" });
    expect(problem.headers).toEqual({ "www-authenticate": "Bearer" });
  });

  it.each([
    ["an unknown key", "sk_test_nobody"],
    ["the public StableMint key", "pk_test_sandbox"],
    ["the stored hash itself", "f5c8bb5a44b28cfbe65e7221f149920b2cf309586c63bc40fae9bc0ce722b6a1"],
    ["an overlong key", "k".repeat(10_000)],
  ])("answers %s with 401 invalid_api_key", async (_, key) => {
    const problem = await problemOf(authenticateMerchant(request(`Bearer ${key}`), env));
    expect(problem).toMatchObject({ status: 401, code: "invalid_api_key" });
    expect(problem.headers["www-authenticate"]).toMatch(/^Bearer /);
  });

  it("refuses a merchant row whose JSON columns are corrupt, rather than trusting it", async () => {
    const key = `sk_test_${crypto.randomUUID()}`;
    await env.DB.prepare(
      "INSERT INTO merchants (id, name, secret_key_hash, providers, created_at) VALUES (?, ?, ?, ?, ?)",
    )
      .bind(`m_${crypto.randomUUID()}`, "Corrupt", await sha256Hex(key), "not json", Date.now())
      .run();
    const error = await authenticateMerchant(request(`Bearer ${key}`), env).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ProblemError); // a 500 and a log line: our data, our bug
  });
});

describe("merchantById", () => {
  it("returns the merchant, or null for an unknown id", async () => {
    expect((await merchantById(env, "m_sandbox"))?.name).toBe("Sandbox Store");
    expect(await merchantById(env, "m_nobody")).toBeNull();
  });
});

describe("the stored sandbox merchant", () => {
  it("holds hashes of its secrets, never the secrets themselves", async () => {
    const row = await env.DB.prepare("SELECT * FROM merchants WHERE id = 'm_sandbox'").first();
    expect(row).not.toBeNull();
    const hash = await sha256Hex(SANDBOX_KEY);
    expect(row).toMatchObject({
      secret_key_hash: hash,
      api_key: "pk_test_sandbox",
      api_secret_hash: hash,
    });
    for (const value of Object.values(row ?? {})) {
      expect(String(value)).not.toContain(SANDBOX_KEY);
    }
  });
});
