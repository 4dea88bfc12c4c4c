/**
 * edge-checkout/client against the real service in workerd: the Worker's own fetch handler is
 * the client's `fetch`, so every call goes through routing, auth, validation, the session
 * object and D1 as a merchant's would. Webhooks come from a real delivery to the test receiver
 * (test/support/webhook-receiver.ts) and are verified with the client's `verifyWebhook`.
 */
import { exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  EdgeCheckout,
  type Fetch,
  IdempotencyError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ValidationError,
  verifyWebhook,
  type WebhookEvent,
  WebhookVerificationError,
} from "../../client/index.js";
import { CARDS, confirm, newMerchant, projected, RETURN_URL, receivedBy } from "./api.js";

const BASE_URL = "http://127.0.0.1:8787";
const receiver = inject("receiverUrl");

/** Every request the client sent, with its headers, beside the Worker's answers. */
function recordingFetch() {
  const sent: Array<{ url: string; method: string; headers: Record<string, string> }> = [];
  const fetch: Fetch = (url, init) => {
    sent.push({ url, method: init.method, headers: init.headers });
    return exports.default.fetch(url, init);
  };
  return { sent, fetch };
}

async function newClient() {
  const m = await newMerchant();
  const recorded = recordingFetch();
  const client = new EdgeCheckout({ secretKey: m.key, baseUrl: BASE_URL, fetch: recorded.fetch });
  return { m, client, sent: recorded.sent };
}

const params = { amount: 1050, currency: "eur", return_url: RETURN_URL } as const;

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

describe("sessions through the client", () => {
  it("creates, retrieves, lists (page by page) and cancels", async () => {
    const { client } = await newClient();
    const created = await client.checkoutSessions.create({
      ...params,
      metadata: { order_id: "ord_1" },
    });
    expect(created).toMatchObject({
      object: "checkout_session",
      status: "PENDING",
      amount: 1050,
      currency: "EUR",
      metadata: { order_id: "ord_1" },
    });
    expect(created.url).toBe(`${BASE_URL}/pay`);
    expect(created.token).toMatch(/^cs_/);

    const retrieved = await client.checkoutSessions.retrieve(created.id);
    expect(retrieved).toEqual(created);

    const more = [
      await client.checkoutSessions.create(params),
      await client.checkoutSessions.create(params),
    ];
    await projected(created.id, ...more.map((s) => s.id));
    const first = await client.checkoutSessions.list({ limit: 2 });
    expect(first.data.map((s) => s.id)).toEqual([more[1]?.id, more[0]?.id]);
    expect(first.next_cursor).not.toBeNull();
    const seen: string[][] = [];
    for await (const page of client.checkoutSessions.pages({ limit: 2 })) {
      seen.push(page.data.map((s) => s.id));
    }
    expect(seen).toEqual([[more[1]?.id, more[0]?.id], [created.id]]);
    const pending = await client.checkoutSessions.list({ status: "PENDING", limit: 100 });
    expect(pending.data).toHaveLength(3);

    const cancelled = await client.checkoutSessions.cancel(created.id);
    expect(cancelled).toMatchObject({
      id: created.id,
      status: "CANCELLED",
      closed_reason: "merchant_cancelled",
      url: null,
      token: null,
    });
    await projected(created.id);
    const after = await client.checkoutSessions.list({ status: "CANCELLED" });
    expect(after.data.map((s) => s.id)).toEqual([created.id]);
    const again = await thrown(client.checkoutSessions.cancel(created.id));
    expect(again).toBeInstanceOf(ConflictError);
  });

  it("pays, captures by hand, and reads the payment and the journal", async () => {
    const { client } = await newClient();
    const session = await client.checkoutSessions.create({ ...params, capture_method: "manual" });
    expect((await confirm(session.token ?? "", CARDS.success)).status).toBe(200);
    const paid = await client.checkoutSessions.retrieve(session.id);
    const paymentId = paid.payment?.id ?? "";
    expect(await client.payments.retrieve(paymentId)).toMatchObject({
      object: "payment",
      checkout_session_id: session.id,
      status: "AUTHORIZED",
      charges: [{ object: "charge", status: "authorized", payment_method: { type: "card" } }],
    });
    const captured = await client.payments.capture(paymentId, { requestId: "capture-order-1" });
    expect(captured.status).toBe("SUCCEEDED");
    const journal = await client.checkoutSessions.journal(session.id);
    expect(journal.object).toBe("list");
    expect(journal.data.map((e) => e.type)).toContain("CAPTURE");
    expect(journal.data.find((e) => e.request_id === "capture-order-1")).toMatchObject({
      cause: "merchant",
    });
  });
});

describe("idempotency", () => {
  it("sends a fresh UUID as Idempotency-Key on each create, and a given key replays", async () => {
    const { client, sent } = await newClient();
    const a = await client.checkoutSessions.create(params);
    const b = await client.checkoutSessions.create(params);
    expect(a.id).not.toBe(b.id);
    const keys = sent.map((request) => request.headers["idempotency-key"]);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(keys[0]).not.toBe(keys[1]);

    const idempotencyKey = `order-${crypto.randomUUID()}`;
    const first = await client.checkoutSessions.create(params, { idempotencyKey });
    const replay = await client.checkoutSessions.create(params, { idempotencyKey });
    expect(replay).toEqual(first);
    const reused = await thrown(
      client.checkoutSessions.create({ ...params, amount: 2000 }, { idempotencyKey }),
    );
    expect(reused).toBeInstanceOf(IdempotencyError);
    expect(reused).toMatchObject({ status: 422, code: "idempotency_key_reused" });
  });

  it("sends request-id when given, and the service keeps it in the journal", async () => {
    const { client, sent } = await newClient();
    const session = await client.checkoutSessions.create(params, { requestId: "order-42.create" });
    expect(sent[0]?.headers["request-id"]).toBe("order-42.create");
    const journal = await client.checkoutSessions.journal(session.id);
    expect(journal.data[0]?.request_id).toBe("order-42.create");
  });
});

describe("the error family", () => {
  it("a bad key is an AuthenticationError with its code and request id", async () => {
    const client = new EdgeCheckout({
      secretKey: "sk_test_not_a_key",
      baseUrl: BASE_URL,
      fetch: (url, init) => exports.default.fetch(url, init),
    });
    const error = await thrown(client.checkoutSessions.list());
    expect(error).toBeInstanceOf(AuthenticationError);
    if (!(error instanceof AuthenticationError)) return;
    expect(error.status).toBe(401);
    expect(error.code).toBe("invalid_api_key");
    expect(error.requestId).toMatch(/^req_/);
    expect(error.problem?.request_id).toBe(error.requestId);
    expect(error.name).toBe("AuthenticationError");

    const named = await thrown(client.merchant.retrieve({ requestId: "my-request-1" }));
    expect(named).toMatchObject({ code: "invalid_api_key", requestId: "my-request-1" });
  });

  it("an invalid body is a ValidationError naming each field", async () => {
    const { client } = await newClient();
    const error = await thrown(
      client.checkoutSessions.create({ amount: -5, currency: "XXXX", return_url: "nope" }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    if (!(error instanceof ValidationError)) return;
    expect(error).toMatchObject({ status: 422, code: "validation_failed" });
    expect(error.errors.map((e) => e.field).sort()).toEqual(["amount", "currency", "return_url"]);
    for (const field of error.errors) expect(field.message).not.toBe("");
  });

  it("an unknown id is a NotFoundError", async () => {
    const { client } = await newClient();
    const session = await thrown(client.checkoutSessions.retrieve(`cs_${"0".repeat(64)}`));
    expect(session).toBeInstanceOf(NotFoundError);
    expect(session).toMatchObject({ status: 404, code: "not_found" });
    const event = await thrown(client.events.retrieve("evt_nope"));
    expect(event).toBeInstanceOf(NotFoundError);
    // Another merchant's session looks like none at all.
    const { client: other } = await newClient();
    const theirs = await other.checkoutSessions.create(params);
    expect(await thrown(client.checkoutSessions.retrieve(theirs.id))).toBeInstanceOf(NotFoundError);
  });

  it("the status decides the kind; Retry-After comes with a 429 and a 503", async () => {
    const answering =
      (status: number, body: string, headers: Record<string, string> = {}): Fetch =>
      async () =>
        new Response(body, { status, headers: { "request-id": "req_stub", ...headers } });
    const kind = async (fetch: Fetch) =>
      thrown(new EdgeCheckout({ secretKey: "sk_test_x", baseUrl: BASE_URL, fetch }).events.list());
    const problem = (status: number, code: string) =>
      JSON.stringify({ status, code, detail: code });
    const limited = await kind(
      answering(429, problem(429, "rate_limited"), { "retry-after": "10" }),
    );
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: "rate_limited", retryAfter: 10, requestId: "req_stub" });
    const down = await kind(
      answering(503, problem(503, "service_unavailable"), { "retry-after": "5" }),
    );
    expect(down).toBeInstanceOf(ApiError);
    expect(down).toMatchObject({ status: 503, retryAfter: 5 });
    const proxy = await kind(answering(502, "<html>Bad gateway</html>"));
    expect(proxy).toBeInstanceOf(ApiError);
    expect(proxy).toMatchObject({ status: 502, code: "http_502", problem: null });
    expect(await kind(answering(403, problem(403, "previous_key_cannot_roll")))).toBeInstanceOf(
      PermissionError,
    );
    expect(await kind(answering(200, "not json"))).toMatchObject({ code: "invalid_response" });
  });

  it("no answer at all is a ConnectionError, with the cause", async () => {
    const client = new EdgeCheckout({
      secretKey: "sk_test_sandbox",
      baseUrl: BASE_URL,
      fetch: () => Promise.reject(new TypeError("fetch failed")),
    });
    const error = await thrown(client.checkoutSessions.create(params, { requestId: "r-1" }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ status: null, code: "connection_error", requestId: "r-1" });
    expect((error as ConnectionError).cause).toBeInstanceOf(TypeError);
  });
});

describe("verifyWebhook on real deliveries", () => {
  /** A merchant with an endpoint on the receiver, and one paid session's three deliveries. */
  async function delivered() {
    const { client } = await newClient();
    const hook = crypto.randomUUID();
    const endpoint = await client.webhookEndpoints.create({ url: `${receiver}/hooks/${hook}` });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const session = await client.checkoutSessions.create({
      ...params,
      metadata: { order_id: "ord_7" },
    });
    await confirm(session.token ?? "", CARDS.success);
    const log = await receivedBy(hook, 3);
    expect(log).toHaveLength(3);
    return { client, hook, endpoint, session, log };
  }

  it("answers each delivery as a typed event, narrowed by type", async () => {
    const { client, endpoint, session, log } = await delivered();
    const events: WebhookEvent[] = log.map((entry) =>
      verifyWebhook(entry.body, entry.headers, endpoint.secret),
    );
    expect(events.map((e) => e.type)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        checkoutSessionId: session.id,
        metadata: { order_id: "ord_7" },
      });
      if (event.type === "checkout_session.completed") {
        expect(event.data.object.status).toBe("COMPLETED");
        expect(event.data.object.payment?.id).toBe(event.paymentId);
      } else if (event.type === "charge.succeeded") {
        expect(event.data.object.charges.map((c) => c.id)).toContain(event.data.charge_id);
      } else {
        expect(event.data.object).toMatchObject({ object: "payment", status: "SUCCEEDED" });
      }
    }
    // A Headers object works as a plain record does, and the events API has the same data.
    const [first] = log;
    const headers = new Headers(first?.headers);
    const again = verifyWebhook(first?.body ?? "", headers, endpoint.secret);
    expect(again).toEqual(events[0]);
    const stored = await client.events.retrieve(again.id);
    expect(stored.data).toEqual(again.data);
  });

  it("refuses a tampered body, another secret, an old timestamp and missing headers", async () => {
    const { endpoint, log } = await delivered();
    const entry = log[0];
    if (entry === undefined) throw new Error("no delivery");
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof WebhookVerificationError ? error.code : String(error);
      }
      return "verified";
    };
    const tampered = entry.body.replace('"ord_7"', '"ord_8"');
    expect(tampered).not.toBe(entry.body);
    expect(code(() => verifyWebhook(tampered, entry.headers, endpoint.secret))).toBe(
      "invalid_signature",
    );
    const other = `whsec_${btoa("another secret of 32 bytes......")}`;
    expect(code(() => verifyWebhook(entry.body, entry.headers, other))).toBe("invalid_signature");
    // Either secret of a rotation verifies, in either order.
    expect(code(() => verifyWebhook(entry.body, entry.headers, [other, endpoint.secret]))).toBe(
      "verified",
    );
    // Correctly signed, but ten minutes ago: a replay.
    const id = entry.headers["webhook-id"] ?? "";
    const then = new Date(Date.now() - 10 * 60_000);
    const old = {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(then.getTime() / 1000)),
      "webhook-signature": new Webhook(endpoint.secret).sign(id, then, entry.body),
    };
    expect(code(() => verifyWebhook(entry.body, old, endpoint.secret))).toBe("timestamp_too_old");
    const { "webhook-signature": _dropped, ...unsigned } = entry.headers;
    expect(code(() => verifyWebhook(entry.body, unsigned, endpoint.secret))).toBe(
      "missing_headers",
    );
  });

  it("follows a secret rotation: both secrets verify during the overlap", async () => {
    const { client, hook, endpoint } = await delivered();
    const rotated = await client.webhookEndpoints.rotateSecret(endpoint.id, {
      overlap_seconds: 3600,
    });
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.previous_secret_expires_at).not.toBeNull();
    const session = await client.checkoutSessions.create(params);
    await confirm(session.token ?? "", CARDS.success);
    const log = await receivedBy(hook, 6);
    const latest = log[5];
    if (latest === undefined) throw new Error("no delivery after the rotation");
    for (const secret of [endpoint.secret, rotated.secret]) {
      expect(verifyWebhook(latest.body, latest.headers, secret).checkoutSessionId).toBe(session.id);
    }
  });
});
