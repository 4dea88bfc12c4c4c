/**
 * Expiry in real time: a session created with the shortest expiry the API allows (60 s) when
 * the suite starts, mounted in the widget on the merchant's page at once, and looked at again
 * after its time ran out, when the other suites are done. Nothing moves the clock.
 */
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { heading, wayBack } from "./final-pages.suite.js";
import { type Fixture, seen } from "./fixture.js";
import { type CreatedSession, createSession, retrieve } from "./support.js";
import { mountShop, widgetEvents } from "./widget.suite.js";

/**
 * Starts the clock now (a top-level `beforeAll`, right after the fixture's); the returned
 * function registers the tests, to be called after every other suite.
 */
export function expirySuite(fx: Fixture): () => void {
  let session: CreatedSession;
  let expiresAt: number;
  let shop: Page;

  beforeAll(async () => {
    session = await createSession(fx.service, fx.site, { expires_in: 60 });
    expiresAt = Date.now() + 60_000;
    shop = await mountShop(fx, session.token);
  });

  const timeRunsOut = () =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 1500)));

  return () =>
    describe("a session whose time ran out", () => {
      it("the open widget tells its host page `expired` and shows it", async () => {
        await timeRunsOut();
        const events = async () => (await widgetEvents(shop)).map((e) => e.type);
        await expect.poll(events, { timeout: 10_000 }).toEqual(["ready", "expired"]);
        const frame = shop.frameLocator("iframe[title=Checkout]");
        expect(await seen(frame.getByRole("heading", { level: 1 }))).toBe(
          "This payment link has expired",
        );
      });

      it("the hosted link says so, with the way back", async () => {
        await timeRunsOut();
        const page = await fx.newPage();
        await page.goto(session.link);
        expect(await heading(page)).toBe("This payment link has expired");
        expect(await seen(page.locator(".outcome p"))).toBe(
          "No payment was taken. Go back to start again.",
        );
        await wayBack(page).click();
        await page.waitForURL(`${fx.site.origin}/return?session_id=${session.id}`);
        expect((await retrieve(fx.service, session.id)).checkout_session.status).toBe("EXPIRED");
      });
    });
}
