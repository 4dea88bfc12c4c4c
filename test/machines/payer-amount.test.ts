/**
 * Sessions whose payer chooses the amount (`amount: null` at creation): the first accepted
 * CONFIRM fixes it, a CONFIRM without one is not accepted, and once set it never changes.
 */
import { describe, expect, it } from "vitest";
import {
  type CheckoutEvent,
  restoreSnapshot,
  sessionStatus,
  toEnvelope,
} from "../../machines/index.js";
import { chargeId, createSession, outboxTypes, run, T0, VISA } from "./support.js";

const confirm = (at: number, amount?: number): CheckoutEvent => ({
  type: "CONFIRM",
  at,
  paymentMethod: VISA,
  ...(amount !== undefined && { amount }),
});

const declined = (s: ReturnType<typeof createSession>, at: number): CheckoutEvent => ({
  type: "PROVIDER_DECLINED",
  at,
  chargeId: chargeId(s),
  code: "card_declined",
  message: "Declined",
});

describe("a session whose payer chooses the amount", () => {
  it("is created without one, takes it from the first confirm and completes with it", () => {
    let s = createSession({ amount: null });
    expect(sessionStatus(s)).toBe("PENDING");
    expect(s.context.amount).toBeNull();
    s = run(s, { type: "PAYER_OPENED", at: T0 + 1 }, confirm(T0 + 2, 750));
    expect(sessionStatus(s)).toBe("PROCESSING");
    expect(s.context.amount).toBe(750);
    expect(s.context.payment).toMatchObject({ amount: 750, currency: "EUR" });
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 3, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("COMPLETED");
    expect([s.context.amount, s.context.payment?.amount]).toEqual([750, 750]);
    expect(outboxTypes(s)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
  });

  it("does not accept a confirm without an amount, nor one that is not a positive integer", () => {
    const s = createSession({ amount: null });
    for (const amount of [undefined, 0, -5, 7.5, Number.NaN]) {
      const event = confirm(T0 + 1, amount);
      expect(s.can(event)).toBe(false);
      const after = run(s, event);
      expect(sessionStatus(after)).toBe("PENDING");
      expect([after.context.amount, after.context.payment]).toEqual([null, null]);
    }
  });

  it("keeps the amount fixed by the first confirm after a decline: the same (or none) is accepted, another is not", () => {
    let s = run(createSession({ amount: null }), confirm(T0 + 1, 750));
    s = run(s, declined(s, T0 + 2));
    expect(sessionStatus(s)).toBe("PENDING");
    expect(s.context.amount).toBe(750);
    expect(s.can(confirm(T0 + 3, 900))).toBe(false);
    expect(run(s, confirm(T0 + 3, 900)).context.amount).toBe(750);
    expect(s.can(confirm(T0 + 3, 750))).toBe(true);
    expect(s.can(confirm(T0 + 3))).toBe(true);
    s = run(s, confirm(T0 + 3));
    expect(sessionStatus(s)).toBe("PROCESSING");
    expect(s.context.payment?.amount).toBe(750);
    expect(s.context.payment?.charges).toHaveLength(2);
  });

  it("restores from its envelope before and after the amount is chosen", () => {
    const open = createSession({ amount: null });
    const confirmed = run(open, confirm(T0 + 1, 750));
    for (const s of [open, confirmed]) {
      const restored = restoreSnapshot(JSON.stringify(toEnvelope(s)));
      expect([restored.value, restored.context]).toEqual([s.value, s.context]);
    }
  });
});

describe("a session created with an amount", () => {
  it("accepts a confirm that repeats its amount and refuses one that differs", () => {
    const s = createSession({ amount: 1050 });
    expect(s.can(confirm(T0 + 1, 1050))).toBe(true);
    expect(s.can(confirm(T0 + 1, 999))).toBe(false);
    expect(run(s, confirm(T0 + 1, 999)).context.payment).toBeNull();
    expect(run(s, confirm(T0 + 1, 1050)).context.payment?.amount).toBe(1050);
  });
});
