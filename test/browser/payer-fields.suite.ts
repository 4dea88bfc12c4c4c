/**
 * The payer details a session asks for (`payer_fields` at create): phone, billing address and
 * shipping address, "same as billing" or not, paid for real. The merchant's view of a session
 * holds no payer details, so what the payer gave is read from the confirm request the page sent
 * (observed, not intercepted), and that it was accepted from the session's completion.
 */
import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, fillPayer, focusedId, payButton, seen } from "./fixture.js";
import { CARDS, createSession, retrieve } from "./support.js";

const billing = (page: Page) => page.getByRole("group", { name: "Billing address" });
const shipping = (page: Page) => page.getByRole("group", { name: "Shipping address" });

async function fillAddress(group: ReturnType<typeof billing>, line1: string, city: string) {
  await group.getByLabel("Address line 1").fill(line1);
  await group.getByLabel("City").fill(city);
  await group.getByLabel("Postal code").fill("EH6 6LB");
  await group.getByLabel("Country").selectOption("GB");
}

/** The confirm requests the page sends, as they leave the browser. */
function confirmsOf(page: Page): Request[] {
  const confirms: Request[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/confirm")) confirms.push(request);
  });
  return confirms;
}

export function payerFieldsSuite(fx: Fixture): void {
  const returnPage = (id: string) => `${fx.site.origin}/return?session_id=${id}`;

  describe("the payer details a session asks for", () => {
    it("phone optional, shipping 'same as billing': the payer gives the billing address once and pays", async () => {
      const session = await createSession(fx.service, fx.site, {
        payer_fields: {
          phone: "optional",
          billing_address: "required",
          shipping_address: "required",
        },
      });
      const page = await fx.newPage();
      const confirms = confirmsOf(page);
      await page.goto(session.link);
      expect(await page.getByLabel("Phone (optional)").isVisible()).toBe(true);
      // The country is preselected from the payer's locale (en-GB).
      expect(await billing(page).getByLabel("Country").inputValue()).toBe("GB");
      expect(await page.getByLabel("Same as billing address").isChecked()).toBe(true);
      expect(await shipping(page).getByLabel("City").isVisible()).toBe(false);

      // The billing address is required: Pay points at what is missing and sends nothing.
      await fillPayer(page, CARDS.success);
      await payButton(page).click();
      expect(await focusedId(page)).toBe("billing-line1");
      expect(await seen(page.locator("#billing-city-error"))).toBe("City is required.");
      expect(confirms).toEqual([]);

      await fillAddress(billing(page), "12 Harbour Street", "Edinburgh");
      await payButton(page).click();
      await page.waitForURL(returnPage(session.id));
      expect(confirms).toHaveLength(1);
      expect(confirms[0]?.postDataJSON().payer).toEqual({
        email: "ada@example.com",
        name: "Ada Lovelace",
        billing_address: {
          line1: "12 Harbour Street",
          city: "Edinburgh",
          postal_code: "EH6 6LB",
          country: "GB",
        },
        shipping_same_as_billing: true,
      });
      // The service took it: a required shipping address is met by "same as billing".
      expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("COMPLETED");
    });

    it("phone required, 'same as billing' unticked: the payer is asked for the shipping address too, and pays", async () => {
      const session = await createSession(fx.service, fx.site, {
        payer_fields: {
          phone: "required",
          billing_address: "required",
          shipping_address: "required",
        },
      });
      const page = await fx.newPage();
      const confirms = confirmsOf(page);
      await page.goto(session.link);
      await fillPayer(page, CARDS.success);
      await fillAddress(billing(page), "12 Harbour Street", "Edinburgh");
      await page.getByLabel("Same as billing address").uncheck();
      expect(await shipping(page).getByLabel("City").isVisible()).toBe(true);

      await payButton(page).click();
      expect(await focusedId(page)).toBe("phone");
      expect(await seen(page.locator("#phone-error"))).toBe("Phone is required.");
      expect(await seen(page.locator("#shipping-line1-error"))).toBe("Address line 1 is required.");
      expect(confirms).toEqual([]);

      await page.getByLabel("Phone").fill("+44 131 496 0000");
      await fillAddress(shipping(page), "1 Dock Road", "Glasgow");
      await payButton(page).click();
      await page.waitForURL(returnPage(session.id));
      expect(confirms).toHaveLength(1);
      const payer = confirms[0]?.postDataJSON().payer;
      expect(payer).toMatchObject({
        phone: "+44 131 496 0000",
        billing_address: { line1: "12 Harbour Street", city: "Edinburgh" },
        shipping_address: { line1: "1 Dock Road", city: "Glasgow", country: "GB" },
        shipping_same_as_billing: false,
      });
      expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("COMPLETED");
    });
  });
}
