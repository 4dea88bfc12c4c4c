/**
 * Locale and money for the payer's pages: the locale comes from `Accept-Language` (RFC 9110
 * §12.5.4), amounts are minor units shown with the currency's ISO 4217 exponent.
 */
import { currencyExponent } from "../schemas.js";

/**
 * The best locale the runtime supports among those the browser asks for, else `en`.
 *
 * @example
 * negotiateLocale("de-CH,de;q=0.9,en;q=0.5"); // "de-CH"
 */
export function negotiateLocale(header: string | null): string {
  const wanted = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.split(";").map((s) => s.trim());
      const q = params.find((p) => p.startsWith("q="));
      return { tag, q: q === undefined ? 1 : Number(q.slice(2)) };
    })
    .filter(({ tag, q }) => tag !== "" && tag !== "*" && q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported !== undefined) return supported;
    } catch {
      // Not a well-formed language tag: try the next one.
    }
  }
  return "en";
}

/**
 * Minor units in the currency's own format for the locale.
 *
 * @example
 * formatAmount(1050, "EUR", "de-DE"); // "10,50 €"
 * formatAmount(123456, "JPY", "en"); // "¥123,456"
 */
export function formatAmount(amount: number, currency: string, locale: string): string {
  const digits = currencyExponent(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}

/** The region a locale implies (`en-GB` → `GB`), to preselect the payer's country. */
export function regionOf(locale: string): string | null {
  try {
    return new Intl.Locale(locale).maximize().region ?? null;
  } catch {
    return null;
  }
}
