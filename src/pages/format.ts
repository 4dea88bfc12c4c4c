/**
 * Language, locale and money for the payer's pages: the session's language, else the best one
 * the pages speak among those the browser asks for (`Accept-Language`, RFC 9110 §12.5.4), else
 * English; amounts are minor units shown with the currency's ISO 4217 exponent.
 */
import { currencyExponent, type PayerLanguage, payerLanguageOf } from "../schemas.js";

/** The language a page speaks, and the locale (with the payer's region) it writes numbers in. */
export interface PageLanguage {
  language: PayerLanguage;
  locale: string;
}

/** The tags of an `Accept-Language` header, most wanted first. */
function acceptedTags(header: string | null): string[] {
  return (header ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.split(";").map((s) => s.trim());
      const q = params.find((p) => p.startsWith("q="));
      return { tag, q: q === undefined ? 1 : Number(q.slice(2)) };
    })
    .filter(({ tag, q }) => tag !== "" && tag !== "*" && q > 0)
    .sort((a, b) => b.q - a.q)
    .map(({ tag }) => tag);
}

/**
 * The page's language: the session's (`locale` at create) unless it is `auto`, else the first
 * language the pages speak among those the browser asks for, else English. A session's bare
 * language takes the browser's region for it (`es` for an `es-MX` browser writes as es-MX).
 *
 * @example
 * pageLanguage("auto", "it-IT,tr-TR;q=0.8"); // { language: "tr", locale: "tr-TR" }
 * pageLanguage("de", "tr-TR"); // { language: "de", locale: "de" }
 */
export function pageLanguage(sessionLocale: string, acceptLanguage: string | null): PageLanguage {
  const wanted = acceptedTags(acceptLanguage).flatMap((tag) => payerLanguageOf(tag) ?? []);
  const chosen = sessionLocale === "auto" ? null : payerLanguageOf(sessionLocale);
  if (chosen === null) {
    const first = wanted[0];
    return first === undefined
      ? { language: "en", locale: "en" }
      : { language: first.language, locale: first.tag };
  }
  const regional = chosen.tag.includes("-")
    ? undefined
    : wanted.find((tag) => tag.language === chosen.language);
  return { language: chosen.language, locale: (regional ?? chosen).tag };
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

/**
 * A moment as the locale writes it, in UTC and saying so (the server does not know the payer's
 * time zone).
 *
 * @example
 * formatDate("2026-12-01T19:11:00.000Z", "tr-TR"); // "1 Aralık 2026 19:11 UTC"
 */
export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** The region a locale implies (`en-GB` → `GB`), to preselect the payer's country. */
export function regionOf(locale: string): string | null {
  try {
    return new Intl.Locale(locale).maximize().region ?? null;
  } catch {
    return null;
  }
}
