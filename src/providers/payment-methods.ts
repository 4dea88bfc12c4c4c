/**
 * The payment methods a session offers: what the merchant accepts (`merchants.payment_methods`),
 * and for bank transfers the banks its providers can pay through. The sandbox offers a fixed
 * list per country: two banks that settle at once and one `fail_…` bank that declines
 * (src/providers/sandbox.ts), so every outcome can be reached from a payer's page.
 */
import { isSandboxProvider } from "./sandbox.js";

export interface Bank {
  /** What a confirm sends as `payment_method.bank_id`. */
  id: string;
  /** The integer id StableMint's API names it by (`savedBanks[].bankId`). */
  number: number;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** `series` numbers a country's banks: `series * 100 + 1`, `+ 2`, and `+ 99` for the failing one. */
function sandboxBanks(country: string, series: number, names: [string, string]): Bank[] {
  const lower = country.toLowerCase();
  return [
    { id: `sandbox_${lower}_1`, number: series * 100 + 1, name: names[0], country },
    { id: `sandbox_${lower}_2`, number: series * 100 + 2, name: names[1], country },
    { id: `fail_${lower}_1`, number: series * 100 + 99, name: "Declining Test Bank", country },
  ];
}

/** Sorted by country code, then as listed. */
export const SANDBOX_BANKS: readonly Bank[] = [
  ...sandboxBanks("DE", 1, ["Musterbank", "Demo Sparkasse"]),
  ...sandboxBanks("FR", 2, ["Banque Exemple", "Crédit Démo"]),
  ...sandboxBanks("GB", 3, ["Example Bank", "Sample Building Society"]),
  ...sandboxBanks("NL", 4, ["Voorbeeld Bank", "Test Spaarbank"]),
  ...sandboxBanks("PL", 5, ["Bank Przykładowy", "Testowy Bank"]),
];

/**
 * The banks a merchant's providers can pay through: the sandbox list when any of its providers
 * is a sandbox provider, none otherwise (an outside provider's list would come from it).
 *
 * @example
 * banksFor(["sandbox", "sandbox_backup"]).map((b) => b.id); // ["sandbox_de_1", "sandbox_de_2", "fail_de_1", …]
 */
export function banksFor(providers: readonly string[]): readonly Bank[] {
  return providers.some(isSandboxProvider) ? SANDBOX_BANKS : [];
}

export interface OfferedBank extends Bank {
  /** Absolute: pages and the merchant's own widget show it as is. */
  logoUrl: string;
}

/** What a session offers its payer, fixed when it is created. */
export interface OfferedPaymentMethods {
  card: boolean;
  /** Empty when bank transfers are not offered. */
  banks: OfferedBank[];
}

/** Where this Worker serves a bank's logo (src/routes/stablemint.ts). */
export const bankLogoPath = (bankId: string) => `/banks/${encodeURIComponent(bankId)}/logo.svg`;

/**
 * What a new session of a merchant offers: the methods it accepts, with its providers' banks.
 *
 * @example
 * offeredPaymentMethods(["card", "bank_transfer"], merchant, "https://pay.example");
 * // { card: true, banks: [{ id: "sandbox_de_1", …, logoUrl: "https://pay.example/banks/sandbox_de_1/logo.svg" }, …] }
 */
export function offeredPaymentMethods(
  methods: readonly ("card" | "bank_transfer")[],
  merchant: { providers: readonly string[] },
  origin: string,
): OfferedPaymentMethods {
  const banks = methods.includes("bank_transfer") ? banksFor(merchant.providers) : [];
  return {
    card: methods.includes("card"),
    banks: banks.map((bank) => ({ ...bank, logoUrl: `${origin}${bankLogoPath(bank.id)}` })),
  };
}

export const findBank = (offered: OfferedPaymentMethods, bankId: string) =>
  offered.banks.find((bank) => bank.id === bankId);

/**
 * A bank's logo: a small generated SVG (its initials on a colour of its own), served from this
 * Worker so no page depends on an outside host.
 */
export function bankLogoSvg(bank: Bank): string {
  let hash = 0;
  for (const char of bank.id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const initials = bank.name
    .split(/\s+/)
    .map((word) => word[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="hsl(${hash % 360} 55% 38%)"/><text x="32" y="41" font-family="system-ui,sans-serif" font-size="24" font-weight="600" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
}
