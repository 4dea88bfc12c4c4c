/**
 * A merchant's routing rules (`PATCH /v1/merchant` `routing_rules`): evaluated in order at each
 * confirm, the first whose every condition holds gives the payment its provider list, and each
 * charge records the rule's name. None matching: the merchant's `providers` order.
 *
 * @example
 * routeFor([{ name: "try-cards", match: { currency: ["TRY"] }, providers: ["sandbox_backup"] }],
 *   { currency: "TRY", amount: 12500, method: "card", brand: "troy", country: "TR" });
 * // { rule: "try-cards", providers: ["sandbox_backup"] }
 */
import * as z from "zod";

export const MAX_ROUTING_RULES = 20;

const Upper = (length: number) => z.string().regex(new RegExp(`^[A-Z]{${length}}$`));

export const RoutingMatch = z
  .object({
    currency: z.array(Upper(3)).min(1).max(50),
    amount_gte: z.number().int().nonnegative(),
    amount_lte: z.number().int().nonnegative(),
    payment_method: z.enum(["card", "bank_transfer"]),
    card_brand: z
      .array(z.string().regex(/^[a-z_]{2,20}$/))
      .min(1)
      .max(10),
    /** The card's issuing country (ISO 3166-1 alpha-2), from its BIN. */
    card_country: z.array(Upper(2)).min(1).max(50),
  })
  .partial()
  .strict();
export type RoutingMatch = z.infer<typeof RoutingMatch>;

/** One rule, its providers checked against the known names where the rule is set. */
export const routingRule = <P extends z.ZodType<string>>(providers: P) =>
  z
    .object({
      name: z.string().regex(/^[\w.-]{1,64}$/, "1-64 letters, digits, _ . or -."),
      match: RoutingMatch,
      providers: z
        .array(providers)
        .min(1)
        .refine((names) => new Set(names).size === names.length, "Each provider at most once."),
    })
    .strict()
    .refine(
      (rule) =>
        rule.match.amount_gte === undefined ||
        rule.match.amount_lte === undefined ||
        rule.match.amount_gte <= rule.match.amount_lte,
      { message: "amount_gte must not be above amount_lte.", path: ["match"] },
    );

/** Rules as a session keeps them (from its merchant at creation): stored data, parsed again. */
export const RoutingRules = z.array(routingRule(z.string().min(1))).max(MAX_ROUTING_RULES);
export type RoutingRule = z.infer<typeof RoutingRules>[number];

/** What a confirm tells the rules: the payment and the method the payer chose. */
export interface RoutingFacts {
  currency: string;
  amount: number;
  method: "card" | "bank_transfer";
  /** `visa`, `mastercard`, … or `unknown`; null for a bank transfer. */
  brand: string | null;
  /** The card's country by its BIN, when the table knows it. */
  country: string | null;
}

function matches(match: RoutingMatch, facts: RoutingFacts): boolean {
  const card = facts.method === "card";
  return (
    (match.currency === undefined || match.currency.includes(facts.currency)) &&
    (match.amount_gte === undefined || facts.amount >= match.amount_gte) &&
    (match.amount_lte === undefined || facts.amount <= match.amount_lte) &&
    (match.payment_method === undefined || match.payment_method === facts.method) &&
    (match.card_brand === undefined || (card && match.card_brand.includes(facts.brand ?? ""))) &&
    (match.card_country === undefined ||
      (card && facts.country !== null && match.card_country.includes(facts.country)))
  );
}

/** The first rule that holds, as the payment's route; null: the merchant's default order. */
export function routeFor(
  rules: readonly RoutingRule[],
  facts: RoutingFacts,
): { rule: string; providers: string[] } | null {
  const rule = rules.find((candidate) => matches(candidate.match, facts));
  return rule === undefined ? null : { rule: rule.name, providers: [...rule.providers] };
}

/**
 * Card countries by BIN for the sandbox's test cards (a provider's BIN table stands in for this
 * in production): the country cards (the ISO numeric code in the number), Troy (9792) in Turkey,
 * every other test card in the United States. Longest prefix first.
 */
const BIN_COUNTRIES: Array<[prefix: string, country: string]> = [
  ["4000000760000002", "BR"],
  ["4000001240000000", "CA"],
  ["4000002760000016", "DE"],
  ["4000007920000004", "TR"],
  ["4000008260000000", "GB"],
  ["9792", "TR"],
  ["2", "US"],
  ["3", "US"],
  ["4", "US"],
  ["5", "US"],
  ["6", "US"],
];

export function cardCountry(number: string): string | null {
  const digits = number.replace(/[\s-]/g, "");
  return BIN_COUNTRIES.find(([prefix]) => digits.startsWith(prefix))?.[1] ?? null;
}
