/**
 * The hosted page for every payer: inline validation, keyboard-only payment, a 375 px phone,
 * and amounts in the payer's locale.
 */
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { EXPIRY, type Fixture, fillPayer, focusedId, payButton, seen } from "./fixture.js";
import { CARDS, createSession } from "./support.js";

export function everyPayerSuite(fx: Fixture): void {
  describe("the hosted page for every payer", () => {
    it("validates inline: a clear message by each field, nothing sent until the form is right", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const confirms: Request[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/confirm")) confirms.push(request);
      });
      await page.goto(session.link);

      await payButton(page).click();
      expect(await focusedId(page)).toBe("email");
      // The message is the field's accessible description, shown only while it is invalid.
      const messageOf = (label: string) =>
        page.getByLabel(label).evaluate((input) => {
          const slot = input.ownerDocument.getElementById(input.getAttribute("aria-describedby"));
          return input.getAttribute("aria-invalid") === "true" && slot?.hidden === false
            ? slot.textContent
            : null;
        });
      expect(await messageOf("Email")).toBe("Email is required.");
      expect(await messageOf("Card number")).toBe("Card number is required.");

      const typed: [string, string, string][] = [
        ["Email", "ada@", "Enter an email address like name@example.com."],
        ["Card number", "4242 4242 4242 4241", "Enter a valid card number."],
        ["Expiry", "01 / 20", "This card has expired."],
        ["CVC", "12", "Enter the 3 digit security code."], // a Visa number is typed above
      ];
      for (const [label, value, message] of typed) {
        await page.getByLabel(label).fill(value);
        await page.getByLabel(label).blur();
        expect(await messageOf(label)).toBe(message);
      }
      await payButton(page).click();
      expect(confirms).toEqual([]);

      // Corrected, each message goes as the payer types; then the payment goes through.
      await fillPayer(page, CARDS.success);
      for (const [label] of typed) expect(await messageOf(label)).toBeNull();
      await payButton(page).click();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
      expect(confirms).toHaveLength(1);
    });

    it("keyboard only: Tab reaches every labelled field in order, Enter on Pay pays", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      await page.goto(session.link);
      const steps: [string, string | null][] = [
        ["exit", null],
        ["email", "ada@example.com"],
        ["name", "Ada Lovelace"],
        ["card-number", CARDS.success],
        ["card-expiry", EXPIRY.replace(/\D/g, "")],
        ["card-cvc", "123"],
        ["pay-button", null],
      ];
      for (const [id, text] of steps) {
        await page.keyboard.press("Tab");
        expect(await focusedId(page)).toBe(id);
        if (text !== null) await page.keyboard.type(text);
      }
      // Card number and expiry were formatted as they were typed.
      expect(await page.getByLabel("Card number").inputValue()).toBe("4242 4242 4242 4242");
      expect(await page.getByLabel("Expiry").inputValue()).toBe(EXPIRY);
      // The focused button shows a focus ring, and its name starts with "Pay".
      const button = page.locator(":focus");
      const outline = await button.evaluate(
        (el) => el.ownerDocument.defaultView.getComputedStyle(el).outlineStyle,
      );
      expect(outline).not.toBe("none");
      expect(await seen(button)).toBe("Pay €23.50");
      await page.keyboard.press("Enter");
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
    });

    it("fits a 375 px phone: no sideways scroll, 16 px inputs, a full-width Pay button to tap", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage({
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      });
      await page.goto(session.link);
      const width = await page.locator("html").evaluate((html) => html.scrollWidth);
      expect(width).toBeLessThanOrEqual(375);
      const sizes = await page
        .locator("input")
        .evaluateAll((inputs) =>
          inputs.map((i) =>
            Number.parseFloat(i.ownerDocument.defaultView.getComputedStyle(i).fontSize),
          ),
        );
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16); // below 16 px, iOS zooms on focus
      await fillPayer(page, CARDS.success);
      const button = await payButton(page).boundingBox();
      expect(button?.width).toBeGreaterThan(300);
      expect(button?.height).toBeGreaterThanOrEqual(44);
      await payButton(page).tap();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
    });

    it("formats the amount for the payer's locale and the currency's minor units", async () => {
      const euros = await createSession(fx.service, fx.site);
      const yen = await createSession(fx.service, fx.site, { currency: "JPY", line_items: [] });
      const german = await fx.newPage({ locale: "de-DE" });
      await german.goto(euros.link);
      expect(await seen(german.locator("#total"))).toBe("23,50\u00a0€");
      // A German browser gets the whole page in German (the session's locale is `auto`).
      expect(await seen(german.locator("#pay-button"))).toBe("23,50\u00a0€ bezahlen");
      const american = await fx.newPage({ locale: "en-US" });
      await american.goto(yen.link);
      expect(await seen(american.locator("#total"))).toBe("¥2,350");
    });
  });
}
