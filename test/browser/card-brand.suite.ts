/**
 * The card field as the payer types into it: the brand named beside the label (a polite live
 * region, from the page's catalogue), the security code sized for that brand, the number grouped
 * the brand's way, and a number failing Luhn marked as soon as it is whole. The rules are
 * static/card.js, the module the server checks the confirm with, so what the page lets through
 * the server takes.
 */
import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { EXPIRY, type Fixture, focusedId, payButton } from "./fixture.js";
import { createSession, retrieve } from "./support.js";

const AMEX = "378282246310005";

/** The field's error as the payer sees it: its description, shown only while it is invalid. */
const errorOf = (page: Page, id: string) =>
  page.locator(`#${id}`).evaluate((input) => {
    const slot = input.ownerDocument.getElementById(`${input.id}-error`);
    return input.getAttribute("aria-invalid") === "true" && slot?.hidden === false
      ? slot.textContent
      : null;
  });

const brandOf = (page: Page) => page.locator("#card-number-brand").textContent();

async function openCheckout(fx: Fixture, extra: Record<string, unknown> = {}) {
  const session = await createSession(fx.service, fx.site, extra);
  const page = await fx.newPage();
  await page.goto(session.link);
  return { session, page };
}

export function cardBrandSuite(fx: Fixture): void {
  describe("the card's brand as it is typed", () => {
    it("names the brand, sizes the security code for it and groups the number its way", async () => {
      const { page } = await openCheckout(fx);
      const number = page.getByLabel("Card number");
      const cvc = page.getByLabel("CVC");
      const slot = page.locator("#card-number-brand");
      expect(await slot.getAttribute("aria-live")).toBe("polite");
      expect(await brandOf(page)).toBe("");

      await number.pressSequentially("4");
      expect(await brandOf(page)).toBe("Visa card");
      await number.pressSequentially("242424242424242");
      expect(await number.inputValue()).toBe("4242 4242 4242 4242");
      expect([await cvc.getAttribute("maxlength"), await cvc.getAttribute("placeholder")]).toEqual([
        "3",
        "123",
      ]);

      await number.fill("");
      expect(await brandOf(page)).toBe("");
      await number.pressSequentially("37");
      expect(await brandOf(page)).toBe("American Express card");
      await number.pressSequentially(`${AMEX.slice(2)}9`); // one digit too many
      expect(await number.inputValue()).toBe("3782 822463 10005");
      expect(await errorOf(page, "card-number")).toBeNull();
      expect([await cvc.getAttribute("maxlength"), await cvc.getAttribute("placeholder")]).toEqual([
        "4",
        "1234",
      ]);
      // The label (the field's accessible name) says it too.
      expect(
        await page.getByRole("textbox", { name: "Card number American Express card" }).count(),
      ).toBe(1);

      // An American Express code takes 4 digits, and no fifth.
      await cvc.pressSequentially("12345");
      expect(await cvc.inputValue()).toBe("1234");
      await cvc.blur();
      expect(await errorOf(page, "card-cvc")).toBeNull();

      // Another card under it: the 4-digit code no longer fits, and the page says how many.
      await number.fill("5555 5555 5555 4444");
      expect(await brandOf(page)).toBe("Mastercard card");
      await cvc.focus();
      await cvc.blur();
      expect(await errorOf(page, "card-cvc")).toBe("Enter the 3 digit security code.");
      await cvc.fill("123");
      expect(await errorOf(page, "card-cvc")).toBeNull();
    });

    it("marks a number failing Luhn as soon as it is whole, before the payer leaves the field", async () => {
      const { page } = await openCheckout(fx);
      const number = page.getByLabel("Card number");
      await number.pressSequentially("424242424242424");
      expect(await errorOf(page, "card-number")).toBeNull(); // not whole yet: no error while typing
      await number.pressSequentially("1");
      expect(await focusedId(page)).toBe("card-number");
      expect(await errorOf(page, "card-number")).toBe("Enter a valid card number.");
      await number.press("Backspace");
      await number.pressSequentially("2");
      expect(await errorOf(page, "card-number")).toBeNull();

      // American Express is whole at 15 digits.
      await number.fill("");
      await number.pressSequentially(`${AMEX.slice(0, 14)}6`);
      expect(await errorOf(page, "card-number")).toBe("Enter a valid card number.");
    });

    it("names Troy on a Turkish lira session, in Turkish", async () => {
      const { page } = await openCheckout(fx, { currency: "TRY", locale: "tr" });
      const number = page.getByLabel("Kart numarası");
      await number.pressSequentially("9792030394440796");
      expect(await brandOf(page)).toBe("Troy kartı");
      expect(await page.getByLabel("Güvenlik kodu").getAttribute("maxlength")).toBe("3");
      expect(await errorOf(page, "card-number")).toBeNull();
    });

    it("an American Express card with a 3-digit code is stopped on the page; with 4 it pays", async () => {
      const { session, page } = await openCheckout(fx);
      const confirms: Request[] = [];
      page.on("request", (r) => {
        if (r.url().endsWith("/confirm")) confirms.push(r);
      });
      await page.getByLabel("Email").fill("ada@example.com");
      await page.getByLabel("Full name").fill("Ada Lovelace");
      await page.getByLabel("Card number").fill(AMEX);
      await page.getByLabel("Expiry").fill(EXPIRY);
      await page.getByLabel("CVC").fill("123");
      // Left first, so the message it gets on blur does not move Pay under the pointer.
      await page.getByLabel("CVC").blur();
      await payButton(page).click();
      expect(await focusedId(page)).toBe("card-cvc");
      expect(await errorOf(page, "card-cvc")).toBe("Enter the 4 digit security code.");
      expect(confirms).toEqual([]);

      await page.getByLabel("CVC").fill("1234");
      await payButton(page).click();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
      expect(confirms).toHaveLength(1);
      const sent = confirms[0]?.postDataJSON();
      expect(sent.payment_method.card).toMatchObject({ number: AMEX, cvc: "1234" });
      const paid = (await retrieve(fx.service, session.id)).checkout_session;
      expect(paid.status).toBe("COMPLETED");
      expect(paid.payment?.charges[0]?.payment_method).toEqual({
        type: "card",
        card: { brand: "amex", last4: "0005" },
      });
    });
  });
}
