/**
 * `POST /v1/merchant/keys/roll` and the audit log it writes: the new key shown once and stored
 * only as a hash, the old one working through the overlap and dead after it, and
 * `GET /v1/merchant/audit-log` paging newest first. Every test makes its own merchant.
 *
 * The overlap's end is not waited for (24 h): the test moves the stored expiry into the past in
 * D1, which is exactly the state the clock reaching it would leave, and authentication compares
 * that expiry with the time of each request.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { forgetMerchant, sha256Hex } from "../../src/merchants/merchants.js";
import { call, newMerchant } from "./api.js";

const as = (key: string, method: string, path: string, body?: unknown) =>
  call(method, path, body, { authorization: `Bearer ${key}` });

const works = async (key: string) => (await as(key, "GET", "/v1/merchant")).status;

async function roll(key: string, body?: unknown, headers: Record<string, string> = {}) {
  return call("POST", "/v1/merchant/keys/roll", body, {
    authorization: `Bearer ${key}`,
    ...headers,
  });
}

describe("POST /v1/merchant/keys/roll", () => {
  it("issues a new sk_test_ key, shown once, and keeps the old one working for 24 h", async () => {
    const m = await newMerchant();
    const before = Date.now();
    const rolled = await roll(m.key);
    expect(rolled.status).toBe(200);
    expect(rolled.json).toEqual({
      object: "secret_key",
      secret_key: expect.stringMatching(/^sk_test_[A-Za-z0-9_-]{43}$/),
      previous_key_expires_at: expect.any(String),
    });
    const expiresAt = Date.parse(rolled.json.previous_key_expires_at);
    expect(expiresAt - before).toBeGreaterThanOrEqual(86_400_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(86_400_000);

    const key = rolled.json.secret_key;
    expect([await works(key), await works(m.key)]).toEqual([200, 200]);
    const got = await as(key, "GET", "/v1/merchant");
    expect(got.json.merchant.previous_key_expires_at).toBe(rolled.json.previous_key_expires_at);

    // Only hashes are stored: the new key's, and the old one's beside its expiry.
    const row = await env.DB.prepare("SELECT * FROM merchants WHERE id = ?").bind(m.id).first();
    expect(row).toMatchObject({
      secret_key_hash: await sha256Hex(key),
      previous_secret_key_hash: await sha256Hex(m.key),
      previous_secret_key_expires_at: expiresAt,
    });
    for (const value of Object.values(row ?? {})) expect(String(value)).not.toContain(key);
  });

  it("with overlap_seconds 0 ends the old key at once", async () => {
    const m = await newMerchant();
    const rolled = await roll(m.key, { overlap_seconds: 0 });
    expect(rolled.json.previous_key_expires_at).toBeNull();
    expect(await works(rolled.json.secret_key)).toBe(200);
    const old = await as(m.key, "GET", "/v1/merchant");
    expect([old.status, old.json.code]).toEqual([401, "invalid_api_key"]);
  });

  it("lets the old key go once the overlap is over", async () => {
    const m = await newMerchant();
    const rolled = await roll(m.key, { overlap_seconds: 60 });
    expect(await works(m.key)).toBe(200);
    await env.DB.prepare("UPDATE merchants SET previous_secret_key_expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, m.id)
      .run();
    // An operator's SQL reaches warm isolates within the auth cache's 30 s; drop it rather than wait.
    forgetMerchant(m.id);
    const old = await as(m.key, "GET", "/v1/merchant");
    expect([old.status, old.json.code]).toEqual([401, "invalid_api_key"]);
    expect(old.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    // …on every route, not only this one.
    expect((await as(m.key, "GET", "/v1/webhook-endpoints")).status).toBe(401);
    const got = await as(rolled.json.secret_key, "GET", "/v1/merchant");
    expect(got.json.merchant.previous_key_expires_at).toBeNull();
  });

  it("ends the key before the previous one at once when rolled again within an overlap", async () => {
    const m = await newMerchant();
    const second = (await roll(m.key)).json.secret_key;
    const third = (await roll(second, { overlap_seconds: 3600 })).json.secret_key;
    expect(await works(m.key)).toBe(401);
    expect([await works(second), await works(third)]).toEqual([200, 200]);
  });

  it("refuses a roll made with the previous key, which still works for everything else", async () => {
    const m = await newMerchant();
    const next = (await roll(m.key)).json.secret_key;
    const refused = await roll(m.key);
    expect([refused.status, refused.json.code]).toEqual([403, "previous_key_cannot_roll"]);
    expect([await works(m.key), await works(next)]).toEqual([200, 200]);
  });

  it("issues sk_live_ keys to a merchant that is not a sandbox one", async () => {
    const id = `m_live_${crypto.randomUUID().slice(0, 8)}`;
    const key = `sk_live_${crypto.randomUUID().replaceAll("-", "")}`;
    await env.DB.prepare(
      `INSERT INTO merchants (id, name, secret_key_hash, providers, created_at)
       VALUES (?, 'Live Store', ?, '["upstream"]', ?)`,
    )
      .bind(id, await sha256Hex(key), Date.now())
      .run();
    expect((await roll(key)).json.secret_key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    [{ overlap_seconds: -1 }],
    [{ overlap_seconds: 7 * 86_400 + 1 }],
    [{ overlap_seconds: 1.5 }],
    [{ overlap_seconds: "60" }],
    [{ overlap: 60 }],
  ])("refuses %j and keeps the key", async (body) => {
    const m = await newMerchant();
    const refused = await roll(m.key, body);
    expect([refused.status, refused.json.code]).toEqual([422, "validation_failed"]);
    expect(await works(m.key)).toBe(200);
    expect((await as(m.key, "GET", "/v1/merchant/audit-log")).json.data).toEqual([]);
  });

  it("audits each roll without any secret", async () => {
    const m = await newMerchant();
    const oldHash = await sha256Hex(m.key);
    const rolled = await roll(m.key, { overlap_seconds: 600 }, { "request-id": "req_roll_1" });
    const key = rolled.json.secret_key;
    const newHash = await sha256Hex(key);
    const log = (await as(key, "GET", "/v1/merchant/audit-log")).json;
    expect(log).toEqual({
      object: "list",
      data: [
        {
          id: expect.stringMatching(/^aud_\d+$/),
          object: "audit_log_entry",
          action: "merchant.key_rolled",
          created_at: expect.any(String),
          request_id: "req_roll_1",
          actor: { type: "secret_key", key_hash_suffix: oldHash.slice(-4) },
          changes: {
            secret_key: { from: oldHash.slice(-4), to: newHash.slice(-4) },
            previous_secret_key: { from: null, to: oldHash.slice(-4) },
            previous_key_expires_at: { from: null, to: rolled.json.previous_key_expires_at },
          },
        },
      ],
      next_cursor: null,
    });
    const text = JSON.stringify(log);
    expect(text).not.toContain(key);
    expect(text).not.toContain(m.key);
  });
});

describe("GET /v1/merchant/audit-log", () => {
  it("pages newest first with limit and cursor", async () => {
    const m = await newMerchant();
    for (const name of ["One", "Two", "Three", "Four", "Five"]) {
      const changed = await m.call("PATCH", "/v1/merchant", { name });
      expect(changed.status).toBe(200);
    }
    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const page = await m.call("GET", `/v1/merchant/audit-log${query}`);
      expect(page.status).toBe(200);
      expect(page.json.data.length).toBeLessThanOrEqual(2);
      for (const entry of page.json.data) names.push(entry.changes.name.to);
      cursor = page.json.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(names).toEqual(["Five", "Four", "Three", "Two", "One"]);
    expect(pages).toBe(3);
    expect((await m.call("GET", "/v1/merchant/audit-log")).json.data).toHaveLength(5);
  });

  it("shows a merchant only its own entries", async () => {
    const a = await newMerchant();
    const b = await newMerchant();
    await a.call("PATCH", "/v1/merchant", { name: "A's shop" });
    expect((await b.call("GET", "/v1/merchant/audit-log")).json.data).toEqual([]);
  });

  it("refuses unknown query parameters with 400 naming them", async () => {
    const m = await newMerchant();
    const refused = await m.call("GET", "/v1/merchant/audit-log?limit=5&action=x&since=1");
    expect([refused.status, refused.json.code]).toEqual([400, "unknown_query_parameter"]);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.json.errors.map((e: { field: string }) => e.field)).toEqual(["action", "since"]);
  });

  it.each(["limit=0", "limit=101", "limit=x", "cursor=not-ours", "cursor=WzEsInh5eiJd"])(
    "refuses %s with a 422",
    async (query) => {
      const m = await newMerchant();
      const refused = await m.call("GET", `/v1/merchant/audit-log?${query}`);
      expect(refused.status).toBe(422);
      expect(["validation_failed", "invalid_cursor"]).toContain(refused.json.code);
    },
  );
});
