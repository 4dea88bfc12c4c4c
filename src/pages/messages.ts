/**
 * The payer pages' words in the page's language. The catalogues (src/pages/i18n/, one module per
 * language, typed so that every language has every key) are served to the Worker as static
 * assets, static/i18n/<language>.json, read through the `ASSETS` binding once per isolate:
 * none of them is in the Worker's bundle. The page's script gets its part of the catalogue
 * from the page itself (`data-messages` on `<body>`: no inline script under the CSP).
 */
import * as z from "zod";
import type { PayerLanguage } from "../schemas.js";
import { type PageLanguage, pageLanguage } from "./format.js";
import { type Html, html, type Part } from "./html.js";
import type { MessageKey } from "./i18n/en.js";

/** A catalogue as stored: data from storage, parsed, never trusted as it stands. */
const StoredCatalogue = z.object({
  page: z.record(z.string(), z.string()),
  script: z.record(z.string(), z.string()),
});
type StoredCatalogue = z.infer<typeof StoredCatalogue>;

/** Read once per isolate; only settled catalogues are kept (no promise crosses requests). */
const loaded = new Map<PayerLanguage, StoredCatalogue>();

const PLACEHOLDER = /\{(\w+)\}/g;

/** One page's words: its language, its locale, and its catalogue. */
export class Messages {
  constructor(
    readonly language: PayerLanguage,
    /** How the page writes numbers and dates, e.g. `tr-TR`; also its `<html lang>`. */
    readonly locale: string,
    private readonly catalogue: StoredCatalogue,
  ) {}

  /** Plain text with its placeholders filled in (attributes, titles, …). */
  text(key: MessageKey, values: Record<string, string | number> = {}): string {
    return this.template(key).replace(PLACEHOLDER, (whole, name: string) =>
      String(values[name] ?? whole),
    );
  }

  /** Markup: the text escaped, each placeholder a part as `html` renders it (markup kept). */
  html(key: MessageKey, values: Record<string, Part> = {}): Html {
    const pieces = this.template(key).split(/\{(\w+)\}/);
    return html`${pieces.map((piece, i) => (i % 2 === 0 ? piece : (values[piece] ?? `{${piece}}`)))}`;
  }

  /** `one` or `other` by the language's plural rules, `{count}` filled in. */
  count(one: MessageKey, other: MessageKey, n: number): string {
    const rule = new Intl.PluralRules(this.locale).select(n);
    return this.text(rule === "one" ? one : other, { count: n });
  }

  /** What the page's script shows, as JSON for `data-messages`. */
  scriptMessages(): string {
    return JSON.stringify(this.catalogue.script);
  }

  private template(key: MessageKey): string {
    return this.catalogue.page[key] ?? this.catalogue.script[key] ?? key;
  }
}

async function catalogueOf(
  env: Env,
  request: Request,
  language: PayerLanguage,
): Promise<StoredCatalogue> {
  const known = loaded.get(language);
  if (known !== undefined) return known;
  const stored = await env.ASSETS.fetch(new URL(`/i18n/${language}.json`, request.url));
  if (!stored.ok) throw new Error(`catalogue ${language}: ${stored.status}`);
  const catalogue = StoredCatalogue.parse(await stored.json());
  loaded.set(language, catalogue);
  return catalogue;
}

/**
 * The words for a page of a session whose `locale` is `sessionLocale` (`auto` when there is
 * no session to ask): see `pageLanguage` for how the language is chosen.
 *
 * @example
 * const m = await messagesFor(env, request, view.locale);
 * m.text("payAmount", { amount: "₺125,00" }); // "₺125,00 öde" for a Turkish browser
 */
export async function messagesFor(
  env: Env,
  request: Request,
  sessionLocale = "auto",
): Promise<Messages> {
  const chosen: PageLanguage = pageLanguage(sessionLocale, request.headers.get("accept-language"));
  return new Messages(
    chosen.language,
    chosen.locale,
    await catalogueOf(env, request, chosen.language),
  );
}
