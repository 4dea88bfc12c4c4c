/**
 * The machine's side of the risk checks: a CONFIRM carrying a `block` assessment is declined at
 * once (`risk_blocked`), with no provider call left to make; `require_3ds` and `allow` go to the
 * provider as usual; the assessment stays on every charge of that confirm, fallback included.
 */
import { describe, expect, it } from "vitest";
import {
  type CheckoutEvent,
  checkoutSessionMachine,
  pureSteps,
  type RiskAssessment,
  stateName,
} from "../../machines/index.js";
import { assessRisk, DEFAULT_RISK_SETTINGS, type RiskFacts } from "../../src/core/risk.js";

const checkout = pureSteps(checkoutSessionMachine);

const start = (maxPaymentAttempts = 3) =>
  checkout.initial({
    id: "cs_risk",
    merchantId: "m_1",
    paymentId: "pay_risk",
    amount: 1050,
    currency: "EUR",
    createdAt: 0,
    expiresAt: 3_600_000,
    providers: ["sandbox", "sandbox_backup"],
    maxPaymentAttempts,
  });

const BLOCK: RiskAssessment = {
  decision: "block",
  score: 90,
  reasons: [{ rule: "card_velocity", score: 90, reason: "This card was used 6 times." }],
};

const confirm = (at: number, risk?: RiskAssessment): CheckoutEvent => ({
  type: "CONFIRM",
  at,
  paymentMethod: { type: "card", brand: "visa", last4: "4954" },
  ...(risk && { risk }),
});

describe("a CONFIRM with a risk assessment", () => {
  it("block: the charge is declined risk_blocked at once, no provider call, the payer may try again", () => {
    const s = checkout.next(start(), confirm(10, BLOCK));
    expect(stateName(s)).toBe("open");
    expect(s.context.providerCall).toBeNull();
    const [charge] = s.context.payment?.charges ?? [];
    expect(charge).toMatchObject({
      status: "declined",
      failure: { code: "risk_blocked" },
      risk: BLOCK,
    });
    expect(charge?.failure?.message).toBe(
      "Declined by the merchant's risk rules. This card was used 6 times.",
    );
    expect(s.context.outbox.map((e) => e.type)).toContain("charge.declined");
  });

  it("block on the last attempt fails the session", () => {
    const s = checkout.next(start(1), confirm(10, BLOCK));
    expect(stateName(s)).toBe("failed");
    expect(s.context.payment?.status).toBe("FAILED");
  });

  it("require_3ds and allow go to the provider, the assessment kept on each charge of the confirm", () => {
    const ask: RiskAssessment = { decision: "require_3ds", score: 60, reasons: [] };
    let s = checkout.next(start(), confirm(10, ask));
    expect(stateName(s)).toBe("processing");
    expect(s.context.providerCall?.kind).toBe("authorize");
    // The first provider cannot: the fallback charge carries the same assessment.
    const first = s.context.payment?.charges[0]?.id ?? "";
    s = checkout.next(s, {
      type: "PROVIDER_FAILED",
      at: 20,
      chargeId: first,
      code: "provider_unavailable",
      message: "Down.",
    });
    expect(s.context.payment?.charges.map((c) => [c.provider, c.risk?.decision])).toEqual([
      ["sandbox", "require_3ds"],
      ["sandbox_backup", "require_3ds"],
    ]);
    // A confirm without one (a machine used on its own) records none.
    const plain = checkout.next(start(), confirm(10));
    expect(plain.context.payment?.charges[0]?.risk).toBeNull();
  });
});

describe("assessRisk", () => {
  const facts: RiskFacts = {
    method: "card",
    amount: 1050,
    currency: "EUR",
    cardConfirms: 1,
    emailConfirms: 1,
    ipConfirms: 1,
    billingCountry: "DE",
    cardCountry: "DE",
    ipCountry: "DE",
    sessionDeclines: 0,
  };

  it("adds the scores up to at most 100 and holds them against the thresholds", () => {
    expect(assessRisk(facts, DEFAULT_RISK_SETTINGS)).toEqual({
      decision: "allow",
      score: 0,
      reasons: [],
    });
    const everything = assessRisk(
      {
        ...facts,
        cardConfirms: 6,
        emailConfirms: 11,
        ipConfirms: 21,
        cardCountry: "US",
        sessionDeclines: 3,
        amount: 2000,
      },
      { ...DEFAULT_RISK_SETTINGS, amount_thresholds: { EUR: 1000 } },
    );
    expect(everything.score).toBe(100);
    expect(everything.decision).toBe("block");
    expect(everything.reasons.map((r) => r.rule)).toEqual([
      "card_velocity",
      "email_velocity",
      "ip_velocity",
      "billing_country_mismatch",
      "ip_country_mismatch",
      "amount_over_threshold",
      "session_declines",
    ]);
  });

  it("at the edges: exactly the limit is ordinary, one more speaks; unknown facts say nothing", () => {
    const at = assessRisk(
      { ...facts, cardConfirms: 5, emailConfirms: 10, ipConfirms: 20 },
      DEFAULT_RISK_SETTINGS,
    );
    expect(at.reasons).toEqual([]);
    const unknown = assessRisk(
      { ...facts, cardConfirms: null, billingCountry: null, ipCountry: null, cardCountry: "US" },
      DEFAULT_RISK_SETTINGS,
    );
    expect(unknown.reasons).toEqual([]);
    const bank = assessRisk(
      { ...facts, method: "bank_transfer", cardCountry: null, amount: 5000 },
      { ...DEFAULT_RISK_SETTINGS, amount_thresholds: { EUR: 1000 } },
    );
    expect(bank).toMatchObject({ decision: "allow", score: 60 });
  });
});
