/**
 * Webhook delivery end to end: real session objects and alarms in workerd, posting to a real HTTP
 * receiver (test/support/webhook-receiver.ts) over loopback, verified with the public
 * `standardwebhooks` package.
 */
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, RETRIES_SPENT } from "../../machines/index.js";
import { signatures } from "../../src/webhooks/send.js";
import "../support/figures.js";
import type { Received, Step } from "../support/webhook-receiver.js";
import {
  CARDS,
  call,
  confirm,
  newMerchant,
  objectOf,
  projectedByAlarm,
  RETURN_URL,
  setClock,
} from "./api.js";

const receiver = inject("receiverUrl");

interface EventBody {
  id: string;
  type: string;
  created: number;
  sequence: number;
  data: { object: { id: string; object: string; status: string } };
}

async function script(hook: string, steps: Step[], otherwise: Step = { status: 200 }) {
  await fetch(`${receiver}/script/${hook}`, {
    method: "PUT",
    body: JSON.stringify({ steps, otherwise }),
  });
}

async function received(hook: string): Promise<Received[]> {
  return (await fetch(`${receiver}/log/${hook}`)).json();
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A merchant with one endpoint on the receiver, and a paid session whose events follow. */
async function setup(options: { events?: string[]; steps?: Step[]; otherwise?: Step } = {}) {
  const m = await newMerchant();
  const hook = crypto.randomUUID();
  await script(hook, options.steps ?? [], options.otherwise);
  const endpoint = await m.call("POST", "/v1/webhook-endpoints", {
    url: `${receiver}/hooks/${hook}`,
    ...(options.events && { events: options.events }),
  });
  expect(endpoint.status).toBe(201);
  const pay = async (card: string = CARDS.success) => {
    const created = await m.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
    });
    const session = created.json.checkout_session as { id: string; token: string };
    await confirm(session.token, card);
    return session;
  };
  return { m, hook, endpoint: endpoint.json.webhook_endpoint, pay };
}

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

async function events(m: Merchant, query = "") {
  return (await m.call("GET", `/v1/events?limit=100${query}`)).json.data as Array<{
    id: string;
    type: string;
    sequence: number;
    delivery: {
      status: string;
      attempts: Array<{ ok: boolean; status_code: number | null; error: string | null }>;
      next_attempt_at: string | null;
    };
  }>;
}

/** Runs the session's alarm at the moment its next webhook attempt is due. */
async function nextAttempt(m: Merchant, sessionId: string): Promise<boolean> {
  await projectedByAlarm(sessionId);
  const pending = (await events(m, `&checkout_session_id=${sessionId}`))
    .filter((e) => e.delivery.status === "pending" && e.delivery.next_attempt_at !== null)
    .sort((a, b) => a.sequence - b.sequence)[0];
  if (pending === undefined) return false;
  await setClock(sessionId, Date.parse(pending.delivery.next_attempt_at ?? ""));
  await runDurableObjectAlarm(objectOf(sessionId));
  // The attempt's outcome in D1, for the caller's next look at the events.
  await projectedByAlarm(sessionId);
  return true;
}

const bodies = (log: Received[]) => log.map((entry) => JSON.parse(entry.body) as EventBody);

describe("signing", () => {
  it("reproduces the Standard Webhooks specification's test vector exactly", async () => {
    const signature = await signatures(
      ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs every delivery so the standardwebhooks package verifies it, and not a changed byte", async () => {
    const { hook, endpoint, pay } = await setup();
    const session = await pay();
    const log = await eventually(
      () => received(hook),
      (l) => l.length >= 3,
    );
    const wh = new Webhook(endpoint.secret);
    for (const entry of log) expect(wh.verify(entry.body, entry.headers)).toBeTruthy();
    const [first] = log as [Received];
    expect(bodies([first])[0]?.data.object.id).toContain(session.id.slice(3));
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === "a" ? "b" : "a") + text.slice(at + 1);
    const headers = first.headers;
    expect(() => wh.verify(flip(first.body, 10), headers)).toThrow();
    expect(() =>
      wh.verify(first.body, { ...headers, "webhook-id": flip(headers["webhook-id"] ?? "", 5) }),
    ).toThrow();
    const timestamp = String(Number(headers["webhook-timestamp"]) + 1);
    expect(() => wh.verify(first.body, { ...headers, "webhook-timestamp": timestamp })).toThrow();
  });
});

describe("delivery", () => {
  it("sends a session's events right after the transitions, in order, with stable ids", async () => {
    const { m, hook, pay } = await setup();
    const session = await pay();
    const log = await eventually(
      () => received(hook),
      (l) => l.length >= 3,
    );
    const sent = bodies(log);
    expect(sent.map((b) => [b.sequence, b.type])).toEqual([
      [1, "charge.succeeded"],
      [2, "payment.succeeded"],
      [3, "checkout_session.completed"],
    ]);
    expect(log.map((entry) => entry.headers["webhook-id"])).toEqual(sent.map((b) => b.id));
    expect(sent[2]?.data.object).toMatchObject({
      id: session.id,
      object: "checkout_session",
      status: "COMPLETED",
    });
    expect(sent[1]?.data.object).toMatchObject({ object: "payment", status: "SUCCEEDED" });
    const listed = await eventually(
      () => events(m, `&checkout_session_id=${session.id}`),
      (l) => l.every((e) => e.delivery.status === "delivered"),
    );
    expect(listed.map((e) => e.delivery.attempts.length)).toEqual([1, 1, 1]);
    const one = await m.call("GET", `/v1/events/${sent[0]?.id}`);
    expect(one.json.event).toMatchObject({
      id: sent[0]?.id,
      type: "charge.succeeded",
      delivery: { status: "delivered", attempts: [{ ok: true, status_code: 200 }] },
      data: sent[0]?.data,
    });
  });

  it("a receiver that fails, then recovers, gets every event in order; repeats keep their webhook-id", async () => {
    const { m, hook, pay } = await setup({
      steps: [{ status: 500 }, { status: 503, retryAfter: 1 }, { status: 502 }],
    });
    const session = await pay();
    await eventually(
      () => received(hook),
      (l) => l.length >= 1,
    );
    for (let i = 0; i < 10 && (await nextAttempt(m, session.id)); i++);
    const log = await received(hook);
    const sent = bodies(log);
    // Every event arrived, acknowledged; any repeat is the same event under the same id.
    const acknowledged = log
      .filter((entry) => entry.answered === 200)
      .map((e) => JSON.parse(e.body));
    expect(acknowledged.map((b: EventBody) => b.sequence)).toEqual([1, 2, 3]);
    for (const [i, entry] of log.entries()) {
      expect(entry.headers["webhook-id"]).toBe(sent[i]?.id);
    }
    // In order: no event arrives before one with a lower sequence has been acknowledged.
    const sequences = sent.map((b) => b.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(log.filter((entry) => entry.answered !== 200)).toHaveLength(3);
  });

  it("cuts off a receiver that hangs at the timeout, and retries it", async () => {
    const { m, hook, pay } = await setup({
      events: ["checkout_session.completed"],
      steps: [{ status: 200, hang: true }],
    });
    const session = await pay();
    const [first] = await eventually(
      () => events(m, `&checkout_session_id=${session.id}`),
      (l) => (l[0]?.delivery.attempts.length ?? 0) >= 1,
    );
    const attempt = first?.delivery.attempts[0];
    expect(attempt).toMatchObject({ ok: false, status_code: null });
    expect(attempt?.error).toMatch(/timed out after 1000 ms/);
    await nextAttempt(m, session.id);
    const [after] = await events(m, `&checkout_session_id=${session.id}`);
    expect(after?.delivery.status).toBe("delivered");
    expect(await received(hook)).toHaveLength(2);
  });

  it("survives eviction between attempts: the object wakes with its outbox and delivers", async () => {
    const { m, hook, pay } = await setup({
      events: ["checkout_session.completed"],
      steps: [{ status: 500 }],
    });
    const session = await pay();
    await eventually(
      () => received(hook),
      (l) => l.length >= 1,
    );
    await evictDurableObject(objectOf(session.id));
    expect(await nextAttempt(m, session.id)).toBe(true);
    const log = await received(hook);
    expect(log.map((e) => e.answered)).toEqual([500, 200]);
    expect(new Set(log.map((e) => e.headers["webhook-id"])).size).toBe(1);
  });

  it("honours Retry-After on a 429", async () => {
    const { m, pay } = await setup({
      events: ["checkout_session.completed"],
      steps: [{ status: 429, retryAfter: 120 }],
    });
    const session = await pay();
    const [event] = await eventually(
      () => events(m, `&checkout_session_id=${session.id}`),
      (l) => (l[0]?.delivery.attempts.length ?? 0) >= 1,
    );
    const detail = await m.call("GET", `/v1/events/${event?.id}`);
    const attemptAt = Date.parse(detail.json.event.delivery.attempts[0].at);
    const next = Date.parse(detail.json.event.delivery.next_attempt_at);
    expect(next - attemptAt).toBe(120_000);
  });

  it("marks an event failed after the last attempt, about a day on, disables the endpoint, and redelivers on request", async () => {
    const { m, hook, endpoint, pay } = await setup({
      events: ["checkout_session.completed"],
      otherwise: { status: 500 },
    });
    const session = await pay();
    await eventually(
      () => received(hook),
      (l) => l.length >= 1,
    );
    while (await nextAttempt(m, session.id));
    const [failed] = await events(m, "&delivery_status=failed");
    expect(failed?.delivery.attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    const log = await received(hook);
    const span = (log.at(-1)?.receivedAt ?? 0) - (log[0]?.receivedAt ?? 0);
    expect(span).toBeLessThan(60_000); // driven by the clock, not by waiting a day
    const detail = await m.call("GET", `/v1/events/${failed?.id}`);
    const times = detail.json.event.delivery.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect((times.at(-1) - times[0]) / 3_600_000).toBeGreaterThan(20);

    // An endpoint that failed a whole schedule is disabled, with the reason, and listed first.
    const listed = await m.call("GET", "/v1/webhook-endpoints");
    expect(listed.json.data[0]).toMatchObject({
      id: endpoint.id,
      status: "disabled",
      disabled_reason: RETRIES_SPENT,
    });
    const refused = await m.call("POST", `/v1/events/${failed?.id}/redeliver`, {
      endpoint_id: endpoint.id,
    });
    expect([refused.status, refused.json.code]).toEqual([409, "endpoint_disabled"]);

    await script(hook, [], { status: 200 });
    await m.call("POST", `/v1/webhook-endpoints/${endpoint.id}/enable`);
    const again = await m.call("POST", `/v1/events/${failed?.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.json.event.delivery.status).toBe("pending");
    const [delivered] = await eventually(
      async () => {
        await projectedByAlarm(session.id);
        return events(m, `&checkout_session_id=${session.id}`);
      },
      (l) => l[0]?.delivery.status === "delivered",
    );
    expect(delivered?.delivery.status).toBe("delivered");
    const last = (await received(hook)).at(-1);
    expect([last?.headers["webhook-id"], last?.answered]).toEqual([failed?.id, 200]);
  });

  it("a dead endpoint holds back only itself: the live one has every session's events within 5 s, p99", async ({
    task,
  }) => {
    const { m, hook, pay } = await setup();
    // A closed port: every attempt fails at once, for the whole schedule.
    const dead = await m.call("POST", "/v1/webhook-endpoints", { url: "http://127.0.0.1:9/hooks" });
    const started = Date.now();
    const session = await pay();
    const log = await eventually(
      () => received(hook),
      (l) => l.length >= 3,
    );
    const lastAt = Math.max(...log.map((entry) => entry.receivedAt));
    expect(bodies(log).map((b) => b.type)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
    // And so for every session: 20 more, each timed from its payment to its last live event.
    const delays = [lastAt - started];
    for (let i = 0; i < 20; i++) {
      const paidAt = Date.now();
      const { id } = await pay();
      const mine = await eventually(
        async () =>
          (await received(hook)).filter(
            (entry) =>
              (JSON.parse(entry.body) as { checkoutSessionId: string }).checkoutSessionId === id,
          ),
        (l) => l.length >= 3,
      );
      expect(mine).toHaveLength(3);
      delays.push(Math.max(...mine.map((entry) => entry.receivedAt)) - paidAt);
    }
    delays.sort((a, b) => a - b);
    const rank = (q: number) => delays[Math.ceil(q * delays.length) - 1] ?? Infinity;
    task.meta.figures = {
      sessions: delays.length,
      liveEndpointAllEventsP50Ms: rank(0.5),
      liveEndpointAllEventsP99Ms: rank(0.99),
    };
    expect(rank(0.99)).toBeLessThan(5_000);
    // The dead endpoint is still on its first event, retrying on its own schedule.
    const list = await eventually(
      () => events(m, `&checkout_session_id=${session.id}`),
      (l) => l.every((e) => e.delivery.attempts.length >= 1),
    );
    const bySequence = [...list].sort((a, b) => a.sequence - b.sequence);
    const deadStatus = bySequence.map(
      (e) =>
        (
          e.delivery as unknown as { endpoints: { endpoint_id: string; status: string }[] }
        ).endpoints.find((d) => d.endpoint_id === dead.json.webhook_endpoint.id)?.status,
    );
    expect(deadStatus).toEqual(["pending", "pending", "pending"]);
    expect(bySequence[0]?.delivery.attempts.filter((a) => !a.ok)).toHaveLength(1);
    expect(bySequence[1]?.delivery.attempts.filter((a) => !a.ok)).toHaveLength(0);
  });

  it("retries only the endpoint that failed when another acknowledged", async () => {
    const { m, hook, pay } = await setup({
      events: ["checkout_session.completed"],
      steps: [{ status: 500 }],
    });
    const other = crypto.randomUUID();
    await m.call("POST", "/v1/webhook-endpoints", {
      url: `${receiver}/hooks/${other}`,
      events: ["checkout_session.completed"],
    });
    const session = await pay();
    await eventually(
      () => received(hook),
      (l) => l.length >= 1,
    );
    await nextAttempt(m, session.id);
    expect((await received(hook)).map((e) => e.answered)).toEqual([500, 200]);
    expect((await received(other)).map((e) => e.answered)).toEqual([200]);
  });

  it("disables an endpoint that answers 410 Gone, and an event with no endpoint left is skipped", async () => {
    const { m, hook, endpoint, pay } = await setup({
      events: ["checkout_session.completed"],
      otherwise: { status: 410 },
    });
    const session = await pay();
    const [event] = await eventually(
      () => events(m, `&checkout_session_id=${session.id}`),
      (l) => l[0]?.delivery.status === "skipped",
    );
    expect(event?.delivery.attempts[0]?.status_code).toBe(410);
    const got = await m.call("GET", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(got.json.webhook_endpoint).toMatchObject({
      status: "disabled",
      disabled_reason: "answered 410 Gone",
    });
    await pay();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await received(hook)).toHaveLength(1);
    const enabled = await m.call("POST", `/v1/webhook-endpoints/${endpoint.id}/enable`);
    expect(enabled.json.webhook_endpoint.status).toBe("enabled");
  });

  it("signs with both secrets during a rotation's overlap, then with the new one only", async () => {
    const { m, hook, endpoint, pay } = await setup({ events: ["checkout_session.completed"] });
    const rotated = await m.call("POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const secret = rotated.json.webhook_endpoint.secret as string;
    expect(secret).not.toBe(endpoint.secret);
    expect(rotated.json.webhook_endpoint.previous_secret_expires_at).not.toBeNull();
    await pay();
    const [during] = await eventually(
      () => received(hook),
      (l) => l.length >= 1,
    );
    const header = during?.headers["webhook-signature"] ?? "";
    expect(header.split(" ")).toHaveLength(2);
    for (const key of [endpoint.secret, secret]) {
      expect(new Webhook(key).verify(during?.body ?? "", during?.headers ?? {})).toBeTruthy();
    }
    await m.call("POST", `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
      overlap_seconds: 0,
    });
    const { json } = await m.call("GET", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(json.webhook_endpoint.previous_secret_expires_at).toBeNull();
    await pay();
    const log = await eventually(
      () => received(hook),
      (l) => l.length >= 2,
    );
    expect(log[1]?.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(() => new Webhook(secret).verify(log[1]?.body ?? "", log[1]?.headers ?? {})).toThrow();
  });
});

describe("the webhook endpoints and events API", () => {
  it("shows the secret once, lists, reads and deletes endpoints of this merchant only", async () => {
    const m = await newMerchant();
    const other = await newMerchant();
    const created = await m.call("POST", "/v1/webhook-endpoints", {
      url: "https://merchant.example/hooks",
      events: ["payment.succeeded", "payment.succeeded"],
    });
    expect(created.status).toBe(201);
    const endpoint = created.json.webhook_endpoint;
    expect(endpoint).toMatchObject({
      object: "webhook_endpoint",
      url: "https://merchant.example/hooks",
      events: ["payment.succeeded"],
      status: "enabled",
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await m.call("GET", "/v1/webhook-endpoints");
    expect(listed.json.data).toHaveLength(1);
    expect(JSON.stringify(listed.json)).not.toContain(endpoint.secret);
    const read = await m.call("GET", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(read.json.webhook_endpoint.secret).toBeUndefined();
    expect((await other.call("GET", `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    expect((await other.call("DELETE", `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
    const deleted = await m.call("DELETE", `/v1/webhook-endpoints/${endpoint.id}`);
    expect(deleted.json).toEqual({ id: endpoint.id, object: "webhook_endpoint", deleted: true });
    expect((await m.call("GET", `/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
  });

  it.each([
    ["a javascript: url", { url: "javascript:alert(1)" }, "url"],
    ["plain http off localhost", { url: "http://merchant.example/hooks" }, "url"],
    [
      "an unknown event type",
      { url: "https://m.example/h", events: ["payment.maybe"] },
      "events.0",
    ],
    ["no events", { url: "https://m.example/h", events: [] }, "events"],
    ["an unknown field", { url: "https://m.example/h", secret: "mine" }, ""],
  ])("refuses %s with a 422 naming the field, and creates nothing", async (_, body, field) => {
    const m = await newMerchant();
    const response = await m.call("POST", "/v1/webhook-endpoints", body);
    expect([response.status, response.json.code]).toEqual([422, "validation_failed"]);
    expect(response.json.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await m.call("GET", "/v1/webhook-endpoints")).json.data).toEqual([]);
  });

  it("needs the merchant's key, and answers unknown ids and bad filters with clear problems", async () => {
    const m = await newMerchant();
    expect((await call("GET", "/v1/webhook-endpoints")).status).toBe(401);
    expect((await call("GET", "/v1/events")).json.code).toBe("missing_api_key");
    const bad = await m.call("GET", "/v1/events?delivery_status=lost");
    expect([bad.status, bad.json.errors[0].field]).toEqual([422, "delivery_status"]);
    expect((await m.call("GET", "/v1/events/evt_nope")).status).toBe(404);
    const unknown = `evt_cs_${"0".repeat(64)}_1`;
    expect((await m.call("POST", `/v1/events/${unknown}/redeliver`)).status).toBe(404);
    const rotate = await m.call("POST", "/v1/webhook-endpoints/we_nope/rotate-secret", {
      overlap_seconds: -1,
    });
    expect(rotate.status).toBe(422);
  });

  it("redelivers at any time, to one endpoint or to all, and refuses an endpoint that is not the merchant's", async () => {
    const { m, hook, endpoint, pay } = await setup({
      events: ["checkout_session.completed"],
      steps: [{ status: 500 }],
    });
    const other = crypto.randomUUID();
    const second = await m.call("POST", "/v1/webhook-endpoints", {
      url: `${receiver}/hooks/${other}`,
      events: ["checkout_session.completed"],
    });
    const session = await pay();
    const [event] = await eventually(
      () => events(m, `&checkout_session_id=${session.id}`),
      (l) => (l[0]?.delivery.attempts.length ?? 0) >= 2,
    );
    expect(event?.delivery.status).toBe("pending"); // the first endpoint still retries
    // The second endpoint has it already; it is sent again, now, while the first waits its turn.
    const again = await m.call("POST", `/v1/events/${event?.id}/redeliver`, {
      endpoint_id: second.json.webhook_endpoint.id,
    });
    expect(again.status).toBe(202);
    const log = await eventually(
      () => received(other),
      (l) => l.length >= 2,
    );
    expect(log.map((e) => [e.headers["webhook-id"], e.answered])).toEqual([
      [event?.id, 200],
      [event?.id, 200],
    ]);
    expect(await received(hook)).toHaveLength(1);
    // Bad, unknown and foreign endpoint ids change nothing.
    const bad = await m.call("POST", `/v1/events/${event?.id}/redeliver`, { endpoint_id: "x" });
    expect([bad.status, bad.json.errors[0].field]).toEqual([422, "endpoint_id"]);
    const unknown = await m.call("POST", `/v1/events/${event?.id}/redeliver`, {
      endpoint_id: `we_${"0".repeat(24)}`,
    });
    expect([unknown.status, unknown.json.code]).toEqual([404, "not_found"]);
    const stranger = await newMerchant();
    const foreign = await stranger.call("POST", `/v1/events/${event?.id}/redeliver`);
    expect(foreign.status).toBe(404);
    expect(endpoint.id).not.toBe(second.json.webhook_endpoint.id);
  });
});
