/**
 * Live state in Chromium: the hosted page holds a WebSocket to its session's object (allowed by
 * its CSP's `connect-src 'self'`) and shows each new state as soon as it is stored, with no
 * polling. Counted with Playwright: after the page is up, it makes no fetch at all while the
 * session changes around it (another tab's 3-D Secure approval, the watchdog settling a silent
 * provider), and the change shows within a second.
 */
import type { Page, Request, WebSocket } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type Fixture, fillPayer, payButton } from "./fixture.js";
import { CARDS, createSession, SHOP } from "./support.js";

/** A page's fetches from now on, its sockets, and any CSP report (the socket must pass it). */
function watch(page: Page) {
  const fetches: Request[] = [];
  const sockets: WebSocket[] = [];
  const violations: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "fetch" || request.resourceType() === "xhr") {
      fetches.push(request);
    }
  });
  page.on("websocket", (ws) => sockets.push(ws));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return { fetches, sockets, violations };
}

/** Resolves once the page's socket has brought its first state (the page is following). */
async function following(page: Page, sockets: WebSocket[]): Promise<void> {
  await expect.poll(() => sockets.length).toBe(1);
  const ws = sockets[0] as WebSocket;
  if (ws.isClosed()) throw new Error("the page's socket closed");
  await ws.waitForEvent("framereceived", { timeout: 5000 }).catch(() => undefined);
  await page.waitForTimeout(100);
}

export function liveStateSuite(fx: Fixture): void {
  const helper = (path: string, body: unknown) =>
    fetch(`${fx.service.origin}/v1/test_helpers/${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${SHOP.secretKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  describe("live state on the hosted page", () => {
    it("another tab's 3-D Secure approval shows on this page within a second, with no polling", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const seen = watch(page);
      await page.goto(session.link);
      await following(page, seen.sockets);
      // The socket's address carries no token (the cookie authenticates it).
      const socketUrl = seen.sockets[0]?.url() ?? "";
      expect(socketUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/pay/${session.id}/live`));
      expect(socketUrl).not.toContain(session.token.split(".")[1] ?? "");
      const fetchesBefore = seen.fetches.length;

      // The payer opens the same session in a second tab (same cookie) and pays there.
      const other = await page.context().newPage();
      await other.goto(`${fx.service.origin}/pay/${session.id}`);
      await fillPayer(other, CARDS.challenge);
      await payButton(other).click();
      await other.waitForURL(/\/sandbox\/challenge\//);
      // This page follows: the bank's check is under way in the other tab.
      await page.getByRole("heading", { name: "Confirm the payment with your bank" }).waitFor();

      const approved = performance.now();
      await other.getByRole("button", { name: "Approve" }).click();
      await page.getByRole("heading", { name: "Payment successful" }).waitFor({ timeout: 5000 });
      const elapsed = performance.now() - approved;
      expect(elapsed).toBeLessThan(1000);
      expect(seen.fetches.slice(fetchesBefore).map((r) => r.url())).toEqual([]);
      expect(seen.violations).toEqual([]);
      await page.context().close();
    });

    it("the watchdog settling a silent provider shows within a second; no poll while it waits", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const seen = watch(page);
      await page.goto(session.link);
      await following(page, seen.sockets);
      await fillPayer(page, CARDS.silent);
      await payButton(page).click();
      await page.getByRole("heading", { name: "Processing your payment…" }).waitFor();
      await expect.poll(() => seen.fetches.some((r) => r.url().endsWith("/confirm"))).toBe(true);
      const afterConfirm = seen.fetches.length;

      // Longer than the 2 s the page used to poll at: it asks nothing while it waits.
      await page.waitForTimeout(3000);
      expect(seen.fetches.slice(afterConfirm).map((r) => r.url())).toEqual([]);

      // The provider's deadline, now: the watchdog asks the silent provider, which has paid.
      const moved = performance.now();
      const advanced = await helper(`checkout-sessions/${session.id}/advance_clock`, {
        to: "provider_deadline",
      });
      expect(advanced.status).toBe(200);
      await page.getByRole("heading", { name: "Payment successful" }).waitFor({ timeout: 5000 });
      expect(performance.now() - moved).toBeLessThan(1000);
      expect(seen.fetches.slice(afterConfirm).map((r) => r.url())).toEqual([]);
      expect(seen.violations).toEqual([]);
      // One socket did all of it: the page never had to reconnect.
      expect(seen.sockets).toHaveLength(1);
      await page.context().close();
    });

    it("a provider's late answer reaches the page the same way (provider_answer)", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      const seen = watch(page);
      await page.goto(session.link);
      await following(page, seen.sockets);
      await fillPayer(page, CARDS.silent);
      await payButton(page).click();
      await page.getByRole("heading", { name: "Processing your payment…" }).waitFor();
      await expect.poll(() => seen.fetches.some((r) => r.url().endsWith("/confirm"))).toBe(true);
      const afterConfirm = seen.fetches.length;
      const paymentId = session.id.replace(/^cs_/, "pay_");
      const answered = performance.now();
      const answer = await helper(`payments/${paymentId}/provider_answer`, {
        outcome: "declined",
      });
      expect(answer.status).toBe(200);
      // A declined charge leaves the session open: the form is back, with the reason.
      await payButton(page).waitFor({ timeout: 5000 });
      expect(performance.now() - answered).toBeLessThan(1000);
      expect(seen.fetches.slice(afterConfirm).map((r) => r.url())).toEqual([]);
      await page.context().close();
    });

    it("a page whose socket keeps failing falls back to polling, and still sees the outcome", async () => {
      const session = await createSession(fx.service, fx.site);
      const page = await fx.newPage();
      // Every socket to the session is cut at once, as a proxy that refuses WebSockets would.
      let attempts = 0;
      await page.routeWebSocket(/\/live/, (ws) => {
        attempts++;
        void ws.close({ code: 1011, reason: "refused" });
      });
      const seen = watch(page);
      await page.goto(session.link);
      await fillPayer(page, CARDS.silent);
      await payButton(page).click();
      await page.getByRole("heading", { name: "Processing your payment…" }).waitFor();
      const paymentId = session.id.replace(/^cs_/, "pay_");
      const answer = await helper(`payments/${paymentId}/provider_answer`, {
        outcome: "succeeded",
      });
      expect(answer.status).toBe(200);
      // Polled (every 2 s), so it shows within a poll or two.
      await page.getByRole("heading", { name: "Payment successful" }).waitFor({ timeout: 6000 });
      expect(seen.fetches.some((r) => r.url().endsWith(`/pay/${session.id}/session`))).toBe(true);
      // It kept trying, backing off: a handful of attempts, not one a second.
      expect(attempts).toBeGreaterThan(1);
      expect(attempts).toBeLessThan(8);
      await page.context().close();
    });
  });
}
