/**
 * Every payer's language, in the browser: a Turkish browser's page checks its fields, shows
 * its loading state and explains a decline in Turkish (the page script's messages come from the
 * page itself, `data-messages`), and a session's own `locale` wins over the browser's, through
 * the 3-D Secure challenge and back to the merchant.
 */
import { describe, expect, it } from "vitest";
import { EXPIRY, type Fixture, seen } from "./fixture.js";
import { CARDS, createSession } from "./support.js";

export function languagesSuite(fx: Fixture): void {
  describe("every payer's language", () => {
    it("a Turkish browser: Turkish messages from the script, ₺125,00 on a TRY session", async () => {
      const session = await createSession(fx.service, fx.site, {
        amount: 12500,
        currency: "TRY",
        line_items: [],
      });
      const page = await fx.newPage({ locale: "tr-TR" });
      await page.goto(session.link);
      expect(await page.locator("html").getAttribute("lang")).toBe("tr-TR");
      expect(await seen(page.locator("#total"))).toBe("₺125,00");
      const pay = page.getByRole("button", { name: "₺125,00 öde" });
      await pay.click();
      expect(await seen(page.locator("#email-error"))).toBe("E-posta zorunludur.");
      expect(await seen(page.locator("#card-number-error"))).toBe("Kart numarası zorunludur.");
      const email = page.getByLabel("E-posta");
      await email.fill("ada@");
      await email.blur();
      expect(await seen(page.locator("#email-error"))).toBe(
        "ad@ornek.com gibi bir e-posta adresi girin.",
      );
      await email.fill("ada@example.com");
      await page.getByLabel("Ad soyad").fill("Ada Lovelace");
      await page.getByLabel("Kart numarası").fill(CARDS.declined);
      await page.getByLabel("Son kullanma tarihi").fill(EXPIRY);
      await page.getByLabel("Güvenlik kodu").fill("123");
      await page.route("**/confirm", async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 700));
        await route.continue();
      });
      await pay.click();
      const busy = page.getByRole("button", { name: "İşleniyor…" });
      await expect.poll(() => busy.isDisabled()).toBe(true);
      const alert = page.getByRole("alert");
      await expect.poll(() => seen(alert)).toContain("Kartınız reddedildi.");
      expect(await seen(alert)).toContain("2 deneme hakkınız kaldı.");
    });

    it("the session's locale wins: German in a Turkish browser, challenge included", async () => {
      const session = await createSession(fx.service, fx.site, { locale: "de" });
      const page = await fx.newPage({ locale: "tr-TR" });
      await page.goto(session.link);
      expect(await page.locator("html").getAttribute("lang")).toBe("de");
      await page.getByLabel("E-Mail").fill("ada@example.com");
      await page.getByLabel("Vollständiger Name").fill("Ada Lovelace");
      await page.getByLabel("Kartennummer").fill(CARDS.challenge);
      await page.getByLabel("Gültig bis").fill(EXPIRY);
      await page.getByLabel("Prüfnummer").fill("123");
      await page.getByRole("button", { name: "23,50\u00a0€ bezahlen" }).click();
      await page.waitForURL(/\/sandbox\/challenge\//);
      expect(await page.locator("html").getAttribute("lang")).toBe("de");
      expect(await seen(page.locator("body"))).toContain("Bestätigen Sie die Zahlung von 23,50");
      await page.getByRole("button", { name: "Bestätigen" }).click();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
    });
  });
}
