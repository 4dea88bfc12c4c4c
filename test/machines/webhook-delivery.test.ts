import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CheckoutSnapshot,
  dueFanOuts,
  type EndpointResult,
  headFor,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  nextWakeAt,
  RETRIES_SPENT,
  RETRY_SCHEDULE_MS,
  restoreSnapshot,
  toEnvelope,
  WebhookEventType,
} from "../../machines/index.js";
import { chargeId, createSession, HOUR, run, T0, VISA } from "./support.js";

const TYPES = WebhookEventType.options;

/** A completed session with three events waiting in its outbox. */
function completed(): CheckoutSnapshot {
  const s = run(createSession(), { type: "CONFIRM", at: T0 + 1, paymentMethod: VISA });
  return run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 2, chargeId: chargeId(s) });
}

const answer = (
  endpointId: string,
  statusCode: number | null,
  extra: Partial<EndpointResult> = {},
): EndpointResult => ({
  endpointId,
  statusCode,
  latencyMs: 8,
  error: statusCode === null ? "timed out after 15000 ms" : null,
  retryAfterMs: null,
  ...extra,
});

/** Every due event fans out to these endpoints (subscribed to every type), as the object does. */
const fanOut = (s: CheckoutSnapshot, at: number, ids: string[]) =>
  run(s, { type: "WEBHOOK_FANNED_OUT", at, endpoints: ids.map((id) => ({ id, events: TYPES })) });

/** The endpoint's answer to its oldest pending event. */
function answerHead(s: CheckoutSnapshot, at: number, result: EndpointResult): CheckoutSnapshot {
  const head = headFor(s.context.outbox, result.endpointId);
  if (head === undefined) throw new Error(`nothing awaits ${result.endpointId}`);
  return run(s, { type: "WEBHOOK_ATTEMPTED", at, eventId: head.event.id, result });
}

const statusOf = (s: CheckoutSnapshot, endpointId: string) =>
  s.context.outbox.map(
    (e) => e.delivery.endpoints?.find((d) => d.endpointId === endpointId)?.status ?? null,
  );

describe("webhook delivery", () => {
  it("retries within seconds first and spans about a day", () => {
    expect(RETRY_SCHEDULE_MS[0]).toBeLessThanOrEqual(10_000);
    const total = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20 * HOUR);
    expect(total).toBeLessThan(28 * HOUR);
    expect(RETRIES_SPENT).toBe("no 2xx answer in 11 attempts over 23 h 42 min");
  });

  it("fans events out when they fall due, to the endpoints subscribed to each type then; none: skipped", () => {
    let s = completed();
    expect(nextWakeAt(s)).toBe(T0 + 2);
    expect(dueFanOuts(s.context.outbox, T0 + 2).map((e) => e.sequence)).toEqual([1, 2, 3]);
    s = run(s, {
      type: "WEBHOOK_FANNED_OUT",
      at: T0 + 3,
      endpoints: [
        { id: "we_all", events: TYPES },
        { id: "we_done", events: ["checkout_session.completed"] },
      ],
    });
    expect(s.context.outbox.map((e) => e.delivery.endpoints?.map((d) => d.endpointId))).toEqual([
      ["we_all"],
      ["we_all"],
      ["we_all", "we_done"],
    ]);
    // Fanned out once: a later fan-out (an endpoint added since) changes none of them.
    const again = fanOut(s, T0 + 4, ["we_new"]);
    expect(again.context.outbox).toBe(s.context.outbox);
    // An event nobody wants is skipped.
    const nobody = run(completed(), { type: "WEBHOOK_FANNED_OUT", at: T0 + 3, endpoints: [] });
    expect(nobody.context.outbox.map((e) => e.delivery.status)).toEqual([
      "skipped",
      "skipped",
      "skipped",
    ]);
    expect(nextWakeAt(nobody)).toBeNull();
  });

  it("keeps order per endpoint, and a failing endpoint holds back only itself", () => {
    let s = fanOut(completed(), T0 + 3, ["we_dead", "we_live"]);
    s = answerHead(s, T0 + 4, answer("we_dead", null));
    // The live endpoint gets all three events while the dead one still waits on the first.
    for (let at = T0 + 4; headFor(s.context.outbox, "we_live"); at++) {
      s = answerHead(s, at, answer("we_live", 200));
    }
    expect(statusOf(s, "we_live")).toEqual(["delivered", "delivered", "delivered"]);
    expect(statusOf(s, "we_dead")).toEqual(["pending", "pending", "pending"]);
    expect(headFor(s.context.outbox, "we_dead")).toMatchObject({
      event: { sequence: 1 },
      due: T0 + 4 + 5_000,
    });
    expect(nextWakeAt(s)).toBe(T0 + 4 + 5_000);
    // An answer for an event that is not the endpoint's oldest pending one is ignored.
    const third = s.context.outbox[2]?.id ?? "";
    const early = run(s, {
      type: "WEBHOOK_ATTEMPTED",
      at: T0 + 5,
      eventId: third,
      result: answer("we_dead", 200),
    });
    expect(statusOf(early, "we_dead")).toEqual(["pending", "pending", "pending"]);
    expect(s.context.outbox.map((e) => e.delivery.status)).toEqual([
      "pending",
      "pending",
      "pending",
    ]);
    expect(s.context.outbox[0]?.delivery.attempts.map((a) => [a.endpointId, a.ok])).toEqual([
      ["we_dead", false],
      ["we_live", true],
    ]);
  });

  it("wakes for an endpoint with an attempt in flight only once that attempt would be over", () => {
    const s = fanOut(completed(), T0 + 3, ["we_a"]);
    expect(nextWakeAt(s)).toBe(T0 + 3);
    // Were the instance to die mid-attempt, the alarm sends it again after the timeout.
    expect(nextWakeAt(s, new Map([["we_a", T0 + 16_003]]))).toBe(T0 + 16_003);
  });

  it("honours Retry-After when it asks for longer than the schedule, up to a cap", () => {
    const s = fanOut(completed(), T0 + 3, ["we_a"]);
    const slow = answerHead(s, T0 + 3, answer("we_a", 503, { retryAfterMs: 120_000 }));
    expect(headFor(slow.context.outbox, "we_a")?.due).toBe(T0 + 3 + 120_000);
    const greedy = answerHead(s, T0 + 3, answer("we_a", 429, { retryAfterMs: 30 * 24 * HOUR }));
    expect(headFor(greedy.context.outbox, "we_a")?.due).toBe(T0 + 3 + MAX_RETRY_AFTER_MS);
  });

  it("treats 410 Gone as final for that endpoint, for this event and the session's later ones", () => {
    let s = fanOut(completed(), T0 + 3, ["we_gone", "we_b"]);
    s = answerHead(s, T0 + 4, answer("we_gone", 410));
    expect(statusOf(s, "we_gone")).toEqual(["disabled", "disabled", "disabled"]);
    expect(s.context.outbox[1]?.delivery.endpoints?.[0]?.reason).toBe(
      "endpoint disabled: answered 410 Gone",
    );
    expect(s.context.outbox[0]?.delivery.status).toBe("pending");
    s = answerHead(s, T0 + 5, answer("we_b", 200));
    expect(s.context.outbox[0]?.delivery.status).toBe("delivered");
  });

  it("fails an endpoint's delivery once the schedule is spent, and stops sending it the rest", () => {
    let s = fanOut(completed(), T0 + 3, ["we_dead", "we_live"]);
    for (let at = T0 + 3; headFor(s.context.outbox, "we_live"); at++) {
      s = answerHead(s, at, answer("we_live", 204));
    }
    let at = T0 + 3;
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      s = answerHead(s, at, answer("we_dead", 500));
      at = headFor(s.context.outbox, "we_dead")?.due ?? at;
    }
    expect(at - (T0 + 3)).toBeGreaterThan(20 * HOUR);
    expect(statusOf(s, "we_dead")).toEqual(["failed", "disabled", "disabled"]);
    expect(s.context.outbox[0]?.delivery.endpoints?.[0]?.reason).toBe(RETRIES_SPENT);
    expect(s.context.outbox.map((e) => e.delivery.status)).toEqual([
      "failed",
      "delivered",
      "delivered",
    ]);
    expect(s.context.outbox[0]?.delivery.attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS + 1);
    expect(nextWakeAt(s)).toBeNull();
  });

  it("redelivers by hand at any time: to one endpoint afresh, or fanned out again to all", () => {
    let s = fanOut(completed(), T0 + 3, ["we_a", "we_b"]);
    s = answerHead(s, T0 + 4, answer("we_a", 200));
    s = answerHead(s, T0 + 4, answer("we_b", 500));
    const first = s.context.outbox[0]?.id ?? "";
    // While we_b is still retrying, we_a is sent the event again at once.
    s = run(s, { type: "WEBHOOK_REDELIVER", at: T0 + 10, eventId: first, endpointId: "we_a" });
    expect(headFor(s.context.outbox, "we_a")).toMatchObject({ event: { id: first }, due: T0 + 10 });
    expect(headFor(s.context.outbox, "we_b")?.due).toBe(T0 + 4 + 5_000);
    s = answerHead(s, T0 + 11, answer("we_a", 200));
    s = answerHead(s, T0 + 5_004, answer("we_b", 200));
    s = run(s, { type: "WEBHOOK_REDELIVER", at: T0 + 6_000, eventId: first });
    expect(s.context.outbox[0]?.delivery).toMatchObject({ status: "pending", endpoints: null });
    expect(dueFanOuts(s.context.outbox, T0 + 6_000).map((e) => e.id)).toEqual([first]);
    expect(s.context.outbox[0]?.delivery.attempts).toHaveLength(4);
  });

  it("sends a disabled or deleted endpoint nothing more", () => {
    let s = fanOut(completed(), T0 + 3, ["we_a", "we_b"]);
    s = run(s, {
      type: "WEBHOOK_ENDPOINT_DISABLED",
      at: T0 + 4,
      endpointId: "we_a",
      reason: "endpoint deleted",
    });
    expect(statusOf(s, "we_a")).toEqual(["disabled", "disabled", "disabled"]);
    expect(headFor(s.context.outbox, "we_a")).toBeUndefined();
    expect(headFor(s.context.outbox, "we_b")?.event.sequence).toBe(1);
  });

  it("restores deliveries stored before per-endpoint schedules", () => {
    const s = fanOut(completed(), T0 + 3, ["we_a"]);
    const envelope = JSON.parse(JSON.stringify(toEnvelope(s)));
    const [pending, retrying, done] = envelope.context.outbox;
    const legacy = (status: string, attempts: unknown[], settledFor: string[], failures = 0) => ({
      status,
      attempts,
      settledFor,
      failuresInRow: failures,
      nextAttemptAt: status === "pending" ? T0 + 9_000 : null,
    });
    const tried = (endpointId: string, statusCode: number) => ({
      at: T0 + 4,
      endpointId,
      ok: statusCode < 300,
      statusCode,
      latencyMs: 5,
      error: null,
    });
    pending.delivery = legacy("pending", [], []);
    retrying.delivery = legacy("pending", [tried("we_a", 200), tried("we_b", 500)], ["we_a"], 1);
    done.delivery = legacy("skipped", [tried("we_a", 410)], ["we_a"]);
    const restored = restoreSnapshot(envelope);
    const [a, b, c] = restored.context.outbox.map((e) => e.delivery);
    expect(a).toMatchObject({ status: "pending", endpoints: null, nextAttemptAt: T0 + 9_000 });
    expect(b?.endpoints).toEqual([
      {
        endpointId: "we_a",
        status: "delivered",
        failuresInRow: 0,
        nextAttemptAt: null,
        reason: null,
      },
      {
        endpointId: "we_b",
        status: "pending",
        failuresInRow: 1,
        nextAttemptAt: T0 + 9_000,
        reason: null,
      },
    ]);
    expect(c?.endpoints?.[0]).toMatchObject({ status: "disabled", reason: "answered 410 Gone" });
    expect(headFor(restored.context.outbox, "we_b")?.event.sequence).toBe(2);
  });

  it("never loses an event: any mix of outcomes at two endpoints ends settled, in order per endpoint", () => {
    const endpoints = ["we_a", "we_b"];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...endpoints), fc.boolean()), { maxLength: 60 }),
        (outcomes) => {
          let s = fanOut(completed(), T0 + 3, endpoints);
          let at = T0 + 10;
          const order: Record<string, number[]> = { we_a: [], we_b: [] };
          const attempt = (endpointId: string, ok: boolean) => {
            const head = headFor(s.context.outbox, endpointId);
            if (head === undefined) return;
            at = Math.max(at + 1, head.due);
            s = answerHead(s, at, answer(endpointId, ok ? 200 : 500));
            if (ok) order[endpointId]?.push(head.event.sequence);
          };
          for (const [endpointId, ok] of outcomes) attempt(endpointId, ok);
          // Drain whatever is left with successes.
          for (const id of endpoints) while (headFor(s.context.outbox, id)) attempt(id, true);
          for (const e of s.context.outbox) expect(e.delivery.status).not.toBe("pending");
          for (const id of endpoints) {
            const sequences = order[id] ?? [];
            expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
          }
          expect(nextWakeAt(s)).toBeNull();
        },
      ),
    );
  });
});
