import { describe, expect, it } from "vitest";
import { call, createSession, merchant, projected, RETURN_URL } from "./api.js";

describe("POST /v1/checkout-sessions", () => {
  it("creates a PENDING session whose hosted url opens with its token", async () => {
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
    // The documents' own line: `${url}?token=${token}` opens the hosted page.
    expect(session.url).toBe("http://127.0.0.1:8787/pay");
    expect(session.token.startsWith(`${session.id}.`)).toBe(true);
    const opened = await call("GET", `/pay?token=${session.token}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.get("location")).toBe(`/pay/${session.id}`);
    expect(opened.headers.get("set-cookie")).toContain("HttpOnly");
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
    [
      "a return url with a line break",
      { return_url: "https://shop.example/r\r\nX: 1" },
      "return_url",
    ],
    [
      "line items that do not add up",
      { line_items: [{ name: "Tea", quantity: 1, unit_amount: 100 }] },
      "line_items",
    ],
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

  it("takes any https return url from a merchant with no allowed origins, and local http in the sandbox", async () => {
    for (const return_url of [
      "https://merchant.example/return",
      "http://localhost:3000/done",
      "http://127.0.0.1:9999/done",
    ]) {
      const response = await merchant("POST", "/v1/checkout-sessions", {
        amount: 1050,
        currency: "EUR",
        return_url,
      });
      expect(response.status).toBe(201);
    }
    const plain = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: "http://shop.example/return",
    });
    expect([plain.status, plain.json.code]).toEqual([422, "redirect_url_not_allowed"]);
    expect(plain.json.errors).toEqual([
      { field: "return_url", message: expect.stringContaining("https URL") },
    ]);
  });

  it("derives the amount from line items when it is left out", async () => {
    const created = await merchant("POST", "/v1/checkout-sessions", {
      currency: "EUR",
      return_url: RETURN_URL,
      line_items: [
        { name: "Tea", quantity: 2, unit_amount: 525 },
        { name: "Cake", quantity: 1, unit_amount: 300 },
      ],
    });
    expect([created.status, created.json.checkout_session.amount]).toEqual([201, 1350]);
    const none = await merchant("POST", "/v1/checkout-sessions", {
      currency: "EUR",
      return_url: RETURN_URL,
    });
    expect(none.json.errors.map((e: { field: string }) => e.field)).toEqual(["amount"]);
  });
});

describe("retrieving, listing and cancelling", () => {
  it("retrieves a session, and 404s for ids that are not ours", async () => {
    const session = await createSession();
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session).toMatchObject({ id: session.id, status: "PENDING" });
    // While it is open the merchant's view carries the payer's way in; once final, none.
    expect(got.json.checkout_session.token).toBe(session.token);
    await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    const closed = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(closed.json.checkout_session).toMatchObject({ url: null, token: null });
    expect((await merchant("GET", "/v1/checkout-sessions/cs_nope")).status).toBe(404);
    const unknown = `cs_${"0".repeat(64)}`;
    expect((await merchant("GET", `/v1/checkout-sessions/${unknown}`)).status).toBe(404);
  });

  it("lists sessions newest first from the index, filtered by status", async () => {
    const a = await createSession();
    const b = await createSession();
    await merchant("POST", `/v1/checkout-sessions/${a.id}/cancel`);
    await projected(a.id, b.id);
    const cancelled = await merchant("GET", "/v1/checkout-sessions?status=CANCELLED&limit=100");
    expect(cancelled.json.data.map((s: { id: string }) => s.id)).toContain(a.id);
    expect(cancelled.json.data.map((s: { id: string }) => s.id)).not.toContain(b.id);
    const bad = await merchant("GET", "/v1/checkout-sessions?limit=1000");
    expect(bad.status).toBe(422);
  });

  it("lists the same objects a retrieve answers, and refuses unknown query parameters", async () => {
    const session = await createSession({ metadata: { order_id: "ord_list" } });
    await projected(session.id);
    const listed = await merchant("GET", "/v1/checkout-sessions?limit=100");
    const row = listed.json.data.find((s: { id: string }) => s.id === session.id);
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(row).toEqual(got.json.checkout_session);
    // Field for field in the same order, so a list row and a retrieve diff line by line.
    expect(Object.keys(row)).toEqual(Object.keys(got.json.checkout_session));
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const since = encodeURIComponent(row.created_at);
    const ranged = await merchant("GET", `/v1/checkout-sessions?created_gte=${since}&limit=100`);
    expect(ranged.json.data.map((s: { id: string }) => s.id)).toContain(session.id);

    const unknown = await merchant("GET", "/v1/checkout-sessions?stauts=PENDING&colour=red");
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({
      code: "unknown_query_parameter",
      errors: [{ field: "stauts" }, { field: "colour" }],
    });
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
