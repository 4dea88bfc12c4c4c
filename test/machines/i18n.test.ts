/**
 * The payer pages' catalogues (src/pages/i18n/, one module per language): every language has
 * exactly English's keys (the `Catalogue` type says so at compile time, this at run time), each
 * with the same placeholders and none empty; the page script asks only for keys that exist; and
 * static/i18n/<language>.json, what the Worker reads through its ASSETS binding, is each
 * catalogue as it stands: `UPDATE_I18N=1 npx vitest run --project machines
 * test/machines/i18n.test.ts` writes them, as `npm run openapi` does static/openapi.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { en } from "../../src/pages/i18n/en.js";
import { CATALOGUES } from "../../src/pages/i18n/index.js";
import { PAYER_LANGUAGES } from "../../src/schemas.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const sections = ["page", "script"] as const;
const others = PAYER_LANGUAGES.filter((language) => language !== "en");

describe("the payer pages' catalogues", () => {
  it("cover exactly the languages the pages speak", () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual([...PAYER_LANGUAGES].sort());
  });

  describe.each(others)("%s", (language) => {
    const catalogue = CATALOGUES[language];

    it.each(sections)("has exactly English's %s keys", (section) => {
      const keys = Object.keys(catalogue[section]);
      const english = Object.keys(en[section]);
      expect({
        missing: english.filter((key) => !keys.includes(key)),
        extra: keys.filter((key) => !english.includes(key)),
      }).toEqual({ missing: [], extra: [] });
    });

    it.each(sections)("has English's placeholders in every %s string", (section) => {
      const english: Record<string, string> = en[section];
      const differ = Object.entries(catalogue[section]).filter(
        ([key, text]) =>
          JSON.stringify(placeholders(text)) !== JSON.stringify(placeholders(english[key] ?? "")),
      );
      expect(differ).toEqual([]);
    });
  });

  it("have no empty string, and no key in both sections", () => {
    for (const language of PAYER_LANGUAGES) {
      for (const section of sections) {
        const blank = Object.entries(CATALOGUES[language][section]).filter(
          ([, text]) => text.trim() === "" || text !== text.trim(),
        );
        expect(blank, `${language}.${section}`).toEqual([]);
      }
    }
    const both = Object.keys(en.page).filter((key) => Object.hasOwn(en.script, key));
    expect(both).toEqual([]);
  });

  it('have every key the page script asks for (static/checkout.js, `say("…")`)', () => {
    const script = readFileSync(new URL("../../static/checkout.js", import.meta.url), "utf8");
    const asked = [...script.matchAll(/\bsay\("(\w+)"/g)].map((m) => m[1] ?? "");
    expect(asked.length).toBeGreaterThan(10);
    expect(asked.filter((key) => !Object.hasOwn(en.script, key))).toEqual([]);
  });

  it.each(PAYER_LANGUAGES)("static/i18n/%s.json is the catalogue as it stands", (language) => {
    const file = new URL(`../../static/i18n/${language}.json`, import.meta.url);
    const text = `${JSON.stringify(CATALOGUES[language], null, 2)}\n`;
    if (process.env.UPDATE_I18N === "1") writeFileSync(file, text);
    expect(readFileSync(file, "utf8")).toBe(text);
  });
});
