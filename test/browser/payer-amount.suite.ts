/**
 * A StableMint embedded session created without an amount, opened in the hosted page through its
 * `sessionId` (a payer token): the payer types how much to pay, the page checks it against the
 * sandbox limits as they go, the Pay button names the amount, and the payment completes with it.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Fixture, fillPayer, focusedId, payButton, seen } from "./fixture.js";
import { CARDS, createAmountlessEmbeddedSession, retrieve, SANDBOX } from "./support.js";

export function payerAmountSuite(fx: Fixture): void {
  describe("a session whose payer chooses the amount", () => {
    it("the payer types an amount within the limits, pays it and sees the payment completed", async () => {
      const session = await createAmountlessEmbeddedSession(fx.service, `user-${randomUUID()}`);
      const page = await fx.newPage();
      await page.goto(`${fx.service.origin}/pay/${session.sessionId}`);
      expect(await page.title()).toBe("Sandbox Store · Checkout");

      const amount = page.getByLabel("Amount");
      expect(await seen(page.locator("label[for='amount']"))).toBe("Amount (EUR)");
      expect(await seen(page.locator("#amount-hint"))).toBe("Between €0.10 and €10.00.");
      expect(await seen(payButton(page))).toBe("Pay");

      await fillPayer(page, CARDS.success);
      await payButton(page).click();
      expect(await seen(page.locator("#amount-error"))).toBe("Amount is required.");
      expect(await focusedId(page)).toBe("amount");

      await amount.fill("12");
      await amount.blur();
      expect(await seen(page.locator("#amount-error"))).toBe(
        "Enter an amount between €0.10 and €10.00.",
      );
      expect(await seen(payButton(page))).toBe("Pay");

      await amount.fill("7.5");
      expect(await page.locator("#amount-error").isVisible()).toBe(false);
      expect(await seen(payButton(page))).toBe("Pay €7.50");
      expect(await seen(page.locator("#total"))).toBe("€7.50");

      await payButton(page).click();
      const heading = page.getByRole("heading", { name: "Payment successful" });
      await heading.waitFor();
      expect(await seen(page.locator(".outcome p"))).toContain("You paid €7.50 to Sandbox Store");

      const paid = await retrieve(fx.service, session.reference, SANDBOX.secretKey);
      expect(paid.checkout_session).toMatchObject({
        status: "COMPLETED",
        amount: 750,
        payment: { status: "SUCCEEDED" },
      });
    });
  });
}
