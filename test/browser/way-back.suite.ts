/**
 * Leaving without paying: "Back to <merchant>" on the hosted page, with and without script, and
 * "Cancel payment" in the widget. The session is cancelled as the payer exited (the merchant's
 * API says so), the hosted page lands on the merchant's exit URL, and the widget's host hears
 * `cancelled`.
 */
import type { Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, seen } from "./fixture.js";
import { createSession, retrieve } from "./support.js";
import { mountShop, widgetEvents } from "./widget.suite.js";

export function wayBackSuite(fx: Fixture): void {
  const leaving = () =>
    createSession(fx.service, fx.site, { cancel_url: `${fx.site.origin}/cancel` });

  async function expectExited(id: string) {
    const { checkout_session: session } = await retrieve(fx.service, id);
    expect([session.status, session.closed_reason]).toEqual(["CANCELLED", "payer_exited"]);
  }

  describe("leaving without paying", () => {
    it("'Back to Corner Shop' cancels the session and lands on the shop's exit page", async () => {
      const session = await leaving();
      const page = await fx.newPage();
      const exits: Request[] = [];
      page.on("request", (request) => {
        if (request.url().endsWith("/exit")) exits.push(request);
      });
      await page.goto(session.link);
      await page.getByRole("button", { name: "Back to Corner Shop" }).click();
      await page.waitForURL(`${fx.site.origin}/cancel?session_id=${session.id}`);
      expect(await seen(page.getByRole("heading"))).toBe("Checkout cancelled");
      await expectExited(session.id);
      // The page's script asked (one request, from the page's origin), then went on itself.
      expect(exits.map((r) => [r.method(), r.url(), r.resourceType()])).toEqual([
        ["POST", `${fx.service.origin}/pay/${session.id}/exit`, "fetch"],
      ]);

      // The link opened again shows the session as it ended.
      await page.goto(session.link);
      expect(await seen(page.getByRole("heading", { level: 1 }))).toBe(
        "This payment was cancelled",
      );
    });

    it("without script, 'Back to Corner Shop' still cancels and lands on the shop's exit page", async () => {
      const session = await leaving();
      const page = await fx.newPage({ javaScriptEnabled: false });
      await page.goto(session.link);
      await page.getByRole("button", { name: "Back to Corner Shop" }).click();
      await page.waitForURL(`${fx.site.origin}/cancel?session_id=${session.id}`);
      expect(await seen(page.getByRole("heading"))).toBe("Checkout cancelled");
      await expectExited(session.id);
    });

    it("another site cannot make the payer leave: its post is refused and the checkout stays open", async () => {
      const session = await leaving();
      // What a forged form on another site would send, had the browser attached the cookie
      // (SameSite=Lax already keeps it off a cross-site post).
      const response = await fetch(`${fx.service.origin}/pay/${session.id}/exit`, {
        method: "POST",
        headers: {
          cookie: `ec_payer=${session.token}`,
          origin: fx.site.origin,
          "sec-fetch-site": "cross-site",
          "content-type": "application/x-www-form-urlencoded",
        },
        redirect: "manual",
      });
      expect(response.status).toBe(403);
      expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("PENDING");
    });

    it("'Cancel payment' in the widget cancels the session and tells the host page `cancelled`", async () => {
      const session = await leaving();
      const page = await mountShop(fx, session.token);
      const events = async () => (await widgetEvents(page)).map((e) => e.type);
      await expect.poll(events).toEqual(["ready"]);
      const checkout = page.frameLocator("iframe[title=Checkout]");
      await checkout.getByRole("button", { name: "Cancel payment" }).click();
      await expect.poll(events).toEqual(["ready", "cancelled"]);
      expect((await widgetEvents(page))[1]?.session).toMatchObject({
        id: session.id,
        status: "CANCELLED",
      });
      expect(await seen(checkout.getByRole("heading", { level: 1 }))).toBe(
        "This payment was cancelled",
      );
      expect(page.url()).toContain(fx.site.origin); // the host decides where the payer goes
      await expectExited(session.id);
    });
  });
}
