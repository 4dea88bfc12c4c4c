/**
 * Risk checks before a charge: explainable rules, each giving a score with a reason, added up
 * (at most 100) and held against the merchant's thresholds (`PATCH /v1/merchant` `risk`):
 * at `block_score` the confirm is declined `risk_blocked` without a charge sent, at
 * `require_3ds_score` the provider is asked to authenticate the payer. Pure: the counts and
 * countries come in as facts (src/risk/signals.ts gathers them).
 *
 * @example
 * assessRisk({ method: "card", amount: 5000, currency: "EUR", cardConfirms: 6, emailConfirms: 1,
 *   ipConfirms: null, billingCountry: "DE", cardCountry: "DE", ipCountry: null, sessionDeclines: 0 },
 *   DEFAULT_RISK_SETTINGS);
 * // { decision: "block", score: 90, reasons: [{ rule: "card_velocity", score: 90, reason: "…" }] }
 */
import * as z from "zod";
import type { RiskAssessment } from "../../machines/index.js";

/** Sliding window of the velocity rules, and how many confirms in it are still ordinary. */
export const VELOCITY_WINDOW_MS = 60 * 60 * 1000;
export const VELOCITY_LIMITS = { card: 5, email: 10, ip: 20 } as const;

const Score = z.number().int().min(1).max(100);

export const RiskSettings = z
  .object({
    /** A total at or above this declines the confirm (`risk_blocked`); null: never. */
    block_score: Score.nullable(),
    /** A total at or above this (below `block_score`) asks for 3-D Secure; null: never. */
    require_3ds_score: Score.nullable(),
    /** Amounts above these, in minor units by currency, score `amount_over_threshold`. */
    amount_thresholds: z.record(
      z.string().regex(/^[A-Z]{3}$/, "A currency code, e.g. EUR."),
      z.number().int().positive(),
    ),
  })
  .strict();
export type RiskSettings = z.infer<typeof RiskSettings>;

export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  block_score: 90,
  require_3ds_score: 60,
  amount_thresholds: {},
};

/** What is known of a confirm when it is assessed; null: not known. */
export interface RiskFacts {
  method: "card" | "bank_transfer";
  amount: number;
  currency: string;
  /** Confirms within the window with this card, this email, from this address: this one included. */
  cardConfirms: number | null;
  emailConfirms: number | null;
  ipConfirms: number | null;
  billingCountry: string | null;
  /** The card's issuing country, by its BIN. */
  cardCountry: string | null;
  /** Where the request came from (`request.cf.country`). */
  ipCountry: string | null;
  /** Charges of this session declined so far. */
  sessionDeclines: number;
}

type Reason = RiskAssessment["reasons"][number];

const over = (count: number | null, limit: number) => count !== null && count > limit;

/** Each rule: its score and reason when it speaks, else nothing. */
const RULES: Array<(facts: RiskFacts, settings: RiskSettings) => Reason | null> = [
  ({ cardConfirms }) =>
    over(cardConfirms, VELOCITY_LIMITS.card)
      ? {
          rule: "card_velocity",
          score: 90,
          reason: `This card was used ${cardConfirms} times within an hour (more than ${VELOCITY_LIMITS.card}).`,
        }
      : null,
  ({ emailConfirms }) =>
    over(emailConfirms, VELOCITY_LIMITS.email)
      ? {
          rule: "email_velocity",
          score: 40,
          reason: `This email paid ${emailConfirms} times within an hour (more than ${VELOCITY_LIMITS.email}).`,
        }
      : null,
  ({ ipConfirms }) =>
    over(ipConfirms, VELOCITY_LIMITS.ip)
      ? {
          rule: "ip_velocity",
          score: 40,
          reason: `This network address paid ${ipConfirms} times within an hour (more than ${VELOCITY_LIMITS.ip}).`,
        }
      : null,
  ({ cardCountry, billingCountry }) =>
    cardCountry !== null && billingCountry !== null && cardCountry !== billingCountry
      ? {
          rule: "billing_country_mismatch",
          score: 30,
          reason: `The card is from ${cardCountry}, the billing address in ${billingCountry}.`,
        }
      : null,
  ({ cardCountry, ipCountry }) =>
    cardCountry !== null && ipCountry !== null && cardCountry !== ipCountry
      ? {
          rule: "ip_country_mismatch",
          score: 30,
          reason: `The card is from ${cardCountry}, the payer connects from ${ipCountry}.`,
        }
      : null,
  ({ amount, currency }, { amount_thresholds }) => {
    const threshold = amount_thresholds[currency];
    return threshold !== undefined && amount > threshold
      ? {
          rule: "amount_over_threshold",
          score: 60,
          reason: `${amount} ${currency} (minor units) is above the merchant's threshold of ${threshold}.`,
        }
      : null;
  },
  ({ sessionDeclines }) =>
    sessionDeclines >= 2
      ? {
          rule: "session_declines",
          score: sessionDeclines >= 3 ? 90 : 40,
          reason: `This checkout already had ${sessionDeclines} declined charges.`,
        }
      : null,
];

export function assessRisk(facts: RiskFacts, settings: RiskSettings): RiskAssessment {
  const reasons = RULES.map((rule) => rule(facts, settings)).filter((r) => r !== null);
  const score = Math.min(
    100,
    reasons.reduce((sum, reason) => sum + reason.score, 0),
  );
  const reached = (threshold: number | null) => threshold !== null && score >= threshold;
  // A bank transfer has no 3-D Secure to ask for: below the block, it goes ahead.
  const decision = reached(settings.block_score)
    ? "block"
    : reached(settings.require_3ds_score) && facts.method === "card"
      ? "require_3ds"
      : "allow";
  return { decision, score, reasons };
}
