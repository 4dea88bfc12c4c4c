/**
 * The hosted page once the session is over: what the payer reads and where "Return to …" takes
 * them, for a completed, cancelled and failed session, and for links that open nothing.
 * (Expiry, which takes real time, is expiry.suite.ts.)
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, payButton, seen } from "./fixture.js";
import { CARDS, type CreatedSession, cancel, createSession, retrieve } from "./support.js";

export const heading = (page: Page) => seen(page.getByRole("heading", { level: 1 }));
export const wayBack = (page: Page) => page.getByRole("link", { name: "Return to Corner Shop" });

export function finalPagesSuite(fx: Fixture): void {
  /** Pays through the payer API, as another tab of the payer's might have. */
  async function payByApi(session: CreatedSession) {
    const response = await fetch(
      `${fx.service.origin}/v1/checkout-sessions/token/${session.token}/confirm`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          payment_method: {
            type: "card",
            card: { number: CARDS.success, exp_month: 12, exp_year: 2099, cvc: "123" },
          },
          payer: { name: "Ada Lovelace", email: "ada@example.com" },
        }),
      },
    );
    expect(response.status).toBe(200);
  }

  describe("the hosted page of a closed session", () => {
    it("completed: the link opened again shows what was paid and the way back", async () => {
      const session = await createSession(fx.service, fx.site);
      await payByApi(session);
      const page = await fx.newPage();
      await page.goto(session.link);
      expect(page.url()).toBe(`${fx.service.origin}/pay/${session.id}`);
      expect(await heading(page)).toBe("Payment successful");
      expect(await seen(page.locator(".outcome p"))).toBe(
        "You paid €23.50 to Corner Shop with Visa •••• 4242.",
      );
      expect(await payButton(page).count()).toBe(0);
      await wayBack(page).click();
      await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
    });

    it("cancelled by the merchant: says so, and the way back is the merchant's cancel page", async () => {
      const session = await createSession(fx.service, fx.site, {
        cancel_url: `${fx.site.origin}/cancel`,
      });
      await cancel(fx.service, session.id);
      const page = await fx.newPage();
      await page.goto(session.link);
      expect(await heading(page)).toBe("This payment was cancelled");
      expect(await seen(page.locator(".outcome p"))).toBe("No payment was taken.");
      await wayBack(page).click();
      await page.waitForURL(`${fx.site.origin}/cancel?session_id=${session.id}`);
    });

    it("failed after the last declined try: the page says so, focused, with the way back", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      await page.goto(session.link);
      await page.getByLabel("Email").fill("ada@example.com");
      await page.getByLabel("Full name").fill("Ada Lovelace");
      await page.getByLabel("Expiry").fill("12 / 99");
      await page.getByLabel("CVC").fill("123");
      for (const left of ["2 attempts left.", "1 attempt left."]) {
        await page.getByLabel("Card number").fill(CARDS.declined);
        await payButton(page).click();
        await expect.poll(() => seen(page.getByRole("alert"))).toContain(left);
      }
      await page.getByLabel("Card number").fill(CARDS.declined);
      await payButton(page).click();
      await expect.poll(() => heading(page)).toBe("Payment failed");
      // The new state is announced: focus moved to its heading.
      expect(await page.locator("h1:focus").count()).toBe(1);
      expect(await wayBack(page).getAttribute("href")).toBe(
        `${fx.site.origin}/return?session_id=${session.id}`,
      );
      expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("FAILED");
    });

    it("a forged link, or the clean URL without its cookie, shows nothing and says what to do", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const forged = await page.goto(`${fx.service.origin}/pay/${session.id}.bm90LXRoZS1tYWM`);
      expect(forged?.status()).toBe(404);
      expect(await heading(page)).toBe("This payment link is not valid");
      // The clean URL shared or opened elsewhere: no cookie, so nothing of the session.
      const bare = await page.goto(`${fx.service.origin}/pay/${session.id}`);
      expect(bare?.status()).toBe(401);
      expect(await heading(page)).toBe("Open your payment link again");
      expect(await page.content()).not.toMatch(/23\.50|Corner Shop/);
    });
  });
}
