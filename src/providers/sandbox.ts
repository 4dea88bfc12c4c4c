/**
 * The sandbox provider: a deterministic stand-in for an outside payment provider, with its own
 * memory in D1. Test cards select outcomes (only the scenario is stored, never the number):
 *
 * | card               | outcome                                                          |
 * |--------------------|------------------------------------------------------------------|
 * | 4242 4242 4242 4242 | succeeds (authorized with manual capture)                        |
 * | 4000 0000 0000 0002 | declined, `card_declined`                                        |
 * | 4000 0000 0000 3220 | 3DS challenge (approve or deny on the sandbox challenge page)    |
 * | 4000 0000 0000 0119 | retryable error at `sandbox`, succeeds at `sandbox_backup`       |
 * | 4000 0000 0000 0077 | no answer; a status query later says it succeeded                |
 * | any other valid card | succeeds; `secure_mode` forces a 3DS challenge for every card   |
 */
import type { AuthorizeRequest, Provider, ProviderOutcome } from "./provider.js";

type Scenario = "success" | "declined" | "challenge" | "fallback" | "silent" | "bank";

const SCENARIOS: Record<string, Scenario> = {
  "4242424242424242": "success",
  "4000000000000002": "declined",
  "4000000000003220": "challenge",
  "4000000000000119": "fallback",
  "4000000000000077": "silent",
};

interface ChargeRow {
  charge_id: string;
  scenario: Scenario;
  status: string;
  amount: number;
  currency: string;
  capture_method: string;
  challenge: "approved" | "denied" | null;
}

const DECLINED = {
  type: "declined",
  code: "card_declined",
  message: "The card was declined.",
} as const;

export class SandboxProvider implements Provider {
  constructor(
    private readonly name: string,
    private readonly db: D1Database,
    private readonly origin: string,
  ) {}

  async authorize(request: AuthorizeRequest): Promise<ProviderOutcome> {
    const existing = await this.charge(request.chargeId);
    if (existing !== null) return this.answer(existing);
    const method = request.paymentMethod;
    let scenario: Scenario =
      method.type === "card" ? (SCENARIOS[method.card.number] ?? "success") : "bank";
    if (request.secureMode && scenario === "success") scenario = "challenge";
    if (scenario === "fallback" && this.name === "sandbox") {
      return {
        type: "failed",
        code: "provider_unavailable",
        message: "The sandbox provider is unavailable; try the next one.",
      };
    }
    const paid = request.captureMethod === "manual" ? "authorized" : "succeeded";
    const declinedBank = method.type === "bank_transfer" && method.bankId.startsWith("fail_");
    const status =
      scenario === "declined" || declinedBank
        ? "declined"
        : scenario === "challenge"
          ? "requires_action"
          : paid;
    await this.db
      .prepare(
        "INSERT OR IGNORE INTO sandbox_charges (charge_id, provider, scenario, status, amount, currency, capture_method, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(
        request.chargeId,
        this.name,
        scenario,
        status,
        request.amount,
        request.currency,
        request.captureMethod,
        Date.now(),
      )
      .run();
    if (scenario === "silent") return { type: "silent" };
    return this.answer((await this.charge(request.chargeId)) as ChargeRow);
  }

  async completeAction(chargeId: string): Promise<ProviderOutcome> {
    const charge = await this.charge(chargeId);
    if (charge === null) return unknownCharge();
    if (charge.status === "requires_action" && charge.challenge !== null) {
      const status =
        charge.challenge === "approved"
          ? charge.capture_method === "manual"
            ? "authorized"
            : "succeeded"
          : "denied";
      await this.setStatus(chargeId, status);
      return this.answer({ ...charge, status });
    }
    return this.answer(charge);
  }

  async status(chargeId: string): Promise<ProviderOutcome> {
    const charge = await this.charge(chargeId);
    return charge === null ? unknownCharge() : this.answer(charge);
  }

  async capture(chargeId: string): Promise<ProviderOutcome> {
    const charge = await this.charge(chargeId);
    if (charge === null) return unknownCharge();
    if (charge.status === "authorized") await this.setStatus(chargeId, "succeeded");
    else if (charge.status !== "succeeded") {
      return {
        type: "failed",
        code: "not_capturable",
        message: `A ${charge.status} charge cannot be captured.`,
      };
    }
    return { type: "succeeded" };
  }

  private answer(charge: ChargeRow): ProviderOutcome {
    switch (charge.status) {
      case "succeeded":
        return { type: "succeeded" };
      case "authorized":
        return { type: "authorized" };
      case "requires_action":
        return {
          type: "requires_action",
          url: `${this.origin}/sandbox/challenge/${charge.charge_id}`,
        };
      case "denied":
        return {
          type: "declined",
          code: "authentication_failed",
          message: "The payer did not pass 3-D Secure.",
        };
      default:
        return charge.scenario === "bank"
          ? { type: "declined", code: "bank_declined", message: "The bank declined the transfer." }
          : DECLINED;
    }
  }

  private charge(chargeId: string): Promise<ChargeRow | null> {
    return this.db
      .prepare("SELECT * FROM sandbox_charges WHERE charge_id = ?")
      .bind(chargeId)
      .first<ChargeRow>();
  }

  private async setStatus(chargeId: string, status: string): Promise<void> {
    await this.db
      .prepare("UPDATE sandbox_charges SET status = ? WHERE charge_id = ?")
      .bind(status, chargeId)
      .run();
  }
}

function unknownCharge(): ProviderOutcome {
  return { type: "failed", code: "unknown_charge", message: "The provider has no such charge." };
}

/** The challenge page's decision, recorded at the provider (as an issuer's ACS would). */
export async function recordChallenge(
  db: D1Database,
  chargeId: string,
  decision: "approved" | "denied",
) {
  const row = await db
    .prepare(
      "UPDATE sandbox_charges SET challenge = COALESCE(challenge, ?) WHERE charge_id = ? RETURNING amount, currency",
    )
    .bind(decision, chargeId)
    .first<{ amount: number; currency: string }>();
  return row;
}

export function sandboxCharge(db: D1Database, chargeId: string) {
  return db
    .prepare(
      "SELECT amount, currency, challenge FROM sandbox_charges WHERE charge_id = ? AND status = 'requires_action'",
    )
    .bind(chargeId)
    .first<{ amount: number; currency: string; challenge: string | null }>();
}
