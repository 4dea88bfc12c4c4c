import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CheckoutSnapshot,
  type EndpointResult,
  headOfLine,
  MAX_DELIVERY_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  nextWakeAt,
  RETRY_SCHEDULE_MS,
} from "../../machines/index.js";
import { chargeId, createSession, HOUR, run, T0, VISA } from "./support.js";

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

/** One attempt at the head-of-line event, with what each endpoint answered. */
function attempt(s: CheckoutSnapshot, at: number, ...results: EndpointResult[]) {
  const head = headOfLine(s.context.outbox);
  if (head === undefined) throw new Error("nothing to deliver");
  return run(s, { type: "WEBHOOK_ATTEMPTED", at, eventId: head.id, results });
}

const fail = (s: CheckoutSnapshot, at: number, retryAfterMs: number | null = null) =>
  attempt(s, at, answer("we_a", 500, { retryAfterMs }));
const deliver = (s: CheckoutSnapshot, at: number) => attempt(s, at, answer("we_a", 200));

describe("webhook delivery", () => {
  it("retries within seconds first and spans about a day", () => {
    expect(RETRY_SCHEDULE_MS[0]).toBeLessThanOrEqual(10_000);
    const total = RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(20 * HOUR);
    expect(total).toBeLessThan(28 * HOUR);
  });

  it("delivers in sequence order: a later event waits for the one before it", () => {
    let s = completed();
    expect(nextWakeAt(s)).toBe(T0 + 2);
    s = fail(s, T0 + 3);
    const first = s.context.outbox[0];
    expect(first?.delivery).toMatchObject({ status: "pending", nextAttemptAt: T0 + 3 + 5_000 });
    expect(headOfLine(s.context.outbox)?.sequence).toBe(1);
    expect(nextWakeAt(s)).toBe(T0 + 3 + 5_000);
    // A result reported for an event that is not at the head of the line is ignored.
    const third = s.context.outbox[2];
    const early = run(s, {
      type: "WEBHOOK_ATTEMPTED",
      at: T0 + 4,
      eventId: third?.id ?? "",
      results: [answer("we_a", 200)],
    });
    expect(early.context.outbox[2]?.delivery.status).toBe("pending");
    s = deliver(deliver(deliver(s, T0 + 5_003), T0 + 5_004), T0 + 5_005);
    expect(s.context.outbox.map((e) => e.delivery.status)).toEqual([
      "delivered",
      "delivered",
      "delivered",
    ]);
    expect(s.context.outbox[0]?.delivery.attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(nextWakeAt(s)).toBeNull();
  });

  it("honours Retry-After when it asks for longer than the schedule, up to a cap", () => {
    const s = fail(completed(), T0 + 3, 120_000);
    expect(s.context.outbox[0]?.delivery.nextAttemptAt).toBe(T0 + 3 + 120_000);
    const greedy = fail(completed(), T0 + 3, 30 * 24 * HOUR);
    expect(greedy.context.outbox[0]?.delivery.nextAttemptAt).toBe(T0 + 3 + MAX_RETRY_AFTER_MS);
  });

  it("retries only the endpoints that failed; one that acknowledged is not sent it again", () => {
    let s = attempt(completed(), T0 + 3, answer("we_a", 204), answer("we_b", null));
    const delivery = s.context.outbox[0]?.delivery;
    expect(delivery).toMatchObject({ status: "pending", settledFor: ["we_a"] });
    expect(delivery?.attempts.map((a) => [a.endpointId, a.ok])).toEqual([
      ["we_a", true],
      ["we_b", false],
    ]);
    s = attempt(s, T0 + 5_003, answer("we_b", 200));
    expect(s.context.outbox[0]?.delivery).toMatchObject({
      status: "delivered",
      settledFor: ["we_a", "we_b"],
    });
  });

  it("treats 410 Gone as final for that endpoint, and an event nobody subscribes to as skipped", () => {
    let s = attempt(completed(), T0 + 3, answer("we_a", 410));
    expect(s.context.outbox[0]?.delivery).toMatchObject({
      status: "skipped",
      settledFor: ["we_a"],
    });
    s = attempt(s, T0 + 4);
    expect(s.context.outbox[1]?.delivery).toMatchObject({ status: "skipped", attempts: [] });
    expect(headOfLine(s.context.outbox)?.sequence).toBe(3);
  });

  it("marks an event failed for good after the last attempt, and redelivers it on request", () => {
    let s = completed();
    let at = T0 + 3;
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      s = fail(s, at);
      at = s.context.outbox[0]?.delivery.nextAttemptAt ?? at;
    }
    const first = s.context.outbox[0];
    expect(first?.delivery.status).toBe("failed");
    expect(first?.delivery.attempts).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(at - (T0 + 3)).toBeGreaterThan(20 * HOUR);
    // The line moves on to the next event.
    expect(headOfLine(s.context.outbox)?.sequence).toBe(2);
    s = run(s, { type: "WEBHOOK_REDELIVER", at: at + 1, eventId: first?.id ?? "" });
    expect(s.context.outbox[0]?.delivery).toMatchObject({
      status: "pending",
      settledFor: [],
      nextAttemptAt: at + 1,
    });
    expect(headOfLine(s.context.outbox)?.sequence).toBe(1);
  });

  it("never loses an event: any mix of outcomes ends with every event delivered or failed, in order", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }), (outcomes) => {
        let s = completed();
        let at = T0 + 10;
        const deliveredOrder: number[] = [];
        for (const ok of outcomes) {
          const head = headOfLine(s.context.outbox);
          if (head === undefined) break;
          at = Math.max(at + 1, nextWakeAt(s) ?? at);
          s = ok ? deliver(s, at) : fail(s, at);
          if (ok) deliveredOrder.push(head.sequence);
        }
        // Drain whatever is left with successes.
        for (let head = headOfLine(s.context.outbox); head; head = headOfLine(s.context.outbox)) {
          deliveredOrder.push(head.sequence);
          at += 1;
          s = deliver(s, at);
        }
        const statuses = s.context.outbox.map((e) => e.delivery.status);
        expect(statuses.every((x) => x === "delivered" || x === "failed")).toBe(true);
        expect(deliveredOrder).toEqual([...deliveredOrder].sort((a, b) => a - b));
        expect(new Set(s.context.outbox.map((e) => e.id)).size).toBe(s.context.outbox.length);
      }),
    );
  });
});
