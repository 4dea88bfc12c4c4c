/**
 * Paying through the hosted page with each sandbox card: the payer opens the session's link,
 * pays, and comes back to the merchant's site (another origin). Asserted: what the payer sees,
 * the URLs reached, and what the browser was sent (headers, cookie, requests).
 */
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, fillPayer, focusedId, payButton, seen } from "./fixture.js";
import { CARDS, type CreatedSession, createSession, retrieve } from "./support.js";

export function hostedPaymentsSuite(fx: Fixture): void {
  const returnPage = (session: CreatedSession) =>
    `${fx.site.origin}/return?session_id=${session.id}`;

  describe("paying through the hosted page", () => {
    it("4242…: the token link becomes a clean URL, the payer pays and lands on the merchant's site", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const requests: Request[] = [];
      page.on("request", (request) => requests.push(request));
      const document = await page.goto(session.link);

      // The address bar shows no token; the document came with the strict headers.
      expect(page.url()).toBe(`${fx.service.origin}/pay/${session.id}`);
      const headers = document?.headers() ?? {};
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"]).toContain("script-src 'self'");
      expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
      expect(headers["cache-control"]).toBe("no-store");
      expect(headers["referrer-policy"]).toBe("no-referrer");
      const [cookie] = await page.context().cookies(`${fx.service.origin}/pay/${session.id}`);
      expect(cookie).toMatchObject({
        name: "ec_payer",
        httpOnly: true,
        path: `/pay/${session.id}`,
      });

      // What the payer is paying for, formatted for en-GB, under the merchant's own logo.
      expect(await page.title()).toBe("Corner Shop · €23.50");
      const summary = await seen(page.getByRole("region", { name: "Order summary" }));
      expect(summary).toMatch(
        /Corner Shop[\s\S]*€23\.50[\s\S]*Ceramic mug[\s\S]*2 × €9\.00[\s\S]*€18\.00/,
      );
      const logo = page.locator("img.logo");
      expect(await logo.getAttribute("src")).toBe(`/pay/${session.id}/logo`);
      expect(await logo.evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);

      await fillPayer(page, CARDS.success);
      // On a slow network the loading state shows: the button says so and takes no second click.
      await page.route("**/confirm", async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 700));
        await route.continue();
      });
      await payButton(page).click();
      const busy = page.getByRole("button", { name: "Processing…" });
      await expect.poll(() => busy.isDisabled()).toBe(true);
      await page.waitForURL(returnPage(session));
      expect(await seen(page.getByRole("heading"))).toBe("Thank you for your order");
      expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("COMPLETED");

      // The token went out once, in the link itself: never again in a URL, never as a Referer,
      // and the service logged it only as that one request line.
      const secret = session.token.split(".")[1] ?? "";
      const later = requests.slice(1);
      expect(later.length).toBeGreaterThan(3);
      expect(later.map((r) => r.url()).filter((url) => url.includes(secret))).toEqual([]);
      const referers = await Promise.all(requests.map((r) => r.headerValue("referer")));
      expect(referers.filter((value) => value !== null)).toEqual([]);
      const logged = fx.service
        .output()
        .split("\n")
        .filter((line) => line.includes(secret));
      expect(logged.every((line) => line.includes(`GET /pay/${session.token} 303`))).toBe(true);
    });

    it("4000…0002: the decline is shown with the attempts left, and another card then succeeds", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      await page.goto(session.link);
      await fillPayer(page, CARDS.declined);
      await payButton(page).click();
      const alert = page.getByRole("alert");
      await expect.poll(() => seen(alert)).toContain("Your card was declined.");
      expect(await seen(alert)).toContain("2 attempts left.");
      // Focus is back on the card number, ready for another card; the rest is kept.
      expect(await focusedId(page)).toBe("card-number");
      expect(await page.getByLabel("Email").inputValue()).toBe("ada@example.com");
      await page.getByLabel("Card number").fill(CARDS.success);
      await payButton(page).click();
      await page.waitForURL(returnPage(session));
      const charges = (await retrieve(fx.service, session.id)).checkout_session.payment?.charges;
      expect(charges?.map((c) => c.status)).toEqual(["declined", "succeeded"]);
    });

    it("4000…3220 approved: the bank's challenge, then back to the merchant on its own origin", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      await page.goto(session.link);
      await fillPayer(page, CARDS.challenge);
      await payButton(page).click();
      await page.waitForURL(/\/sandbox\/challenge\//);
      expect(await seen(page.getByRole("heading"))).toBe("Sandbox 3-D Secure challenge");
      expect(await seen(page.locator("body"))).toContain("€23.50");
      await page.getByRole("button", { name: "Approve" }).click();
      // The challenge form's `form-action 'self'` must not strand the payer on the way out
      // (a plain 303 chain to another origin is blocked by the browser; see message-page.ts).
      await page.waitForURL(returnPage(session));
      expect(await seen(page.getByRole("heading"))).toBe("Thank you for your order");
      expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("COMPLETED");
    });

    it("4000…3220 denied: back on the checkout with the reason, free to try again", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      await page.goto(session.link);
      await fillPayer(page, CARDS.challenge);
      await payButton(page).click();
      await page.waitForURL(/\/sandbox\/challenge\//);
      await page.getByRole("button", { name: "Deny" }).click();
      await page.waitForURL(`${fx.service.origin}/pay/${session.id}`);
      const alert = await seen(page.getByRole("alert"));
      expect(alert).toContain("Your bank did not confirm this payment.");
      expect(alert).toContain("2 attempts left.");
      await fillPayer(page, CARDS.success);
      await payButton(page).click();
      await page.waitForURL(returnPage(session));
    });

    it("4000…0119: the first provider fails, the fallback pays, the payer only sees success", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      await page.goto(session.link);
      await fillPayer(page, CARDS.fallback);
      await payButton(page).click();
      await page.waitForURL(returnPage(session));
      const payment = (await retrieve(fx.service, session.id)).checkout_session.payment;
      expect(payment?.charges.map((c) => [c.provider, c.status])).toEqual([
        ["sandbox", "failed"],
        ["sandbox_backup", "succeeded"],
      ]);
    });
  });
}
