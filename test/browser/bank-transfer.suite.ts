/**
 * Paying by bank transfer on a StableMint hosted session (the sandbox merchant's, signed as its
 * server signs it): the choice of card or bank, the banks by country with the payer's own first,
 * a declining bank, and the bank that paid offered first under "Used before" on the same user's
 * next session.
 */
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, focusedId, payButton, seen } from "./fixture.js";
import { createStablemintSession, listedStatus, retrieve, SANDBOX } from "./support.js";

const ways = (page: Page) => page.getByRole("group", { name: "How would you like to pay?" });
const banks = (page: Page) => page.getByRole("group", { name: "Choose your bank" });
/** The bank groups' headings, in the order the payer reads them. */
const headings = (page: Page) => banks(page).locator(".bank-country").allTextContents();
const bankNames = (page: Page, group: string) =>
  banks(page).getByRole("group", { name: group }).locator("label").allTextContents();

async function openAsPayer(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Full name").fill("Ada Lovelace");
}

export function bankTransferSuite(fx: Fixture): void {
  /** Pays a hosted session by bank through the payer API, as the payer's earlier visit did. */
  async function payEarlier(url: string, bankIds: string[]) {
    const token = new URL(url).pathname.split("/").at(-1);
    for (const bankId of bankIds) {
      await fetch(`${fx.service.origin}/v1/checkout-sessions/token/${token}/confirm`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          payment_method: { type: "bank_transfer", bank_id: bankId },
          payer: { name: "Ada Lovelace", email: "ada@example.com" },
        }),
      });
    }
  }

  describe("paying by bank transfer", () => {
    it("the payer picks their bank, their own country's banks first; a declining bank says so, another pays", async () => {
      const session = await createStablemintSession(fx.service, fx.site, `user-${randomUUID()}`);
      const page = await fx.newPage();
      await openAsPayer(page, session.url);
      expect(await ways(page).getByLabel("Card").isChecked()).toBe(true);
      expect(await banks(page).isVisible()).toBe(false);

      await ways(page).getByLabel("Bank transfer").check();
      expect(await page.getByLabel("Card number").isVisible()).toBe(false);
      expect(await headings(page)).toEqual([
        "United Kingdom",
        "France",
        "Germany",
        "Netherlands",
        "Poland",
      ]);
      await payButton(page).click();
      expect(await seen(page.locator("#bank-error"))).toBe("Choose your bank.");
      expect(await focusedId(page)).toBe("bank-sandbox_gb_1");

      // Banks in several countries share a name; each country's group tells them apart.
      const germany = banks(page).getByRole("group", { name: "Germany" });
      await germany.getByLabel("Declining Test Bank").check();
      expect(await page.locator("#bank-error").isVisible()).toBe(false);
      await payButton(page).click();
      const alert = page.getByRole("alert");
      await expect.poll(() => seen(alert)).toContain("Your bank declined this payment.");
      expect(await seen(alert)).toContain(
        "Try again or choose another way to pay. 2 attempts left.",
      );

      await germany.getByLabel("Demo Sparkasse").check();
      await payButton(page).click();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.reference}`);
      const paid = await retrieve(fx.service, session.reference, SANDBOX.secretKey);
      expect(paid.checkout_session.status).toBe("COMPLETED");
      expect(
        paid.checkout_session.payment?.charges.map((c) => [c.payment_method.bank_id, c.status]),
      ).toEqual([
        ["fail_de_1", "declined"],
        ["sandbox_de_2", "succeeded"],
      ]);
    });

    it("the payer's next session offers the bank that paid first, under 'Used before'", async () => {
      const userId = `user-${randomUUID()}`;
      const earlier = await createStablemintSession(fx.service, fx.site, userId);
      await payEarlier(earlier.url, ["fail_de_1", "sandbox_de_2"]);
      const paidEarlier = await retrieve(fx.service, earlier.reference, SANDBOX.secretKey);
      expect(paidEarlier.checkout_session.status).toBe("COMPLETED");
      // The bank is remembered with the session's projection, a moment after the payment.
      await expect
        .poll(() => listedStatus(fx.service, earlier.reference, SANDBOX.secretKey), {
          timeout: 10_000,
        })
        .toBe("COMPLETED");

      const session = await createStablemintSession(fx.service, fx.site, userId);
      const page = await fx.newPage();
      await openAsPayer(page, session.url);
      await ways(page).getByLabel("Bank transfer").check();
      expect(await headings(page)).toEqual([
        "Used before",
        "United Kingdom",
        "France",
        "Germany",
        "Netherlands",
        "Poland",
      ]);
      // Only the bank that paid: the one that declined is not remembered.
      expect(await bankNames(page, "Used before")).toEqual(["Demo Sparkasse"]);
      expect(await bankNames(page, "Germany")).toEqual(["Musterbank", "Declining Test Bank"]);

      await banks(page)
        .getByRole("group", { name: "Used before" })
        .getByLabel("Demo Sparkasse")
        .check();
      await payButton(page).click();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.reference}`);
      const paid = await retrieve(fx.service, session.reference, SANDBOX.secretKey);
      expect(paid.checkout_session.payment?.charges.map((c) => c.payment_method.bank_id)).toEqual([
        "sandbox_de_2",
      ]);
    });
  });
}
