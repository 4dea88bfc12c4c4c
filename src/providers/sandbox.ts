/**
 * The sandbox provider: a deterministic stand-in for an outside payment provider. Test card
 * numbers and bank ids select the outcome; the provider keeps its own memory of charges in a
 * Durable Object of its own (src/providers/sandbox-ledger.ts), reached over RPC as an outside
 * provider is over HTTP, so status, capture and the 3-D Secure challenge work across requests.
 * The card number is read in memory to pick a scenario and is never stored or logged: only the
 * scenario name is kept.
 *
 * Two providers share this code, `sandbox` (primary) and `sandbox_backup` (fallback); each sees
 * only the charges made at it, as two outside providers would.
 *
 * | card number        | scenario            | answer at authorize                                           |
 * |--------------------|---------------------|---------------------------------------------------------------|
 * | 4242424242424242   | success             | succeeded (authorized with manual capture)                    |
 * | 4000000000000002   | card_declined       | declined `card_declined`                                      |
 * | 4000000000003220   | three_ds            | requires_action → `/sandbox/challenge/:chargeId`; then        |
 * |                    |                     | approve → succeeded/authorized, deny → `authentication_failed` |
 * | 4000000000000119   | primary_unavailable | `sandbox`: failed `provider_unavailable` (retryable);         |
 * |                    |                     | `sandbox_backup`: succeeded/authorized                        |
 * | 4000000000000077   | silent              | silent (no answer); status() then says succeeded/authorized   |
 * | 4000000000000200   | slow                | the charge is made at once, the answer (succeeded/authorized) |
 * |                    |                     | comes 2 s later (SLOW_ANSWER_MS), after a short watchdog      |
 * | any other number   | success             | succeeded/authorized                                          |
 * | with secureMode    | three_ds_forced     | a card that would succeed asks for 3-D Secure first           |
 *
 * | bank id            | scenario            | answer at authorize                                           |
 * |--------------------|---------------------|---------------------------------------------------------------|
 * | `fail_…`           | bank_declined       | declined `bank_declined`                                      |
 * | any other          | bank                | succeeded (a transfer settles at once: nothing to capture)    |
 */
import type { AuthorizeRequest, Provider, ProviderOutcome } from "./provider.js";
import {
  ledgerOf,
  SANDBOX_PROVIDERS,
  type SandboxCharge,
  type SandboxProviderName,
  type Scenario,
} from "./sandbox-ledger.js";

export const isSandboxProvider = (name: string): name is SandboxProviderName =>
  (SANDBOX_PROVIDERS as readonly string[]).includes(name);

/**
 * How late the `slow` card's answer comes: longer than a short test watchdog, so its answer
 * arrives after the session has already asked for status, and short enough to wait for.
 */
export const SLOW_ANSWER_MS = 2_000;

const TEST_CARDS: Record<string, Scenario> = {
  "4242424242424242": "success",
  "4000000000000002": "card_declined",
  "4000000000003220": "three_ds",
  "4000000000000119": "primary_unavailable",
  "4000000000000077": "silent",
  "4000000000000200": "slow",
};

type ChargeStatus = SandboxCharge["status"];

/** The scenario a payment method selects. Pure: the card number goes no further than here. */
export function scenarioOf(
  request: Pick<AuthorizeRequest, "paymentMethod" | "secureMode">,
): Scenario {
  const method = request.paymentMethod;
  if (method.type === "bank_transfer") {
    return method.bankId.startsWith("fail_") ? "bank_declined" : "bank";
  }
  const scenario = TEST_CARDS[method.card.number.replace(/[\s-]/g, "")] ?? "success";
  return scenario === "success" && request.secureMode ? "three_ds_forced" : scenario;
}

const settled = (captureMethod: AuthorizeRequest["captureMethod"]): ChargeStatus =>
  captureMethod === "manual" ? "authorized" : "succeeded";

function initialStatus(
  scenario: Scenario,
  captureMethod: AuthorizeRequest["captureMethod"],
): ChargeStatus {
  switch (scenario) {
    case "card_declined":
    case "bank_declined":
      return "declined";
    case "three_ds":
    case "three_ds_forced":
      return "requires_action";
    case "bank":
      return "succeeded";
    case "success":
    case "primary_unavailable":
    case "silent":
    case "slow":
      return settled(captureMethod);
  }
}

const failed = (code: string, message: string): ProviderOutcome => ({
  type: "failed",
  code,
  message,
});

function declineOf(charge: SandboxCharge): ProviderOutcome {
  if (charge.challenge === "denied") {
    return {
      type: "declined",
      code: "authentication_failed",
      message: "3-D Secure authentication failed.",
    };
  }
  if (charge.scenario === "bank_declined") {
    return { type: "declined", code: "bank_declined", message: "The bank declined the transfer." };
  }
  return { type: "declined", code: "card_declined", message: "The card was declined." };
}

export const challengeUrl = (origin: string, chargeId: string) =>
  `${origin}/sandbox/challenge/${encodeURIComponent(chargeId)}`;

/**
 * @example
 * const provider = new SandboxProvider("sandbox", env, "https://pay.example");
 * await provider.authorize({ chargeId, paymentMethod: { type: "card", card }, … }); // { type: "succeeded" }
 */
export class SandboxProvider implements Provider {
  constructor(
    private readonly name: SandboxProviderName,
    private readonly env: Env,
    /** This Worker's origin, for the challenge page's URL. */
    private readonly origin: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async authorize(request: AuthorizeRequest): Promise<ProviderOutcome> {
    const scenario = scenarioOf(request);
    if (scenario === "primary_unavailable" && this.name === "sandbox") {
      // An outage makes no charge, so nothing is remembered: the router tries the next provider.
      return failed(
        "provider_unavailable",
        "The sandbox provider is unavailable; try another provider.",
      );
    }
    const ledger = ledgerOf(this.env, request.chargeId);
    if (ledger === null) return failed("unknown_charge", "Not a charge id of this service.");
    const { made } = await ledger.make({
      charge_id: request.chargeId,
      provider: this.name,
      scenario,
      status: initialStatus(scenario, request.captureMethod),
      amount: request.amount,
      currency: request.currency,
      capture_method: request.captureMethod,
      created_at: this.clock(),
    });
    if (made && scenario === "silent") return { type: "silent" };
    // The money is taken; only the answer is late (a retry of the same charge is answered at once).
    if (made && scenario === "slow") {
      await new Promise((resolve) => setTimeout(resolve, SLOW_ANSWER_MS));
    }
    return this.status(request.chargeId);
  }

  /**
   * The challenge page already recorded the payer's decision at the sandbox, so finishing the
   * action is reading it: still `requires_action` while the payer has not decided.
   */
  completeAction(chargeId: string): Promise<ProviderOutcome> {
    return this.status(chargeId);
  }

  async status(chargeId: string): Promise<ProviderOutcome> {
    const charge = await this.charge(chargeId);
    if (charge === null) return failed("unknown_charge", "The sandbox has no such charge.");
    switch (charge.status) {
      case "succeeded":
        return { type: "succeeded" };
      case "authorized":
        return { type: "authorized" };
      case "requires_action":
        return { type: "requires_action", url: challengeUrl(this.origin, chargeId) };
      case "declined":
        return declineOf(charge);
    }
  }

  async capture(chargeId: string): Promise<ProviderOutcome> {
    const charge = await this.charge(chargeId);
    if (charge === null) return failed("unknown_charge", "The sandbox has no such charge.");
    if (charge.status === "authorized") {
      await ledgerOf(this.env, chargeId)?.capture(chargeId);
      return { type: "succeeded" };
    }
    // Capturing twice is capturing once.
    if (charge.status === "succeeded") return { type: "succeeded" };
    return failed("not_capturable", "Only an authorized charge can be captured.");
  }

  /** A charge made at this provider: the other sandbox provider's charges are not its own. */
  private async charge(chargeId: string): Promise<SandboxCharge | null> {
    const charge = (await ledgerOf(this.env, chargeId)?.find(chargeId)) ?? null;
    return charge?.provider === this.name ? charge : null;
  }
}
