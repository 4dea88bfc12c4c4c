/**
 * Phone, billing and shipping address ("same as billing"), and the choice of a bank, in Chromium.
 * A checkout-API session cannot ask for these yet (no `payer_fields` create parameter; banks are
 * offered by StableMint sessions, still being built), so this test serves the real
 * server-rendered page, script and stylesheet for views that ask for them, and checks the body
 * the page would send against the confirm endpoint's own zod schema. Nothing else stands in:
 * once sessions can ask, these move to the running service.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKOUT_JS } from "../../src/pages/assets/checkout-script.js";
import { CHECKOUT_CSS } from "../../src/pages/assets/checkout-style.js";
import { renderCheckout } from "../../src/pages/checkout-view.js";
import type { PublicView } from "../../src/pages/destinations.js";
import { renderDocument } from "../../src/pages/document.js";
import { ConfirmCheckoutSession } from "../../src/schemas.js";
import { EXPIRY, fillPayer, payButton, seen } from "./fixture.js";
import { CARDS, launchBrowser } from "./support.js";

const ORIGIN = "http://checkout.test";
const view: PublicView = {
  id: `cs_${"ab".repeat(32)}`,
  object: "checkout_session.public",
  status: "PENDING",
  amount: 4200,
  currency: "EUR",
  merchant: { name: "Corner Shop", logo_url: null },
  line_items: null,
  custom_fields: [],
  payer_fields: {
    name: "required",
    email: "required",
    phone: "optional",
    billing_address: "required",
    shipping_address: "required",
  },
  return_url: `${ORIGIN}/return`,
  cancel_url: null,
  error_url: null,
  support_url: null,
  payment_methods: null,
  expires_at: new Date(Date.now() + 3_600_000).toISOString(),
  payment: null,
  next_action: null,
};

const BANK_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#555"/></svg>`;
const bank = (id: string, name: string, country: string) => ({
  id,
  name,
  country,
  logo_url: `${ORIGIN}/banks/${id}/logo.svg`,
  last_used_at: null,
});
const withBanks: PublicView = {
  ...view,
  payer_fields: { ...view.payer_fields, billing_address: "hidden", shipping_address: "hidden" },
  payment_methods: [
    { type: "card", banks: null },
    {
      type: "bank_transfer",
      banks: [
        bank("sandbox_de_1", "Musterbank", "DE"),
        bank("sandbox_gb_1", "Example Bank", "GB"),
        bank("fail_gb_1", "Declining Test Bank", "GB"),
      ],
    },
  ],
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page as the Worker renders it; the confirm bodies it sends, as the Worker would get them. */
async function open(shown: PublicView = view): Promise<{ page: Page; sent: unknown[] }> {
  const page = await browser.newPage({ locale: "en-GB" });
  const sent: unknown[] = [];
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const fulfil = (body: string, contentType: string) =>
      route.fulfill({ status: 200, contentType, body });
    if (path === `/pay/${view.id}`) {
      const ctx = { locale: "en-GB", mode: "hosted" as const };
      const body = renderCheckout(shown, ctx);
      return fulfil(
        renderDocument({ title: "t", lang: "en", page: "hosted", body }).value,
        "text/html",
      );
    }
    if (path === "/assets/checkout.js") return fulfil(CHECKOUT_JS, "text/javascript");
    if (path === "/assets/checkout.css") return fulfil(CHECKOUT_CSS, "text/css");
    if (path.startsWith("/banks/")) return fulfil(BANK_LOGO, "image/svg+xml");
    if (path === `/pay/${view.id}/confirm`) {
      sent.push(route.request().postDataJSON());
      return route.fulfill({ status: 503, contentType: "application/json", body: "{}" });
    }
    return route.fulfill({ status: 404, body: "" });
  });
  await page.goto(`${ORIGIN}/pay/${view.id}`);
  expect(errors).toEqual([]);
  return { page, sent };
}

const billing = (page: Page) => page.getByRole("group", { name: "Billing address" });
const shipping = (page: Page) => page.getByRole("group", { name: "Shipping address" });

async function fillAddress(group: ReturnType<typeof billing>, city: string) {
  await group.getByLabel("Address line 1").fill("12 Harbour Street");
  await group.getByLabel("City").fill(city);
  await group.getByLabel("Postal code").fill("EH6 6LB");
  await group.getByLabel("Country").selectOption("GB");
}

describe("the payer details a session asks for", () => {
  it("shipping starts as 'same as billing'; the body says so and passes the confirm schema", async () => {
    const { page, sent } = await open();
    expect(await page.getByLabel("Phone (optional)").isVisible()).toBe(true);
    // The country is preselected from the payer's locale (en-GB).
    expect(await billing(page).getByLabel("Country").inputValue()).toBe("GB");
    const same = page.getByLabel("Same as billing address");
    expect(await same.isChecked()).toBe(true);
    expect(await shipping(page).getByLabel("City").isVisible()).toBe(false);

    await payButton(page).click();
    expect(sent).toEqual([]);
    const cityError = await billing(page)
      .getByLabel("City")
      .evaluate((input) => input.ownerDocument.getElementById(`${input.id}-error`).textContent);
    expect(cityError).toBe("City is required.");

    await fillPayer(page, CARDS.success);
    await fillAddress(billing(page), "Edinburgh");
    await payButton(page).click();
    await expect.poll(() => sent.length).toBe(1);
    const parsed = ConfirmCheckoutSession.parse(sent[0]);
    expect(parsed.payer).toEqual({
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
    expect(parsed.payment_method).toMatchObject({
      type: "card",
      card: { number: CARDS.success, exp_month: 12, cvc: "123" },
    });
    expect(EXPIRY).toContain(
      String(parsed.payment_method.type === "card" && parsed.payment_method.card.exp_year % 100),
    );
    // The service could not be reached (503 here): the payer is told, and may try again.
    expect(await seen(page.getByRole("alert"))).toBe("Something went wrong. Please try again.");
    expect(await payButton(page).isEnabled()).toBe(true);
  });

  it("unticking 'same as billing' asks for the shipping address, and sends it", async () => {
    const { page, sent } = await open();
    await fillPayer(page, CARDS.success);
    await fillAddress(billing(page), "Edinburgh");
    await page.getByLabel("Same as billing address").uncheck();
    expect(await shipping(page).getByLabel("City").isVisible()).toBe(true);
    await payButton(page).click();
    expect(sent).toEqual([]);
    expect(await page.locator(":focus").getAttribute("id")).toBe("shipping-line1");

    await fillAddress(shipping(page), "Glasgow");
    await page.getByLabel("Phone (optional)").fill("+44 131 496 0000");
    await payButton(page).click();
    await expect.poll(() => sent.length).toBe(1);
    const payer = ConfirmCheckoutSession.parse(sent[0]).payer;
    expect(payer?.phone).toBe("+44 131 496 0000");
    expect(payer?.shipping_address?.city).toBe("Glasgow");
    expect(payer?.shipping_same_as_billing).toBe(false);
  });

  it("offers card or bank transfer; the banks of the payer's country come first", async () => {
    const { page, sent } = await open(withBanks);
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Full name").fill("Ada Lovelace");
    const ways = page.getByRole("group", { name: "How would you like to pay?" });
    expect(await ways.getByLabel("Card").isChecked()).toBe(true);
    expect(await page.getByRole("group", { name: "Choose your bank" }).isVisible()).toBe(false);

    await ways.getByLabel("Bank transfer").check();
    expect(await page.getByLabel("Card number").isVisible()).toBe(false);
    const banks = page.getByRole("group", { name: "Choose your bank" });
    expect(await banks.locator(".bank-country").allTextContents()).toEqual([
      "United Kingdom",
      "Germany",
    ]);
    await payButton(page).click();
    expect(sent).toEqual([]);
    expect(await seen(page.locator("#bank-error"))).toBe("Choose your bank.");
    expect(await page.locator(":focus").getAttribute("id")).toBe("bank-sandbox_gb_1");

    await banks.getByLabel("Example Bank").check();
    expect(await page.locator("#bank-error").isVisible()).toBe(false);
    await payButton(page).click();
    await expect.poll(() => sent.length).toBe(1);
    expect(ConfirmCheckoutSession.parse(sent[0]).payment_method).toEqual({
      type: "bank_transfer",
      bank_id: "sandbox_gb_1",
    });

    // Back to the card: the banks go, and the card is what gets sent.
    await ways.getByLabel("Card").check();
    expect(await banks.isVisible()).toBe(false);
    await fillPayer(page, CARDS.success);
    await payButton(page).click();
    await expect.poll(() => sent.length).toBe(2);
    expect(ConfirmCheckoutSession.parse(sent[1]).payment_method.type).toBe("card");
  });
});
