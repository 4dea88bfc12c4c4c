import { describe, expect, it } from "vitest";
import { nextWakeAt, sessionStatus } from "../../machines/index.js";
import { chargeId, createSession, HOUR, outboxTypes, run, T0, VISA } from "./support.js";

const confirm = (at: number) => ({ type: "CONFIRM", at, paymentMethod: VISA }) as const;

describe("a card payment", () => {
  it("completes when the provider succeeds, with one charge and its webhook events", () => {
    let s = run(createSession(), { type: "PAYER_OPENED", at: T0 + 1 }, confirm(T0 + 2));
    expect(sessionStatus(s)).toBe("PROCESSING");
    expect(s.context.providerCall).toMatchObject({ kind: "authorize", provider: "sandbox" });
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 3, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("COMPLETED");
    expect(s.context.payment?.status).toBe("SUCCEEDED");
    expect(s.context.payment?.charges).toHaveLength(1);
    expect(s.context.providerCall).toBeNull();
    expect(outboxTypes(s)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
  });

  it("keeps only brand and last4 of the card", () => {
    const s = run(createSession(), confirm(T0 + 1));
    expect(JSON.stringify(s.context)).not.toMatch(/4242424242424242/);
    expect(s.context.payment?.charges[0]?.paymentMethod).toEqual(VISA);
  });

  it("lets the payer retry after a decline, then fails at the attempt limit", () => {
    let s = createSession({ maxPaymentAttempts: 2 });
    s = run(s, confirm(T0 + 1));
    s = run(s, {
      type: "PROVIDER_DECLINED",
      at: T0 + 2,
      chargeId: chargeId(s),
      code: "card_declined",
      message: "Declined",
    });
    expect(sessionStatus(s)).toBe("PENDING");
    expect(s.context.payment?.status).toBe("REQUIRES_PAYMENT_METHOD");
    expect(s.context.payment?.lastError?.code).toBe("card_declined");
    s = run(s, confirm(T0 + 3));
    s = run(s, {
      type: "PROVIDER_DECLINED",
      at: T0 + 4,
      chargeId: chargeId(s),
      code: "card_declined",
      message: "Declined",
    });
    expect(sessionStatus(s)).toBe("FAILED");
    expect(s.context.payment?.status).toBe("FAILED");
    expect(s.context.payment?.charges.map((c) => c.status)).toEqual(["declined", "declined"]);
    expect(outboxTypes(s)).toEqual([
      "charge.declined",
      "charge.declined",
      "payment.failed",
      "checkout_session.failed",
    ]);
  });

  it("falls back to the next provider on a retryable error: two charges visible", () => {
    let s = createSession({ providers: ["primary", "backup"] });
    s = run(s, confirm(T0 + 1));
    const first = chargeId(s);
    s = run(s, {
      type: "PROVIDER_FAILED",
      at: T0 + 2,
      chargeId: first,
      code: "provider_error",
      message: "503",
    });
    expect(sessionStatus(s)).toBe("PROCESSING");
    expect(s.context.providerCall).toMatchObject({ kind: "authorize", provider: "backup" });
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 3, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("COMPLETED");
    expect(s.context.payment?.charges.map((c) => [c.provider, c.status])).toEqual([
      ["primary", "failed"],
      ["backup", "succeeded"],
    ]);
  });

  it("passes a 3DS challenge: requires action, then completes", () => {
    let s = run(createSession(), confirm(T0 + 1));
    s = run(s, {
      type: "PROVIDER_REQUIRES_ACTION",
      at: T0 + 2,
      chargeId: chargeId(s),
      url: "https://acs.example/c",
    });
    expect(s.value).toBe("requires_action");
    expect(s.context.payment?.status).toBe("REQUIRES_ACTION");
    expect(s.context.payment?.charges[0]?.nextActionUrl).toBe("https://acs.example/c");
    expect(outboxTypes(s)).toEqual(["payment.requires_action"]);
    s = run(s, { type: "ACTION_COMPLETED", at: T0 + 3, chargeId: chargeId(s) });
    expect(s.context.providerCall?.kind).toBe("complete_action");
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 4, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("COMPLETED");
  });

  it("treats a failed 3DS challenge as a decline", () => {
    let s = run(createSession(), confirm(T0 + 1));
    s = run(s, {
      type: "PROVIDER_REQUIRES_ACTION",
      at: T0 + 2,
      chargeId: chargeId(s),
      url: "https://acs.example/c",
    });
    s = run(s, { type: "ACTION_FAILED", at: T0 + 3, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("PENDING");
    expect(s.context.payment?.lastError?.code).toBe("authentication_failed");
  });

  it("holds the money with manual capture, then captures it", () => {
    let s = run(createSession({ captureMethod: "manual" }), confirm(T0 + 1));
    s = run(s, { type: "PROVIDER_AUTHORIZED", at: T0 + 2, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("COMPLETED");
    expect(s.context.payment?.status).toBe("AUTHORIZED");
    expect(s.context.providerCall).toBeNull();
    s = run(s, { type: "CAPTURE", at: T0 + 3 });
    expect(s.context.providerCall?.kind).toBe("capture");
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 4, chargeId: chargeId(s) });
    expect(s.context.payment?.status).toBe("SUCCEEDED");
    expect(outboxTypes(s)).toEqual([
      "charge.succeeded",
      "payment.authorized",
      "checkout_session.completed",
      "payment.succeeded",
    ]);
  });

  it("captures an authorization at once with automatic capture", () => {
    let s = run(createSession(), confirm(T0 + 1));
    s = run(s, { type: "PROVIDER_AUTHORIZED", at: T0 + 2, chargeId: chargeId(s) });
    expect(s.context.providerCall?.kind).toBe("capture");
  });
});

describe("a silent provider", () => {
  it("is asked for status by the watchdog, and its answer settles the charge", () => {
    let s = run(createSession({ providerTimeoutMs: 10_000 }), confirm(T0));
    expect(nextWakeAt(s)).toBe(T0 + 10_000);
    // An alarm that fires early (at-least-once, or re-armed late) changes nothing.
    const early = run(s, { type: "PROVIDER_TIMEOUT", at: T0 + 5_000 });
    expect(early.context).toEqual(s.context);
    s = run(s, { type: "PROVIDER_TIMEOUT", at: T0 + 10_000 });
    expect(s.context.providerCall).toMatchObject({
      kind: "status",
      statusChecks: 1,
      deadlineAt: T0 + 20_000,
    });
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 11_000, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("COMPLETED");
  });

  it("is asked for the status until it answers, never given up on while the session is open", () => {
    let s = run(createSession({ providerTimeoutMs: 1_000 }), confirm(T0));
    for (let i = 1; i <= 10; i++) s = run(s, { type: "PROVIDER_TIMEOUT", at: T0 + i * 1_000 });
    // It may have taken the money: no fallback, and the payer cannot pay a second time.
    expect(sessionStatus(s)).toBe("PROCESSING");
    expect(s.context.payment?.charges.map((c) => c.status)).toEqual(["pending"]);
    expect(s.context.providerCall).toMatchObject({ kind: "status", statusChecks: 10 });
    expect(run(s, confirm(T0 + 10_500)).context.payment?.charges).toHaveLength(1);
    // It answers at last: the one charge is the payment.
    const answered = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + 11_000, chargeId: chargeId(s) });
    expect(sessionStatus(answered)).toBe("COMPLETED");
    // Or the session expires first, and a success after that is kept and flagged.
    const expired = run(s, { type: "EXPIRE", at: T0 + HOUR });
    expect(sessionStatus(expired)).toBe("EXPIRED");
    const late = run(expired, {
      type: "PROVIDER_SUCCEEDED",
      at: T0 + HOUR + 1,
      chargeId: chargeId(s),
    });
    expect(late.context.payment).toMatchObject({ status: "SUCCEEDED", paidAfterClose: true });
  });

  it("lets the payer try again once the provider says the charge failed", () => {
    let s = run(createSession({ providerTimeoutMs: 1_000 }), confirm(T0));
    s = run(s, { type: "PROVIDER_TIMEOUT", at: T0 + 1_000 });
    s = run(s, {
      type: "PROVIDER_FAILED",
      at: T0 + 1_100,
      chargeId: chargeId(s),
      code: "provider_unavailable",
      message: "No such charge",
    });
    expect(sessionStatus(s)).toBe("PENDING");
    expect(s.context.payment?.lastError?.code).toBe("provider_unavailable");
  });
});

describe("closing a session", () => {
  it("expires at expiresAt and refuses a late confirm", () => {
    let s = run(createSession(), { type: "EXPIRE", at: T0 + HOUR - 1 });
    expect(sessionStatus(s)).toBe("PENDING");
    s = run(s, { type: "EXPIRE", at: T0 + HOUR });
    expect(sessionStatus(s)).toBe("EXPIRED");
    const late = run(s, confirm(T0 + HOUR + 1));
    expect(late.context.payment).toBeNull();
    expect(outboxTypes(late)).toEqual(["checkout_session.expired"]);
  });

  it("expires first when any event arrives after expiresAt, even before the alarm", () => {
    const s = run(createSession(), confirm(T0 + HOUR + 5));
    expect(sessionStatus(s)).toBe("EXPIRED");
    expect(s.context.payment).toBeNull();
  });

  it("keeps and flags a success that arrives after expiry, without reopening", () => {
    let s = run(createSession(), confirm(T0 + 1));
    s = run(s, { type: "EXPIRE", at: T0 + HOUR });
    s = run(s, { type: "PROVIDER_SUCCEEDED", at: T0 + HOUR + 1, chargeId: chargeId(s) });
    expect(sessionStatus(s)).toBe("EXPIRED");
    expect(s.context.payment).toMatchObject({ status: "SUCCEEDED", paidAfterClose: true });
    expect(s.context.payment?.charges[0]).toMatchObject({ status: "succeeded", late: true });
    expect(outboxTypes(s)).toEqual([
      "checkout_session.expired",
      "charge.succeeded",
      "payment.succeeded",
    ]);
  });

  it("is cancelled by the merchant or abandoned by the payer, but not while money is in flight", () => {
    expect(sessionStatus(run(createSession(), { type: "CANCEL", at: T0 + 1 }))).toBe("CANCELLED");
    const exited = run(createSession(), { type: "PAYER_EXITED", at: T0 + 1 });
    expect(exited.context.closedReason).toBe("payer_exited");
    const processing = run(createSession(), confirm(T0 + 1));
    expect(processing.can({ type: "CANCEL", at: T0 + 2 })).toBe(false);
  });
});

describe("a confirm routed by a merchant's rule", () => {
  const route = { rule: "try-cards", providers: ["acquirer_tr", "acquirer_eu"] };
  const failed = (s: ReturnType<typeof createSession>, at: number) =>
    run(s, {
      type: "PROVIDER_FAILED",
      at,
      chargeId: chargeId(s),
      code: "provider_unavailable",
      message: "Down",
    });

  it("goes to the rule's providers in order, each charge naming the rule, and falls back within them", () => {
    let s = createSession({ providers: ["sandbox", "sandbox_backup"] });
    s = run(s, { ...confirm(T0 + 1), route });
    expect(s.context.providerCall).toMatchObject({ provider: "acquirer_tr" });
    s = failed(s, T0 + 2);
    expect(s.context.providerCall).toMatchObject({ provider: "acquirer_eu" });
    expect(s.context.payment?.charges.map((c) => [c.provider, c.rule])).toEqual([
      ["acquirer_tr", "try-cards"],
      ["acquirer_eu", "try-cards"],
    ]);
    // The rule's list is spent: the payer may try again, and that confirm has no rule.
    s = failed(s, T0 + 3);
    expect(sessionStatus(s)).toBe("PENDING");
    s = run(s, confirm(T0 + 4));
    expect(s.context.payment?.charges.at(-1)).toMatchObject({ provider: "sandbox", rule: null });
  });
});
