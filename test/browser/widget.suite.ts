/**
 * The embedded checkout: `/widget.js` on the merchant's own page (another origin than the
 * service), the checkout in its frame, and the events the host page hears. Only the origins the
 * merchant allows may frame it, and only the frame's own messages count.
 */
import type { Page, Request } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, fillPayer, payButton, seen } from "./fixture.js";
import { CARDS, cancel, createSession } from "./support.js";

interface WidgetEvent {
  type: string;
  code?: string;
  message?: string;
  session: { id: string; status: string; amount: number; currency: string } | null;
  attemptsLeft?: number;
}

/** What the shop page's `onEvent` received, in order (kept by the page in a global). */
export const widgetEvents = async (page: Page) =>
  (await page.evaluate("window.checkoutEvents")) as WidgetEvent[];

/** Opens the merchant's shop page with the widget mounted for `token`. */
export async function mountShop(fx: Fixture, token: string, origin = fx.site.origin) {
  const page = await fx.newPage();
  await page.goto(origin + fx.site.shopFor({ serviceOrigin: fx.service.origin, token }));
  return page;
}

const eventsOf = (page: Page) => async () => (await widgetEvents(page)).map((e) => e.type);
const checkoutIn = (page: Page) => page.frameLocator("iframe[title=Checkout]");

export function widgetSuite(fx: Fixture): void {
  describe("the widget on the merchant's page", () => {
    it("pays inside the page; the host hears ready, declined, completed and nothing forged", async () => {
      const session = await createSession(fx.service, fx.site);
      const toService: Request[] = [];
      const page = await fx.newPage();
      page.on("request", (r) => {
        if (r.url().startsWith(fx.service.origin)) toService.push(r);
      });
      const embedded = page.waitForResponse((r) => r.url().includes("/embed/"));
      await page.goto(
        fx.site.origin +
          fx.site.shopFor({ serviceOrigin: fx.service.origin, token: session.token }),
      );
      const policy = (await embedded).headers()["content-security-policy"] ?? "";
      expect(policy).toMatch(new RegExp(`frame-ancestors ${fx.site.origin}$`));
      const events = eventsOf(page);
      await expect.poll(events).toEqual(["ready"]);

      // A message that does not come from the checkout's frame is not an event.
      await page.evaluate(
        `window.postMessage({ source: "edge-checkout", type: "completed" }, "*")`,
      );
      await page.waitForTimeout(300);
      expect(await events()).toEqual(["ready"]);
      // The frame's address no longer holds the token it was given in its fragment.
      const frame = page.frames().find((f) => f.url().includes("/embed/"));
      expect(frame?.url()).toBe(`${fx.service.origin}/embed/${session.id}`);

      const checkout = checkoutIn(page);
      const iframe = page.locator("iframe[title=Checkout]");
      const heightBefore = (await iframe.boundingBox())?.height ?? 0;
      await fillPayer(checkout, CARDS.declined);
      await payButton(checkout).click();
      await expect.poll(events).toEqual(["ready", "declined"]);
      expect(await seen(checkout.getByRole("alert"))).toContain("Your card was declined.");
      const declined = (await widgetEvents(page))[1];
      expect(declined).toMatchObject({
        attemptsLeft: 2,
        session: { id: session.id, status: "PENDING" },
      });
      // The frame grew with the notice, to exactly its content: no inner scroll bar.
      await expect
        .poll(async () => {
          const outer = (await iframe.boundingBox())?.height ?? 0;
          const inner = await frame?.locator("html").evaluate((html) => html.scrollHeight);
          return outer > heightBefore && outer === inner;
        })
        .toBe(true);

      await checkout.getByLabel("Card number").fill(CARDS.success);
      await payButton(checkout).click();
      await expect.poll(events).toEqual(["ready", "declined", "completed"]);
      const completed = (await widgetEvents(page))[2];
      expect(completed?.session).toEqual({
        id: session.id,
        status: "COMPLETED",
        amount: 2350,
        currency: "EUR",
      });
      expect(await seen(checkout.getByRole("heading", { level: 1 }))).toBe("Payment successful");
      expect(page.url()).toContain(fx.site.origin); // the payer never left the shop

      // The token rode in a header from the frame's script: in no URL, no cookie, no Referer.
      const secret = session.token.split(".")[1] ?? "";
      expect(toService.map((r) => r.url()).filter((url) => url.includes(secret))).toEqual([]);
      const confirms = toService.filter((r) => r.url().endsWith("/confirm"));
      expect(confirms).toHaveLength(2);
      for (const request of confirms) {
        expect(await request.headerValue("authorization")).toBe(`Token ${session.token}`);
        expect(await request.headerValue("cookie")).toBeNull();
      }
      // The merchant's own <script src> follows the merchant's referrer policy; everything the
      // checkout's frame asks for (its document included) goes without one.
      const fromFrame = toService.filter((r) => r.frame() !== page.mainFrame());
      expect(fromFrame.length).toBeGreaterThan(3);
      for (const request of fromFrame) expect(await request.headerValue("referer")).toBeNull();
    });

    it("3-D Secure in the frame: denied keeps the form with the reason, approved completes", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await mountShop(fx, session.token);
      const events = eventsOf(page);
      const checkout = checkoutIn(page);
      await fillPayer(checkout, CARDS.challenge);
      await payButton(checkout).click();
      await expect.poll(events).toEqual(["ready", "requires_action"]);
      const bank = checkout.frameLocator("iframe.challenge");
      await bank.getByRole("button", { name: "Deny" }).click();
      await expect.poll(events).toEqual(["ready", "requires_action", "declined"]);
      expect(await seen(checkout.getByRole("alert"))).toContain(
        "Your bank did not confirm this payment.",
      );
      expect(await checkout.getByLabel("Email").inputValue()).toBe("ada@example.com");

      await payButton(checkout).click();
      await expect
        .poll(events)
        .toEqual(["ready", "requires_action", "declined", "requires_action"]);
      await bank.getByRole("button", { name: "Approve" }).click();
      await expect.poll(() => events().then((types) => types.at(-1))).toBe("completed");
      expect(await seen(checkout.getByRole("heading", { level: 1 }))).toBe("Payment successful");
      expect(page.url()).toContain(fx.site.origin);
    });

    it("cannot be framed by an origin the merchant did not allow", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const embedded = page.waitForResponse((r) => r.url().includes("/embed/"));
      // The same shop, reached as http://127.0.0.1:<port>: not among the merchant's origins.
      await page.goto(
        fx.site.otherOrigin +
          fx.site.shopFor({ serviceOrigin: fx.service.origin, token: session.token }),
      );
      expect((await embedded).headers()["content-security-policy"]).toContain(
        `frame-ancestors ${fx.site.origin}`,
      );
      await page.waitForTimeout(1000);
      expect(await eventsOf(page)()).toEqual([]);
      expect(await checkoutIn(page).getByLabel("Card number").count()).toBe(0);
      // The host is told, once the frame has stayed silent for the widget's 8 s, with words it
      // can show instead of an empty box.
      await expect
        .poll(() => widgetEvents(page), { timeout: 15_000 })
        .toEqual([
          {
            type: "error",
            code: "frame_blocked",
            message: expect.stringContaining("could not be shown"),
            session: null,
          },
        ]);
    }, 30_000);

    it("a frame that speaks is never reported blocked", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await mountShop(fx, session.token);
      await expect.poll(eventsOf(page)).toEqual(["ready"]);
      await page.waitForTimeout(9_000);
      expect(await eventsOf(page)()).toEqual(["ready"]);
    }, 30_000);

    it("a session closed before it is shown, or meanwhile elsewhere, is `session_closed`", async () => {
      const closed = await createSession(fx.service, fx.site);
      await cancel(fx.service, closed.id);
      const page = await mountShop(fx, closed.token);
      await expect.poll(eventsOf(page)).toEqual(["ready", "error"]);
      expect((await widgetEvents(page))[1]).toEqual({
        type: "error",
        code: "session_closed",
        message: expect.stringContaining("no longer open"),
        session: { id: closed.id, status: "CANCELLED", amount: 2350, currency: "EUR" },
      });
      expect(await seen(checkoutIn(page).getByRole("heading", { level: 1 }))).toBe(
        "This payment was cancelled",
      );

      // Open when mounted, then cancelled by the merchant: the service pushes the closed state.
      const pushed = await createSession(fx.service, fx.site);
      const watching = await mountShop(fx, pushed.token);
      await expect.poll(eventsOf(watching)).toEqual(["ready"]);
      await cancel(fx.service, pushed.id);
      await expect.poll(eventsOf(watching)).toEqual(["ready", "error"]);
      expect((await widgetEvents(watching))[1]).toMatchObject({
        code: "session_closed",
        session: { id: pushed.id, status: "CANCELLED" },
      });

      // The same without a live connection (no WebSocket in the frame): the payer's Pay finds
      // the session closed (409 session_cancelled), and the frame shows it as it is.
      const open = await createSession(fx.service, fx.site);
      const shop = await fx.newPage();
      await shop.addInitScript("delete window.WebSocket");
      await shop.goto(
        fx.site.origin + fx.site.shopFor({ serviceOrigin: fx.service.origin, token: open.token }),
      );
      await expect.poll(eventsOf(shop)).toEqual(["ready"]);
      const checkout = checkoutIn(shop);
      await fillPayer(checkout, CARDS.success);
      await cancel(fx.service, open.id);
      const refused = shop.waitForResponse((r) => r.url().endsWith("/confirm"));
      await payButton(checkout).click();
      expect([(await refused).status(), (await (await refused).json()).code]).toEqual([
        409,
        "session_cancelled",
      ]);
      await expect.poll(eventsOf(shop)).toEqual(["ready", "error"]);
      expect((await widgetEvents(shop))[1]).toMatchObject({
        code: "session_closed",
        session: { id: open.id, status: "CANCELLED" },
      });
      expect(await seen(checkout.getByRole("heading", { level: 1 }))).toBe(
        "This payment was cancelled",
      );
    });

    it("a frame that cannot reach the service says `network`, and pays once it can", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await mountShop(fx, session.token);
      await expect.poll(eventsOf(page)).toEqual(["ready"]);
      const checkout = checkoutIn(page);
      await fillPayer(checkout, CARDS.success);
      // The connection drops: every request of the frame to the service fails as offline.
      const toService = `${fx.service.origin}/pay/**`;
      await page.route(toService, (route) => route.abort("internetdisconnected"));
      await payButton(checkout).click();
      await expect.poll(eventsOf(page)).toEqual(["ready", "error"]);
      expect((await widgetEvents(page))[1]).toEqual({
        type: "error",
        code: "network",
        message: expect.stringContaining("could not reach the payment service"),
        session: { id: session.id, status: "PENDING", amount: 2350, currency: "EUR" },
      });
      expect(await seen(checkout.getByRole("alert"))).toContain(
        "We could not reach the payment service.",
      );

      await page.unroute(toService);
      await payButton(checkout).click();
      await expect.poll(eventsOf(page)).toEqual(["ready", "error", "completed"]);
      expect(await seen(checkout.getByRole("heading", { level: 1 }))).toBe("Payment successful");
    });
  });
}
