/**
 * The sandbox test helpers (src/routes/test-helpers.ts), as a merchant's test suite uses them
 * instead of sleeping: a session's clock moved to its expiry or its provider's deadline, and a
 * provider's answer arriving late. Live merchants are refused.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { WebhookEventType } from "../../machines/index.js";
import { CARDS, call, confirm, createSession, merchant, newMerchant, receivedBy } from "./api.js";

const advance = (id: string, body: unknown) =>
  merchant("POST", `/v1/test_helpers/checkout-sessions/${id}/advance_clock`, body, {
    "request-id": "req_advance_test",
  });

const answer = (paymentId: string, body: unknown) =>
  merchant("POST", `/v1/test_helpers/payments/${paymentId}/provider_answer`, body);

async function journalOf(id: string) {
  const got = await merchant("GET", `/v1/checkout-sessions/${id}/journal`);
  expect(got.status).toBe(200);
  return got.json.data as Array<{ type: string; cause: string; request_id: string | null }>;
}

/** A session whose provider never answers (the silent card), left processing. */
async function silentSession() {
  const session = await createSession();
  const confirmed = await confirm(session.token, CARDS.silent);
  expect(confirmed.status).toBe(200);
  expect(confirmed.json.checkout_session.status).toBe("PROCESSING");
  return session;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("POST /v1/test_helpers/checkout-sessions/:id/advance_clock", () => {
  it("expires a session now, journaled with the request's id, and the clock stays ahead", async () => {
    const session = await createSession({ expires_in: 3600 });
    const moved = await advance(session.id, { to: "expires_at" });
    expect(moved.status).toBe(200);
    expect(moved.json.checkout_session).toMatchObject({ id: session.id, status: "EXPIRED" });
    expect(moved.json.test_clock.ahead_ms).toBeGreaterThan(3_590_000);

    const expiry = (await journalOf(session.id)).find((e) => e.type === "EXPIRE");
    expect(expiry).toMatchObject({
      type: "EXPIRE",
      cause: "merchant",
      request_id: "req_advance_test",
    });
    const retrieved = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(retrieved.json.checkout_session.status).toBe("EXPIRED");
    // The payer's link is dead too.
    const opened = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect(opened.status).toBe(410);
  });

  it("moves by seconds: short of the expiry the session stays open, past it it expires", async () => {
    const session = await createSession({ expires_in: 3600 });
    const early = await advance(session.id, { seconds: 60 });
    expect(early.status).toBe(200);
    expect(early.json.checkout_session.status).toBe("PENDING");
    expect(early.json.test_clock.ahead_ms).toBeGreaterThanOrEqual(60_000);
    const late = await advance(session.id, { seconds: 3600 });
    expect(late.json.checkout_session.status).toBe("EXPIRED");
  });

  it("fires the provider watchdog until it gives up on a silent provider", async () => {
    const session = await silentSession();
    let status = "PROCESSING";
    for (let i = 0; i < 10 && status === "PROCESSING"; i++) {
      const moved = await advance(session.id, { to: "provider_deadline" });
      expect(moved.status).toBe(200);
      status = moved.json.checkout_session.status;
    }
    expect(status).not.toBe("PROCESSING");
    const types = (await journalOf(session.id)).map((e) => e.type);
    expect(types).toContain("PROVIDER_TIMEOUT");
  });

  it("says when there is no such deadline, and changes nothing", async () => {
    const session = await createSession();
    const got = await advance(session.id, { to: "provider_deadline" });
    expect(got.status).toBe(409);
    expect(got.json.code).toBe("nothing_due");
    expect((await journalOf(session.id)).map((e) => e.type)).toEqual(["CREATE"]);
  });

  it("refuses bodies that are not one advance", async () => {
    const session = await createSession();
    for (const body of [
      {},
      { seconds: 0 },
      { seconds: 1.5 },
      { to: "soon" },
      { seconds: 5, to: "expires_at" },
    ]) {
      const got = await advance(session.id, body);
      expect(got.status, JSON.stringify(body)).toBe(422);
      expect(got.json.code).toBe("validation_failed");
    }
    const named = await advance(session.id, { seconds: "soon" });
    expect(named.json.errors).toEqual([{ field: "seconds", message: expect.any(String) }]);
    expect((await journalOf(session.id)).map((e) => e.type)).toEqual(["CREATE"]);
  });

  it("answers 404 for another merchant's session and for an id that is none", async () => {
    const session = await createSession();
    const other = await newMerchant();
    const theirs = await other.call(
      "POST",
      `/v1/test_helpers/checkout-sessions/${session.id}/advance_clock`,
      { seconds: 60 },
    );
    expect(theirs.status).toBe(404);
    expect((await advance("cs_nope", { seconds: 60 })).status).toBe(404);
  });

  it("is refused to a live merchant", async () => {
    const key = `sk_live_${crypto.randomUUID().replaceAll("-", "")}`;
    await env.DB.prepare(
      `INSERT INTO merchants (id, name, secret_key_hash, providers, allowed_origins, created_at)
       VALUES (?, 'Live Store', ?, '["upstream"]', '[]', ?)`,
    )
      .bind(`m_live_${crypto.randomUUID().slice(0, 8)}`, await sha256Hex(key), Date.now())
      .run();
    const got = await call(
      "POST",
      "/v1/test_helpers/checkout-sessions/cs_any/advance_clock",
      { seconds: 60 },
      { authorization: `Bearer ${key}` },
    );
    expect(got.status).toBe(403);
    expect(got.json.code).toBe("sandbox_only");
  });
});

describe("POST /v1/test_helpers/payments/:id/provider_answer", () => {
  it("lets a silent provider answer: the payment succeeds and the session completes", async () => {
    const session = await silentSession();
    const paymentId = session.id.replace(/^cs_/, "pay_");
    const got = await answer(paymentId, { outcome: "succeeded" });
    expect(got.status).toBe(200);
    expect(got.json.payment).toMatchObject({ id: paymentId, status: "SUCCEEDED" });
    const retrieved = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(retrieved.json.checkout_session.status).toBe("COMPLETED");
    const success = (await journalOf(session.id)).find((e) => e.type === "PROVIDER_SUCCEEDED");
    expect(success).toMatchObject({ cause: "provider" });
  });

  it("lets a silent provider decline: the charge is declined and the payer may pay again", async () => {
    const session = await silentSession();
    const paymentId = session.id.replace(/^cs_/, "pay_");
    const got = await answer(paymentId, { outcome: "declined" });
    expect(got.status).toBe(200);
    expect(got.json.payment.charges.at(-1)).toMatchObject({
      status: "declined",
      failure_code: "card_declined",
    });
    const retrieved = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(retrieved.json.checkout_session.status).toBe("PENDING");
    expect((await confirm(session.token, CARDS.success)).json.checkout_session.status).toBe(
      "COMPLETED",
    );
  });

  it("refuses an answer for a settled charge, and one for a charge that is none", async () => {
    const session = await createSession();
    expect((await confirm(session.token, CARDS.success)).status).toBe(200);
    const paymentId = session.id.replace(/^cs_/, "pay_");
    const settled = await answer(paymentId, { outcome: "declined" });
    expect(settled.status).toBe(409);
    expect(settled.json.code).toBe("charge_settled");
    const none = await answer(paymentId, { outcome: "succeeded", charge_id: "ch_none" });
    expect(none.status).toBe(404);
    const bad = await answer(paymentId, { outcome: "maybe" });
    expect(bad.status).toBe(422);
  });
});

describe("POST /v1/test_helpers/webhook-endpoints/:id/trigger", () => {
  async function endpointOnReceiver() {
    const m = await newMerchant();
    const hook = crypto.randomUUID();
    const created = await m.call("POST", "/v1/webhook-endpoints", {
      url: `${inject("receiverUrl")}/hooks/${hook}`,
    });
    expect(created.status).toBe(201);
    return { m, hook, endpoint: created.json.webhook_endpoint as { id: string; secret: string } };
  }

  it("sends one signed sample of every event type, shaped as a real one", async () => {
    const { m, hook, endpoint } = await endpointOnReceiver();
    const types = WebhookEventType.options;
    for (const type of types) {
      const got = await m.call(
        "POST",
        `/v1/test_helpers/webhook-endpoints/${endpoint.id}/trigger`,
        {
          type,
        },
      );
      expect(got.status, type).toBe(200);
      expect(got.json.attempt).toMatchObject({ endpoint_id: endpoint.id, status_code: 200 });
      expect(got.json.event.type).toBe(type);
    }
    const received = await receivedBy(hook, types.length);
    expect(received.map((r) => JSON.parse(r.body).type)).toEqual(types);
    const verifier = new Webhook(endpoint.secret);
    for (const { headers, body } of received) {
      const event = verifier.verify(body, headers) as Record<string, unknown>;
      expect(Object.keys(event).sort()).toEqual(
        [
          "checkoutSessionId",
          "created",
          "data",
          "id",
          "metadata",
          "paymentId",
          "requestId",
          "sequence",
          "type",
        ].sort(),
      );
      expect(String(event.checkoutSessionId)).toMatch(/^cs_sample_/);
    }
  });

  it("refuses an unknown type, another merchant's endpoint and a disabled one", async () => {
    const { m, endpoint } = await endpointOnReceiver();
    const path = `/v1/test_helpers/webhook-endpoints/${endpoint.id}/trigger`;
    expect((await m.call("POST", path, { type: "payment.maybe" })).status).toBe(422);
    const other = await newMerchant();
    const theirs = await other.call("POST", path, { type: "payment.succeeded" });
    expect(theirs.status).toBe(404);
    await env.DB.prepare(
      "UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = 'gone' WHERE id = ?",
    )
      .bind(Date.now(), endpoint.id)
      .run();
    const disabled = await m.call("POST", path, { type: "payment.succeeded" });
    expect(disabled.status).toBe(409);
    expect(disabled.json.code).toBe("endpoint_disabled");
  });
});
