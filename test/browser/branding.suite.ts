/**
 * The merchant's branding as Chromium draws it: a 160×40 wordmark keeps its ratio and stays
 * legible on a desktop and a phone, a brand colour white text cannot read on (orange) falls back
 * to black text on the pay button and to a darker shade for accents and links, and a sandbox
 * session says "Test mode" where the payer sees it.
 */
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, payButton, seen } from "./fixture.js";
import { createSession, OPEN_SHOP, patchMerchant } from "./support.js";

/** The drawn size of an element, in CSS pixels. */
async function box(locator: Locator) {
  const drawn = await locator.boundingBox();
  if (drawn === null) throw new Error("not drawn");
  return drawn;
}

const style = (locator: Locator, property: string) =>
  locator.evaluate(
    (el, name) => el.ownerDocument.defaultView.getComputedStyle(el).getPropertyValue(name),
    property,
  );

export function brandingSuite(fx: Fixture): void {
  describe("the merchant's branding in the browser", () => {
    beforeAll(async () => {
      await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
        logo_url: `${fx.site.origin}/wordmark.svg`,
        brand_color: "#ff8800",
        support_url: `${fx.site.origin}/help`,
      });
    });
    afterAll(async () => {
      await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
        logo_url: null,
        brand_color: null,
        support_url: null,
      });
    });
    const create = () => createSession(fx.service, fx.site, {}, OPEN_SHOP.secretKey);

    it.each([
      ["a desktop", { width: 1280, height: 820 }],
      ["a 375 px phone", { width: 375, height: 812 }],
    ])(
      "a 160×40 wordmark keeps its ratio and is at least 120 px wide on %s",
      async (_, viewport) => {
        const page = await fx.newPage({ viewport });
        await page.goto((await create()).link);
        const logo = page.locator("img.logo");
        await expect.poll(() => logo.evaluate((img) => img.naturalWidth)).toBe(160);
        const { width, height } = await box(logo);
        expect(width).toBeGreaterThanOrEqual(120);
        expect(width / height).toBeCloseTo(4, 1);
        // And the merchant's name still fits beside it, on one line.
        const name = await box(page.locator(".merchant-name"));
        expect(name.height).toBeLessThan(30);
      },
    );

    it("orange: black text on the pay button, darker accents and links, all as computed", async () => {
      const page = await fx.newPage();
      await page.goto((await create()).link);
      const pay = payButton(page);
      await expect.poll(() => style(pay, "background-color")).toBe("rgb(255, 136, 0)");
      expect(await style(pay, "color")).toBe("rgb(0, 0, 0)");
      // A focused field's border is the accent: orange darkened to 3:1 on white.
      const email = page.getByLabel("Email");
      await email.focus();
      expect(await style(email, "border-top-color")).toBe("rgb(224, 120, 0)");
      // The help link: orange darkened to 4.5:1 on the page's background.
      const help = page.getByRole("link", { name: "Need help? Contact Open Shop" });
      expect(await help.getAttribute("href")).toBe(`${fx.site.origin}/help`);
      expect(await style(help, "color")).toBe("rgb(173, 92, 0)");
    });

    it("a sandbox session says Test mode, in words, above the checkout", async () => {
      const page = await fx.newPage();
      await page.goto((await create()).link);
      const badge = page.locator(".test-mode");
      expect(await badge.isVisible()).toBe(true);
      expect(await seen(badge)).toMatch(/^TEST MODE This is a sandbox payment/);
      // Above the summary and the form, where it is seen first.
      expect((await box(badge)).y).toBeLessThan((await box(page.locator(".summary"))).y);
    });
  });
}
