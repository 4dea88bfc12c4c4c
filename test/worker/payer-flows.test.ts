import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  advanceClock,
  CARDS,
  call,
  confirm,
  createSession,
  merchant,
  objectOf,
  RETURN_URL,
} from "./api.js";

describe("payer details", () => {
  it("asks for the details the merchant chose, and a confirm without a required one is refused", async () => {
    const session = await createSession({
      payer_fields: {
        phone: "required",
        billing_address: "optional",
        shipping_address: "required",
      },
    });
    const view = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect(view.json.checkout_session.payer_fields).toEqual({
      name: "required",
      email: "required",
      phone: "required",
      billing_address: "optional",
      shipping_address: "required",
    });
    const missing = await confirm(session.token, CARDS.success, {
      payer: { name: "Ada Lovelace", email: "ada@example.com" },
    });
    expect([missing.status, missing.json.code]).toEqual([422, "payer_field_required"]);
    expect(missing.json.detail).toContain("payer.phone");
    expect(missing.json.detail).toContain("payer.shipping_address");
    const address = { line1: "1 Main St", city: "Berlin", postal_code: "10115", country: "DE" };
    const paid = await confirm(session.token, CARDS.success, {
      payer: {
        name: "Ada Lovelace",
        email: "ada@example.com",
        phone: "+49 30 1234567",
        billing_address: address,
        shipping_same_as_billing: true,
      },
    });
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
  });

  it("refuses an address in a country that does not exist, naming the field", async () => {
    const session = await createSession();
    const address = { line1: "1 Main St", city: "Pristina", postal_code: "10000", country: "XK" };
    const refused = await confirm(session.token, CARDS.success, {
      payer: { billing_address: address },
    });
    expect([refused.status, refused.json.errors[0].field]).toEqual([
      422,
      "payer.billing_address.country",
    ]);
    const view = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect(view.json.checkout_session.status).toBe("PENDING");
  });

  it("refuses an unknown requirement or field with a 422 naming it", async () => {
    const response = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
      payer_fields: { phone: "sometimes", fax: "required" },
    });
    expect(response.status).toBe(422);
    const fields = response.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toContain("payer_fields.phone");
    expect(fields.some((f: string) => f.startsWith("payer_fields"))).toBe(true);
  });
});

describe("the payer's token", () => {
  it("opens a public view without merchant-only fields", async () => {
    const session = await createSession({
      metadata: { internal: "secret" },
      customer: { email: "a@b.example" },
    });
    const view = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect(view.status).toBe(200);
    expect(view.json.checkout_session).toMatchObject({
      id: session.id,
      status: "PENDING",
      amount: 1050,
      merchant: { name: "Sandbox Store" },
    });
    expect(JSON.stringify(view.json)).not.toMatch(/secret|a@b\.example|sandbox_backup/);
  });

  it("cannot open another session, nor a merchant route", async () => {
    const a = await createSession();
    const b = await createSession();
    const forged = `${b.id}.${a.token.split(".")[1]}`;
    expect((await call("GET", `/v1/checkout-sessions/token/${forged}`)).json.code).toBe(
      "invalid_token",
    );
    const asMerchant = await call("GET", `/v1/checkout-sessions/${a.id}`, undefined, {
      authorization: `Bearer ${a.token}`,
    });
    expect(asMerchant.status).toBe(401);
  });

  it("stops working once the session is closed", async () => {
    const session = await createSession();
    await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    const view = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect([view.status, view.json.code]).toEqual([410, "session_closed"]);
    const late = await confirm(session.token, CARDS.success);
    expect([late.status, late.json.code]).toEqual([409, "session_cancelled"]);
  });
});

describe("paying with the sandbox cards", () => {
  it("4242… succeeds: COMPLETED with one succeeded charge, card kept as brand and last4", async () => {
    const session = await createSession();
    const paid = await confirm(session.token, CARDS.success, {
      payer: { name: "Ada", email: "ada@example.com" },
    });
    expect(paid.status).toBe(200);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    expect(paid.json.confirmResult.payment.status).toBe("SUCCEEDED");
    expect(paid.json.confirmResult.payment.charges).toHaveLength(1);
    expect(paid.json.confirmResult.payment.charges[0].payment_method).toEqual({
      type: "card",
      card: { brand: "visa", last4: "4242" },
    });
    const journal = await merchant("GET", `/v1/checkout-sessions/${session.id}/journal`);
    expect(JSON.stringify(journal.json)).not.toContain(CARDS.success);
    // The session's own steps; webhook delivery (by the object, after them) is journalled too.
    const steps = journal.json.data.filter((e: { type: string }) => !e.type.startsWith("WEBHOOK_"));
    expect(steps.map((e: { cause: string }) => e.cause)).toEqual(["merchant", "payer", "provider"]);
  });

  it("4000…0002 is declined, and the payer may retry with another card", async () => {
    const session = await createSession();
    const declined = await confirm(session.token, CARDS.declined);
    expect(declined.json.checkout_session.status).toBe("PENDING");
    expect(declined.json.confirmResult.payment.last_error.code).toBe("card_declined");
    const retried = await confirm(session.token, CARDS.success);
    expect(retried.json.checkout_session.status).toBe("COMPLETED");
    expect(
      retried.json.confirmResult.payment.charges.map((c: { status: string }) => c.status),
    ).toEqual(["declined", "succeeded"]);
  });

  it("4000…0119 fails at the first provider and succeeds at the fallback: two charges", async () => {
    const session = await createSession();
    const paid = await confirm(session.token, CARDS.fallback);
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    const payment = await merchant("GET", `/v1/payments/${paid.json.confirmResult.payment.id}`);
    expect(
      payment.json.payment.charges.map((c: { provider: string; status: string }) => [
        c.provider,
        c.status,
      ]),
    ).toEqual([
      ["sandbox", "failed"],
      ["sandbox_backup", "succeeded"],
    ]);
  });

  it.each([
    ["approve", "COMPLETED"],
    ["deny", "PENDING"],
  ])("4000…3220 asks for 3DS; the payer can %s it", async (decision, status) => {
    const session = await createSession();
    const confirmed = await confirm(session.token, CARDS.challenge);
    const nextAction = confirmed.json.confirmResult.paymentNextAction;
    expect(nextAction.type).toBe("redirect_user_to_url");
    const page = await call("GET", new URL(nextAction.url).pathname);
    expect(page.status).toBe(200);
    const posted = await call("POST", new URL(nextAction.url).pathname, `decision=${decision}`, {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(posted.status).toBe(303);
    const back = await call("GET", posted.headers.get("location") ?? "");
    expect(back.status).toBe(303);
    const destination = back.headers.get("location") ?? "";
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session.status).toBe(status);
    if (status === "COMPLETED") expect(destination).toBe(`${RETURN_URL}?session_id=${session.id}`);
    // Not paid: back to the page to see where things stand, opened by the token line again.
    else expect(destination).toBe(`${session.url}?token=${session.token}`);
  });

  it("4000…0077 leaves the provider silent; the watchdog asks for status and completes", async () => {
    const session = await createSession();
    const confirmed = await confirm(session.token, CARDS.silent);
    expect(confirmed.json.checkout_session.status).toBe("PROCESSING");
    await advanceClock(session.id, 31_000);
    expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(true);
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session.status).toBe("COMPLETED");
    expect(got.json.checkout_session.payment.status).toBe("SUCCEEDED");
  });

  it("resumes after eviction mid-flow with its state, pending alarm and outbox intact", async () => {
    const session = await createSession();
    await confirm(session.token, CARDS.silent);
    const before = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    await evictDurableObject(objectOf(session.id));
    const after = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(after.json).toEqual(before.json);
    await advanceClock(session.id, 31_000);
    expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(true);
    const done = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(done.json.checkout_session.status).toBe("COMPLETED");
    const events = await merchant("GET", `/v1/events?checkout_session_id=${session.id}`);
    expect(events.json.data.map((e: { type: string }) => e.type).reverse()).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
  });

  it("manual capture: COMPLETED with an AUTHORIZED payment, then captured", async () => {
    const session = await createSession({ capture_method: "manual" });
    const confirmed = await confirm(session.token, CARDS.success);
    const paymentId = confirmed.json.confirmResult.payment.id;
    expect(confirmed.json.confirmResult.payment.status).toBe("AUTHORIZED");
    const captured = await merchant("POST", `/v1/payments/${paymentId}/capture`);
    expect(captured.json.payment.status).toBe("SUCCEEDED");
    const again = await merchant("POST", `/v1/payments/${paymentId}/capture`);
    expect([again.status, again.json.code]).toEqual([409, "payment_not_capturable"]);
  });

  it("rejects an invalid card with a field error and changes nothing", async () => {
    const session = await createSession();
    const bad = await confirm(session.token, "4242424242424241");
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].field).toBe("payment_method.card.number");
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session.payment).toBeNull();
  });
});

describe("expiry", () => {
  it("expires by the object's alarm at expires_at; a confirm after it is refused", async () => {
    const session = await createSession({ expires_in: 60 });
    await advanceClock(session.id, 60_000);
    expect(await runDurableObjectAlarm(objectOf(session.id))).toBe(true);
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session.status).toBe("EXPIRED");
    const late = await confirm(session.token, CARDS.success);
    expect(late.status).toBe(410);
  });

  it("expires first when a confirm arrives after expires_at, before any alarm", async () => {
    const session = await createSession({ expires_in: 60 });
    await advanceClock(session.id, 61_000);
    const late = await confirm(session.token, CARDS.success);
    expect(late.status).toBe(410);
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect([got.json.checkout_session.status, got.json.checkout_session.payment]).toEqual([
      "EXPIRED",
      null,
    ]);
  });
});

describe("concurrency and idempotency", () => {
  it("50 concurrent confirms: one authorization, one payment, the rest a clear 409", async () => {
    const session = await createSession();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => confirm(session.token, CARDS.success)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(new Set(refused.map((r) => `${r.status} ${r.json.code}`)).size).toBe(1);
    expect(refused[0]?.status).toBe(409);
    const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
    expect(got.json.checkout_session.payment.charges).toHaveLength(1);
  });

  it("50 concurrent creates with one Idempotency-Key: one session, identical responses", async () => {
    const key = `order-${crypto.randomUUID()}`;
    const body = { amount: 2500, currency: "USD", return_url: RETURN_URL };
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        merchant("POST", "/v1/checkout-sessions", body, { "idempotency-key": key }),
      ),
    );
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => JSON.stringify(r.json))).size).toBe(1);
    const reused = await merchant(
      "POST",
      "/v1/checkout-sessions",
      { ...body, amount: 2600 },
      { "idempotency-key": key },
    );
    expect([reused.status, reused.json.code]).toEqual([422, "idempotency_key_reused"]);
  });

  it("does not cache a validation error: a corrected retry with the same key succeeds", async () => {
    const key = `order-${crypto.randomUUID()}`;
    const bad = await merchant(
      "POST",
      "/v1/checkout-sessions",
      { amount: 0, currency: "USD", return_url: RETURN_URL },
      { "idempotency-key": key },
    );
    expect(bad.status).toBe(422);
    const good = await merchant(
      "POST",
      "/v1/checkout-sessions",
      { amount: 100, currency: "USD", return_url: RETURN_URL },
      { "idempotency-key": key },
    );
    expect(good.status).toBe(201);
  });
});
