/**
 * What a test card or bank id makes the sandbox do. The card number is read here, in memory, to
 * pick a scenario, and goes no further: the ledger keeps the scenario's name, never the number.
 *
 * | card number        | scenario          | the sandbox                                                    |
 * |--------------------|-------------------|----------------------------------------------------------------|
 * | 4242424242424242   | success           | succeeds (authorizes with manual capture)                      |
 * | 4000000000000002   | card_declined     | declines `card_declined` (402)                                 |
 * | 4000000000003220   | three_ds          | asks for 3-D Secure; approve → succeeds, deny → declines       |
 * |                    |                   | `authentication_failed`                                        |
 * | 4000000000000119   | primary_unavailable | `sandbox`: 503, nothing charged; `sandbox_backup`: succeeds  |
 * | 4000000000000077   | timeout           | charges, then keeps the caller waiting past any timeout;       |
 * |                    |                   | asked for status later, it says succeeded                      |
 * | 4000000000000200   | slow              | charges at once, answers 2 s later (SLOW_ANSWER_MS)            |
 * | 4000000000000424   | rate_limited      | 429 with `Retry-After: 1` at the first try of a key, nothing   |
 * |                    |                   | charged; the retry succeeds                                    |
 * | 4000000000000507   | answer_lost       | charges, then answers 502 at the first try: a retry under the  |
 * |                    |                   | same Idempotency-Key gets that charge, a retry without one     |
 * |                    |                   | charges again (the double charge idempotency prevents)         |
 * | any other number   | success           | succeeds                                                       |
 * | with 3DS required  | three_ds_forced   | a card that would succeed asks for 3-D Secure first            |
 *
 * | bank id            | scenario          | the sandbox                                                    |
 * |--------------------|-------------------|----------------------------------------------------------------|
 * | `fail_…`           | bank_declined     | declines `bank_declined`                                       |
 * | any other          | bank              | succeeds (a transfer settles at once: nothing to capture)      |
 */
import type { CreateCharge } from "./api.js";

export type Scenario =
  | "success"
  | "card_declined"
  | "three_ds"
  | "three_ds_forced"
  | "primary_unavailable"
  | "timeout"
  | "slow"
  | "rate_limited"
  | "answer_lost"
  | "bank"
  | "bank_declined";

const TEST_CARDS: Record<string, Scenario> = {
  "4242424242424242": "success",
  "4000000000000002": "card_declined",
  "4000000000003220": "three_ds",
  "4000000000000119": "primary_unavailable",
  "4000000000000077": "timeout",
  "4000000000000200": "slow",
  "4000000000000424": "rate_limited",
  "4000000000000507": "answer_lost",
};

export function scenarioOf(charge: CreateCharge): Scenario {
  const method = charge.payment_method;
  if (method.type === "bank_transfer") {
    return method.bank_id.startsWith("fail_") ? "bank_declined" : "bank";
  }
  const scenario = TEST_CARDS[method.card.number] ?? "success";
  return scenario === "success" && charge.three_d_secure === "required"
    ? "three_ds_forced"
    : scenario;
}

export const isChallenge = (scenario: string) =>
  scenario === "three_ds" || scenario === "three_ds_forced";

/** Where a new charge stands the moment it is made. */
export function initialStatus(scenario: Scenario, capture: CreateCharge["capture"]) {
  if (scenario === "card_declined" || scenario === "bank_declined") return "declined";
  if (isChallenge(scenario)) return "requires_action";
  if (scenario === "bank") return "succeeded";
  return capture === "manual" ? "authorized" : "succeeded";
}

/** Why a declined charge was declined, in the sandbox's codes (which are also ours). */
export function failureOf(scenario: string, challenge: string | null) {
  if (challenge === "denied") {
    return { code: "authentication_failed", message: "3-D Secure authentication failed." };
  }
  if (scenario === "bank_declined") {
    return { code: "bank_declined", message: "The bank declined the transfer." };
  }
  return { code: "card_declined", message: "The card was declined." };
}
