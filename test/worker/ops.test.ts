/**
 * The operator's screen at /ops through the Worker: signing in with the secret key for a cookie
 * (its flags, its end at sign-out and at a key roll), the CSRF locks on every form, the payer
 * pages' CSP, the session list's search and keyset pages, one session with its payment, charges
 * and deliveries, and the actions (cancel, capture, redeliver) as the API's object methods allow
 * them, never across merchants.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { contentSecurityPolicy } from "../../src/pages/document.js";
import {
  CARDS,
  call,
  card,
  confirm,
  newMerchant,
  PAYER,
  projected,
  RETURN_URL,
  receivedBy,
} from "./api.js";

const ORIGIN = "http://127.0.0.1:8787";
const receiver = inject("receiverUrl");

interface Sent {
  status: number;
  headers: Headers;
  text: string;
}

interface Options {
  cookie?: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  origin?: string;
}

/** A browser's request to the screen: a form post from our own page unless told otherwise. */
async function send(path: string, options: Options = {}): Promise<Sent> {
  const origin = options.origin ?? ORIGIN;
  const headers = new Headers(options.headers);
  if (options.cookie !== undefined) headers.set("cookie", options.cookie);
  if (options.form !== undefined) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    if (!headers.has("origin")) headers.set("origin", origin);
    if (!headers.has("sec-fetch-site")) headers.set("sec-fetch-site", "same-origin");
  }
  const response = await exports.default.fetch(`${origin}${path}`, {
    method: options.form === undefined ? "GET" : "POST",
    headers,
    redirect: "manual",
    ...(options.form !== undefined && { body: new URLSearchParams(options.form).toString() }),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const cookieOf = (sent: Sent) => (sent.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
const csrfIn = (text: string) => /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? "";

/** Signs in with `key`: the cookie, and the CSRF token its pages carry. */
async function signIn(key: string) {
  const signed = await send("/ops/sign-in", { form: { secret_key: key } });
  expect(signed.status).toBe(303);
  const cookie = cookieOf(signed);
  const list = await send("/ops/sessions", { cookie });
  expect(list.status).toBe(200);
  return { cookie, csrf: csrfIn(list.text) };
}

/** A fresh merchant, signed in to the screen. */
async function operator() {
  const m = await newMerchant();
  return { m, ...(await signIn(m.key)) };
}

async function createFor(m: Awaited<ReturnType<typeof newMerchant>>, extra = {}) {
  const created = await m.call("POST", "/v1/checkout-sessions", {
    amount: 1050,
    currency: "EUR",
    return_url: RETURN_URL,
    ...extra,
  });
  expect(created.status).toBe(201);
  return created.json.checkout_session as { id: string; token: string };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("signing in to /ops", () => {
  it("serves the sign-in page under the payer pages' CSP, with no script or inline style", async () => {
    const page = await send("/ops/sign-in");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe(
      contentSecurityPolicy({ kind: "hosted" }),
    );
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.text).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
    expect(page.text).toContain('<link rel="stylesheet" href="/assets/ops.css">');
    const css = await send("/assets/ops.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("a wrong key gets the form again with a clear error, 401, the key not echoed", async () => {
    const page = await send("/ops/sign-in", { form: { secret_key: "sk_test_not_a_real_key" } });
    expect(page.status).toBe(401);
    expect(page.text).toContain("That secret key is not valid");
    expect(page.text).toContain('name="secret_key"');
    expect(page.text).not.toContain("sk_test_not_a_real_key");
    expect(page.headers.get("set-cookie")).toBeNull();
  });

  it("the key is traded for an HttpOnly, SameSite=Strict cookie on /ops that holds neither key nor hash", async () => {
    const m = await newMerchant();
    const signed = await send("/ops/sign-in", { form: { secret_key: m.key } });
    expect(signed.status).toBe(303);
    expect(signed.headers.get("location")).toBe("/ops/sessions");
    const cookie = signed.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^ec_ops=[\w-]+\.[\w-]+; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/ops");
    expect(cookie).toContain("Max-Age=28800");
    // Plain http locally (as the payer's cookie): a browser would drop a Secure cookie there.
    expect(cookie).not.toContain("Secure");
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(m.key));
    const hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
    expect(cookie).not.toContain(m.key);
    expect(cookie).not.toContain(hash);
    const page = await send("/ops/sessions", { cookie: cookieOf(signed) });
    expect(page.text).not.toContain(m.key);

    const https = await send("/ops/sign-in", {
      origin: "https://127.0.0.1:8787",
      form: { secret_key: m.key },
    });
    expect(https.status).toBe(303);
    expect(https.headers.get("set-cookie")).toContain("; Secure");
  });

  it("pages need the cookie; signing out clears it", async () => {
    const bare = await send("/ops/sessions?status=PENDING");
    expect(bare.status).toBe(303);
    expect(bare.headers.get("location")).toBe(
      `/ops/sign-in?next=${encodeURIComponent("/ops/sessions?status=PENDING")}`,
    );
    const forged = await send("/ops/sessions", {
      cookie: "ec_ops=WyJtX3NhbmRib3giLDk5OTk5OTk5OTk5OTld.AAAA",
    });
    expect(forged.status).toBe(303);

    const { m, cookie, csrf } = await operator();
    const back = await send("/ops/sign-in", { form: { secret_key: m.key, next: "/ops/webhooks" } });
    expect(back.headers.get("location")).toBe("/ops/webhooks");
    const away = await send("/ops/sign-in", {
      form: { secret_key: m.key, next: "//evil.example" },
    });
    expect(away.headers.get("location")).toBe("/ops/sessions");

    const out = await send("/ops/sign-out", { cookie, form: { csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(
      /^ec_ops=; Path=\/ops; HttpOnly; SameSite=Strict; Max-Age=0/,
    );
  });

  it("rolling the key ends the ops session, and the rolled key cannot sign in again", async () => {
    const { m, cookie } = await operator();
    const rolled = await m.call("POST", "/v1/merchant/keys/roll", { overlap_seconds: 3600 });
    expect(rolled.status).toBe(200);
    const after = await send("/ops/sessions", { cookie });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/^\/ops\/sign-in/);
    // The old key still works on the API during its overlap, but opens no ops session.
    const again = await send("/ops/sign-in", { form: { secret_key: m.key } });
    expect(again.status).toBe(401);
    expect(again.text).toContain("has been rolled");
    await signIn(rolled.json.secret_key);
  });
});

describe("CSRF on the screen's forms", () => {
  it("refuses a post without the session's token, from another origin or another site", async () => {
    const { m, cookie, csrf } = await operator();
    const session = await createFor(m);
    const path = `/ops/sessions/${session.id}/cancel`;
    const attempts = [
      await send(path, { cookie, form: {} }),
      await send(path, { cookie, form: { csrf: `${csrf.slice(0, -2)}AA` } }),
      await send(path, { cookie, form: { csrf }, headers: { origin: "https://evil.example" } }),
      await send(path, { cookie, form: { csrf }, headers: { "sec-fetch-site": "cross-site" } }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    expect(attempts[0]?.text).toContain("Reload the page");
    // Another sign-in's token does not fit this one.
    const other = await signIn(m.key);
    const crossed = await send(path, { cookie, form: { csrf: other.csrf } });
    expect(crossed.status).toBe(403);
    const retrieved = await m.call("GET", `/v1/checkout-sessions/${session.id}`);
    expect(retrieved.json.checkout_session.status).toBe("PENDING");
  });

  it("a post once signed out asks to sign in again (401), a JSON body is a 415 page", async () => {
    const { m, csrf, cookie } = await operator();
    const session = await createFor(m);
    const stale = await send(`/ops/sessions/${session.id}/cancel`, { form: { csrf } });
    expect(stale.status).toBe(401);
    expect(stale.text).toContain("Sign in again");
    const posted = await exports.default.fetch(`${ORIGIN}/ops/sessions/${session.id}/cancel`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ csrf }),
      redirect: "manual",
    });
    expect(posted.status).toBe(415);
    expect(posted.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});

describe("the session list", () => {
  it("finds a session by its order_id metadata, and goes straight to one by its payment id", async () => {
    const { m, cookie } = await operator();
    const wanted = await createFor(m, { metadata: { order_id: "ord_ops_1" } });
    const other = await createFor(m, { metadata: { order_id: "ord_ops_2" } });
    await projected(wanted.id, other.id);
    const found = await send("/ops/sessions?q=ord_ops_1", { cookie });
    expect(found.status).toBe(200);
    expect(found.text).toContain(wanted.id);
    expect(found.text).not.toContain(other.id);
    expect(found.text).toContain("ord_ops_1");

    const none = await send("/ops/sessions?q=ord_nobody", { cookie });
    expect(none.text).toContain("No session matches.");

    const byPayment = await send(`/ops/sessions?q=${wanted.id.replace("cs_", "pay_")}`, { cookie });
    expect(byPayment.status).toBe(303);
    expect(byPayment.headers.get("location")).toBe(`/ops/sessions/${wanted.id}`);

    const filtered = await send("/ops/sessions?status=COMPLETED&currency=eur", { cookie });
    expect(filtered.text).not.toContain(wanted.id);
    const byAmount = await send("/ops/sessions?amount_min=1000&amount_max=1100", { cookie });
    expect(byAmount.text).toContain(wanted.id);
  });

  it("finds a session by a request-id that touched it: the merchant's create, the payer's confirm", async () => {
    const { m, cookie } = await operator();
    const created = await call(
      "POST",
      "/v1/checkout-sessions",
      { amount: 1050, currency: "EUR", return_url: RETURN_URL },
      { authorization: `Bearer ${m.key}`, "request-id": "req_ops_create_1" },
    );
    expect(created.status).toBe(201);
    const wanted = created.json.checkout_session as { id: string; token: string };
    const other = await createFor(m);
    const paid = await call(
      "POST",
      `/v1/checkout-sessions/token/${wanted.token}/confirm`,
      { payment_method: card(CARDS.success), payer: PAYER },
      { "request-id": "req_ops_confirm_1" },
    );
    expect(paid.status).toBe(200);
    await projected(wanted.id, other.id);
    for (const requestId of ["req_ops_create_1", "req_ops_confirm_1"]) {
      const found = await send(`/ops/sessions?q=${requestId}`, { cookie });
      expect(found.status).toBe(200);
      expect(found.text).toContain(wanted.id);
      expect(found.text).not.toContain(other.id);
    }
    // Another merchant's request ids find nothing of theirs.
    const stranger = await operator();
    const theirs = await send("/ops/sessions?q=req_ops_create_1", { cookie: stranger.cookie });
    expect(theirs.text).toContain("No session matches.");
  });

  it("pages with Older and Newer links that keep the filters", async () => {
    const { m, cookie } = await operator();
    const created: string[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const made = await Promise.all(
        Array.from({ length: 9 }, () => createFor(m, { currency: "GBP" })),
      );
      created.push(...made.map((s) => s.id));
    }
    await projected(...created);
    const first = await send("/ops/sessions?currency=GBP", { cookie });
    const rows = (text: string) =>
      [...text.matchAll(/href="\/ops\/sessions\/(cs_\w+)"/g)].map((x) => x[1]);
    expect(rows(first.text)).toHaveLength(25);
    expect(first.text).not.toContain('rel="prev"');
    const older = /rel="next" href="([^"]+)"/.exec(first.text)?.[1]?.replaceAll("&amp;", "&") ?? "";
    expect(older).toContain("currency=GBP");
    const second = await send(older, { cookie });
    expect(rows(second.text)).toHaveLength(2);
    expect(new Set([...rows(first.text), ...rows(second.text)])).toEqual(new Set(created));
    const newer =
      /rel="prev" href="([^"]+)"/.exec(second.text)?.[1]?.replaceAll("&amp;", "&") ?? "";
    const back = await send(newer, { cookie });
    expect(rows(back.text)).toEqual(rows(first.text));
  });

  it("bad filters are a 422 with the field named, never a 5xx", async () => {
    const { cookie } = await operator();
    const bad = await send("/ops/sessions?amount_min=lots&from=2026-13-45&currency=EURO", {
      cookie,
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Use a whole number of minor units");
    expect(bad.text).toContain('id="currency-error"');
    const cursor = await send("/ops/sessions?after=AAAA", { cookie });
    expect(cursor.status).toBe(422);
    const missing = await send("/ops/sessions/cs_nope", { cookie });
    expect(missing.status).toBe(404);
    const unknownHex = await send(`/ops/sessions/cs_${"0".repeat(64)}`, { cookie });
    expect(unknownHex.status).toBe(404);
  });
});

/** A merchant with an endpoint on the test receiver, and a paid session whose events follow. */
async function paidSession(extra: Record<string, unknown> = {}) {
  const op = await operator();
  const hook = crypto.randomUUID();
  const endpoint = await op.m.call("POST", "/v1/webhook-endpoints", {
    url: `${receiver}/hooks/${hook}`,
  });
  expect(endpoint.status).toBe(201);
  const session = await createFor(op.m, { metadata: { order_id: "ord_paid" }, ...extra });
  const paid = await confirm(session.token, CARDS.success);
  expect(paid.status).toBe(200);
  return { ...op, hook, session, endpointId: endpoint.json.webhook_endpoint.id as string };
}

describe("one session", () => {
  it("shows the payment, its charges and every delivery, with the machine's current state lit", async () => {
    const { cookie, hook, session } = await paidSession();
    await receivedBy(hook, 3);
    const page = await eventually(
      () => send(`/ops/sessions/${session.id}`, { cookie }),
      (p) => (p.text.match(/HTTP 200/g) ?? []).length >= 3,
    );
    expect(page.status).toBe(200);
    const paymentId = session.id.replace("cs_", "pay_");
    expect(page.text).toContain(paymentId);
    expect(page.text).toContain(`${paymentId}_ch1`);
    expect(page.text).toContain(">sandbox<");
    for (const type of ["charge.succeeded", "payment.succeeded", "checkout_session.completed"]) {
      expect(page.text).toContain(type);
    }
    expect(page.text.match(/HTTP 200/g)?.length).toBeGreaterThanOrEqual(3);
    expect(page.text).toMatch(
      /<li class="state state-current"[^>]*aria-current="step">\s*<div class="state-head"><span class="state-name">completed\.paid/,
    );
    expect(page.text).toContain("CONFIRM"); // the journal and the chart
    expect(page.text).toContain("ord_paid");
    expect(page.headers.get("content-security-policy")).toBe(
      contentSecurityPolicy({ kind: "hosted" }),
    );
    expect(page.text).not.toMatch(/<script|\sstyle=/);
  });

  it("Redeliver sends the event again and its attempt appears", async () => {
    const { cookie, csrf, hook, session, endpointId, m } = await paidSession();
    await receivedBy(hook, 3);
    const eventId = `evt_${session.id}_1`;
    const before = await m.call("GET", `/v1/events/${eventId}`);
    const attempts = before.json.event.delivery.attempts.length as number;
    const redelivered = await send(`/ops/events/${eventId}/redeliver`, {
      cookie,
      form: { csrf, endpoint_id: endpointId },
    });
    expect(redelivered.status).toBe(303);
    expect(redelivered.headers.get("location")).toBe(
      `/ops/sessions/${session.id}?done=redelivered#${eventId}`,
    );
    expect((await receivedBy(hook, 4)).length).toBe(4);
    const after = await eventually(
      () => m.call("GET", `/v1/events/${eventId}`),
      (e) => e.json.event.delivery.attempts.length > attempts,
    );
    expect(after.json.event.delivery.attempts.length).toBe(attempts + 1);
    const page = await send(`/ops/sessions/${session.id}?done=redelivered`, { cookie });
    expect(page.text).toContain("Redelivery started");
    const block = page.text
      .split('<li class="event" id=')
      .find((b) => b.startsWith(`"${eventId}"`));
    expect(block?.match(/class="attempt attempt-ok"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it("cancels a pending session, and refuses to cancel it twice (409)", async () => {
    const { m, cookie, csrf } = await operator();
    const session = await createFor(m);
    const page = await send(`/ops/sessions/${session.id}`, { cookie });
    expect(page.text).toContain("Cancel session");
    const cancelled = await send(`/ops/sessions/${session.id}/cancel`, { cookie, form: { csrf } });
    expect(cancelled.status).toBe(303);
    const retrieved = await m.call("GET", `/v1/checkout-sessions/${session.id}`);
    expect(retrieved.json.checkout_session.status).toBe("CANCELLED");
    const journal = await m.call("GET", `/v1/checkout-sessions/${session.id}/journal`);
    const entry = journal.json.data.find((e: { type: string }) => e.type === "CANCEL");
    expect(entry).toMatchObject({ cause: "merchant", request_id: expect.any(String) });
    // The merchant's audit log has it too: who (the ops session's key), what, the same request.
    const audit = await m.call("GET", "/v1/merchant/audit-log");
    expect(audit.status).toBe(200);
    expect(audit.json.data[0]).toMatchObject({
      action: "checkout_session.cancelled",
      actor: { type: "ops_session", key_hash_suffix: expect.stringMatching(/^[0-9a-f]{4}$/) },
      request_id: entry.request_id,
      changes: { checkout_session_id: { from: null, to: session.id } },
    });
    const again = await send(`/ops/sessions/${session.id}/cancel`, { cookie, form: { csrf } });
    expect(again.status).toBe(409);
    expect(again.text).toContain("This checkout session was cancelled.");
    expect(again.text).not.toContain("Cancel session</button>");
  });

  it("captures an authorized payment, and refuses a capture that is not allowed (409)", async () => {
    const { m, cookie, csrf, session } = await paidSession({ capture_method: "manual" });
    const page = await send(`/ops/sessions/${session.id}`, { cookie });
    expect(page.text).toContain("Capture €10.50");
    expect(page.text).toMatch(
      /state-current[^>]*aria-current="step">\s*<div class="state-head"><span class="state-name">completed\.authorized/,
    );
    const captured = await send(`/ops/sessions/${session.id}/capture`, { cookie, form: { csrf } });
    expect(captured.status).toBe(303);
    const payment = await eventually(
      () => m.call("GET", `/v1/payments/${session.id.replace("cs_", "pay_")}`),
      (p) => p.json.payment.status === "SUCCEEDED",
    );
    expect(payment.json.payment.status).toBe("SUCCEEDED");
    const twice = await send(`/ops/sessions/${session.id}/capture`, { cookie, form: { csrf } });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain("cannot be captured");

    const unpaid = await createFor(m);
    const nothing = await send(`/ops/sessions/${unpaid.id}/capture`, { cookie, form: { csrf } });
    expect(nothing.status).toBe(409);
    expect(nothing.text).toContain("no payment to capture");
  });

  it("refunds a paid payment, audited, shows the refund, and refuses a second (409)", async () => {
    const { m, cookie, csrf, session } = await paidSession();
    const page = await send(`/ops/sessions/${session.id}`, { cookie });
    expect(page.text).toContain("Refund €10.50");
    const refunded = await send(`/ops/sessions/${session.id}/refund`, { cookie, form: { csrf } });
    expect(refunded.status).toBe(303);
    const paymentId = session.id.replace("cs_", "pay_");
    const payment = await m.call("GET", `/v1/payments/${paymentId}`);
    expect(payment.json.payment).toMatchObject({ amount_refunded: 1050 });
    const [refund] = payment.json.payment.refunds;
    expect(refund).toMatchObject({ amount: 1050, status: "succeeded" });
    const audit = await m.call("GET", "/v1/merchant/audit-log");
    expect(audit.json.data[0]).toMatchObject({
      action: "payment.refund_requested",
      actor: { type: "ops_session" },
      changes: { refund_id: { from: null, to: refund.id }, amount: { from: null, to: "1050" } },
    });
    const after = await send(`/ops/sessions/${session.id}?done=refunded`, { cookie });
    expect(after.text).toContain(refund.id);
    expect(after.text).toContain("Refunded");
    expect(after.text).not.toContain("Refund €10.50</button>");
    const twice = await send(`/ops/sessions/${session.id}/refund`, { cookie, form: { csrf } });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain("refunded in full");
  });

  it("another merchant's session is not there at all", async () => {
    const owner = await newMerchant();
    const theirs = await createFor(owner);
    const { cookie, csrf } = await operator();
    const page = await send(`/ops/sessions/${theirs.id}`, { cookie });
    expect(page.status).toBe(404);
    expect(page.text).not.toContain("1050");
    const searched = await send(`/ops/sessions?q=${theirs.id}`, { cookie });
    expect(searched.status).toBe(200);
    expect(searched.text).toContain("No session matches.");
    const cancel = await send(`/ops/sessions/${theirs.id}/cancel`, { cookie, form: { csrf } });
    expect(cancel.status).toBe(404);
    const redeliver = await send(`/ops/events/evt_${theirs.id}_1/redeliver`, {
      cookie,
      form: { csrf },
    });
    expect(redeliver.status).toBe(404);
    const retrieved = await owner.call("GET", `/v1/checkout-sessions/${theirs.id}`);
    expect(retrieved.json.checkout_session.status).toBe("PENDING");
  });
});

describe("webhook endpoints on the screen", () => {
  it("adds one (its secret shown once), disables it (listed first), enables it, rotates its secret", async () => {
    const { cookie, csrf } = await operator();
    const bad = await send("/ops/webhooks", { cookie, form: { csrf, url: "ftp://x", events: "" } });
    expect(bad.status).toBe(422);
    const added = await send("/ops/webhooks", {
      cookie,
      form: { csrf, url: "https://shop.example/hooks", events: "payment.succeeded" },
    });
    expect(added.status).toBe(201);
    const secret = /<code class="secret">(whsec_[^<]+)<\/code>/.exec(added.text)?.[1] ?? "";
    expect(secret).toMatch(/^whsec_/);
    const id = /Signing secret created for <code>(we_\w+)<\/code>/.exec(added.text)?.[1] ?? "";
    const second = await send("/ops/webhooks", {
      cookie,
      form: { csrf, url: "https://shop.example/other", events: "charge.succeeded" },
    });
    expect(second.status).toBe(201);

    const listed = await send("/ops/webhooks", { cookie });
    expect(listed.text).not.toContain(secret);
    expect(listed.text).toContain("Events: payment.succeeded");

    const disabled = await send(`/ops/webhooks/${id}/disable`, { cookie, form: { csrf } });
    expect(disabled.status).toBe(303);
    const after = await send("/ops/webhooks?done=disabled", { cookie });
    const order = [...after.text.matchAll(/<li class="endpoint endpoint-(\w+)" id="(we_\w+)"/g)];
    expect(order.map((x) => [x[2], x[1]])[0]).toEqual([id, "disabled"]);
    expect(after.text).toContain("disabled by hand on the ops screen");

    expect((await send(`/ops/webhooks/${id}/enable`, { cookie, form: { csrf } })).status).toBe(303);
    const rotated = await send(`/ops/webhooks/${id}/rotate`, {
      cookie,
      form: { csrf, overlap_seconds: "0" },
    });
    expect(rotated.status, rotated.text.slice(rotated.text.indexOf("<main"))).toBe(200);
    const next = /<code class="secret">(whsec_[^<]+)<\/code>/.exec(rotated.text)?.[1] ?? "";
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    const wrong = await send(`/ops/webhooks/${id}/rotate`, {
      cookie,
      form: { csrf, overlap_seconds: "99999999" },
    });
    expect(wrong.status).toBe(422);
    const missing = await send("/ops/webhooks/we_nope/disable", { cookie, form: { csrf } });
    expect(missing.status).toBe(404);
  });
});

describe("hostile input on the screen", () => {
  it("answers every odd request with a 4xx or a page, never a 5xx", async () => {
    const { m, cookie, csrf } = await operator();
    const session = await createFor(m);
    const paths = [
      "/ops/sessions?q=%00%01%E2%80%AE",
      `/ops/sessions?q=${"x".repeat(600)}`,
      "/ops/sessions?__proto__=1&constructor=2&status=PENDING&status=FAILED",
      "/ops/sessions?before=W10&after=W10",
      `/ops/sessions?before=${btoa(JSON.stringify([-1, ""]))}`,
      "/ops/sessions?from=2026-02-31&to=0000-00-00",
      "/ops/sessions?amount_min=1e400&amount_max=-1",
      "/ops/sessions/%E0%A4%A",
      `/ops/sessions/${session.id}%2F..%2F..`,
      "/ops/sign-in?next=https%3A%2F%2Fevil.example",
      "/ops/webhooks?done=%3Cscript%3E",
    ];
    for (const path of paths) {
      const answer = await send(path, { cookie });
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.text, path).not.toContain("<script");
    }
    const posts: Array<[string, Record<string, string>]> = [
      [`/ops/sessions/cs_${"f".repeat(64)}/capture`, { csrf, extra: "\u0000" }],
      ["/ops/events/evt_nope/redeliver", { csrf }],
      [`/ops/events/evt_${session.id}_99/redeliver`, { csrf }],
      [`/ops/events/evt_${session.id}_1/redeliver`, { csrf, endpoint_id: "we_' OR 1=1 --" }],
      ["/ops/webhooks", { csrf, url: "javascript:alert(1)", events: "payment.succeeded" }],
      ["/ops/webhooks/we_x/rotate", { csrf, overlap_seconds: "-5" }],
      ["/ops/webhooks/we_x/enable", { csrf }],
      ["/ops/sign-in", { secret_key: "k".repeat(5000) }],
    ];
    for (const [path, form] of posts) {
      const answer = await send(path, { cookie, form });
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
    }
    const huge = await send("/ops/webhooks", { cookie, form: { csrf, url: "x".repeat(70_000) } });
    expect(huge.status).toBe(413);
    const page = await send(`/ops/sessions/${session.id}`, { cookie });
    expect(page.text).not.toContain(session.token);
  });
});
