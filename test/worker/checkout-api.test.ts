import { describe, expect, it } from "vitest";
import { call, createSession, merchant, RETURN_URL } from "./api.js";

describe("POST /v1/checkout-sessions", () => {
  it("creates a PENDING session with a hosted url carrying its token", async () => {
    const created = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "eur",
      return_url: RETURN_URL,
      metadata: { order: "A-1" },
      line_items: [{ name: "Tea", quantity: 2, unit_amount: 525 }],
    });
    expect(created.status).toBe(201);
    const session = created.json.checkout_session;
    expect(session).toMatchObject({
      status: "PENDING",
      amount: 1050,
      currency: "EUR",
      object: "checkout_session",
    });
    expect(session.id).toMatch(/^cs_[0-9a-f]{64}$/);
    expect(session.url).toBe(`http://127.0.0.1:8787/pay/${session.token}`);
    expect(session.token.startsWith(`${session.id}.`)).toBe(true);
    expect(Date.parse(session.expires_at) - Date.parse(session.created_at)).toBe(3600_000);
    expect(created.headers.get("request-id")).toMatch(/^req_/);
    // Never cached, never a Referer that could carry a token or session URL onwards.
    expect(created.headers.get("cache-control")).toBe("no-store");
    expect(created.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("echoes the caller's request-id", async () => {
    const created = await merchant(
      "POST",
      "/v1/checkout-sessions",
      { amount: 100, currency: "USD", return_url: RETURN_URL },
      { "request-id": "trace-42" },
    );
    expect(created.headers.get("request-id")).toBe("trace-42");
  });

  it.each([
    ["no key", {}, "missing_api_key"],
    ["a wrong key", { authorization: "Bearer sk_test_nope" }, "invalid_api_key"],
  ])("refuses %s with 401", async (_name, headers, code) => {
    const response = await call(
      "POST",
      "/v1/checkout-sessions",
      { amount: 1, currency: "EUR", return_url: RETURN_URL },
      headers,
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.json.code).toBe(code);
  });

  it.each([
    ["a negative amount", { amount: -5 }, "amount"],
    ["an unknown currency", { currency: "ABC" }, "currency"],
    ["a javascript: return url", { return_url: "javascript:alert(1)" }, "return_url"],
    ["a plain http return url", { return_url: "http://shop.example/return" }, "return_url"],
    ["too short an expiry", { expires_in: 30 }, "expires_in"],
    ["an unknown field", { colour: "red" }, ""],
  ])("names the field for %s in a 422 problem", async (_name, patch, field) => {
    const response = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
      ...patch,
    });
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({ code: "validation_failed", status: 422 });
    expect(response.json.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("answers bad JSON and a wrong content type with clear 4xx problems", async () => {
    expect((await merchant("POST", "/v1/checkout-sessions", "{oops")).json.code).toBe(
      "invalid_json",
    );
    const wrongType = await merchant("POST", "/v1/checkout-sessions", "amount=1", {
      "content-type": "text/plain",
    });
    expect([wrongType.status, wrongType.json.code]).toEqual([415, "unsupported_media_type"]);
  });

  it("refuses a return url outside the merchant's allowed origins", async () => {
    const response = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: "https://elsewhere.example/r",
    });
    expect([response.status, response.json.code]).toEqual([422, "redirect_url_not_allowed"]);
  });
});

describe("retrieving, listing and cancelling", () => {
  it("retrieves a session, and 404s for ids that are not ours", async () => {
    const session = await createSession();
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session).toMatchObject({ id: session.id, status: "PENDING" });
    expect(got.json.checkout_session.token).toBeUndefined();
    expect((await merchant("GET", "/v1/checkout-sessions/cs_nope")).status).toBe(404);
    const unknown = `cs_${"0".repeat(64)}`;
    expect((await merchant("GET", `/v1/checkout-sessions/${unknown}`)).status).toBe(404);
  });

  it("lists sessions newest first from the index, filtered by status", async () => {
    const a = await createSession();
    const b = await createSession();
    await merchant("POST", `/v1/checkout-sessions/${a.id}/cancel`);
    const cancelled = await merchant("GET", "/v1/checkout-sessions?status=CANCELLED&limit=100");
    expect(cancelled.json.data.map((s: { id: string }) => s.id)).toContain(a.id);
    expect(cancelled.json.data.map((s: { id: string }) => s.id)).not.toContain(b.id);
    const bad = await merchant("GET", "/v1/checkout-sessions?limit=1000");
    expect(bad.status).toBe(422);
  });

  it("cancels a pending session once; a second cancel is a 409", async () => {
    const session = await createSession();
    const first = await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    expect(first.json.checkout_session.status).toBe("CANCELLED");
    const second = await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    expect([second.status, second.json.code]).toEqual([409, "session_cancelled"]);
  });

  it("unknown routes are 404 problems", async () => {
    const response = await call("GET", "/v1/nothing-here");
    expect([response.status, response.json.code]).toEqual([404, "route_not_found"]);
  });
});
