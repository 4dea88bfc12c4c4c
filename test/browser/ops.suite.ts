/**
 * The operator's screen in Chromium against the running service: sign in with the shop's secret
 * key, find a paid session by its `order_id` (the list trails the session by the projection lag,
 * 1 s under npm start), open it, see its payment, charges and webhook deliveries to a real
 * receiver, press Redeliver and see the new attempt. All by the page's own forms and links: the
 * screen has no script. With OPS_SCREENSHOTS=1 it also retakes docs/screenshots/ops-session*.png.
 */
import { describe, expect, it } from "vitest";
import { startReceiver } from "../support/webhook-receiver.js";
import type { Fixture } from "./fixture.js";
import { CARDS, createSession, SHOP } from "./support.js";

const screenshots = new URL("../../docs/screenshots/", import.meta.url).pathname;

async function api(fx: Fixture, path: string, body: unknown, key?: string) {
  const response = await fetch(`${fx.service.origin}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path} failed (${response.status}): ${JSON.stringify(json)}`);
  return json;
}

export function opsSuite(fx: Fixture): void {
  describe("the ops screen", () => {
    it("signs in, finds a paid session by order_id, shows payment, charges and deliveries, and redelivers", async () => {
      const receiver = await startReceiver();
      const hook = crypto.randomUUID();
      const created = await api(
        fx,
        "/v1/webhook-endpoints",
        { url: `${receiver.url}/hooks/${hook}` },
        SHOP.secretKey,
      );
      const endpoint = created.webhook_endpoint as { id: string };
      try {
        const orderId = `ord_${crypto.randomUUID().slice(0, 8)}`;
        const session = await createSession(fx.service, fx.site, {
          metadata: { order_id: orderId },
        });
        await api(fx, `/v1/checkout-sessions/token/${session.token}/confirm`, {
          payment_method: {
            type: "card",
            card: { number: CARDS.success, exp_month: 12, exp_year: 2099, cvc: "123" },
          },
          payer: { name: "Ada Lovelace", email: "ada@example.com" },
        });

        const page = await fx.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(`${fx.service.origin}/ops`);
        await page.getByLabel("Secret key").fill(SHOP.secretKey);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { name: "Checkout sessions" }).waitFor();

        const link = page.getByRole("link", { name: session.id });
        await expect
          .poll(
            async () => {
              await page.getByLabel("Search").fill(orderId);
              await page.getByRole("button", { name: "Find" }).click();
              await page.getByRole("heading", { name: "Checkout sessions" }).waitFor();
              return link.count();
            },
            { timeout: 15_000 },
          )
          .toBe(1);
        await link.click();
        await page.waitForURL(`${fx.service.origin}/ops/sessions/${session.id}`);

        const paymentId = session.id.replace("cs_", "pay_");
        const attempts = page.locator(".attempt");
        await expect
          .poll(
            async () => {
              await page.reload();
              return attempts.count();
            },
            { timeout: 15_000 },
          )
          .toBeGreaterThanOrEqual(3);
        const relation = page.getByRole("list", {
          name: "Session, payment, charges and deliveries",
        });
        await expect.poll(() => relation.textContent()).toContain(paymentId);
        const charges = page.getByRole("table", { name: /Charges/ });
        expect(await charges.getByRole("row").count()).toBe(2); // header and one charge
        expect(await charges.textContent()).toContain(`${paymentId}_ch1`);
        expect(await charges.textContent()).toContain("sandbox");
        const completed = page.locator("li.event", { hasText: "checkout_session.completed" });
        expect(await completed.locator(".attempt").count()).toBe(1);
        expect(await page.locator('[aria-current="step"] .state-name').textContent()).toBe(
          "completed.paid",
        );

        const before = (await receiverLog(receiver.url, hook)).length;
        await completed.getByRole("button", { name: "Redeliver to this endpoint" }).click();
        await page.waitForURL(/done=redelivered/);
        await page.getByText("Redelivery started").waitFor();
        await expect
          .poll(
            async () => {
              await page.reload();
              return completed.locator(".attempt").count();
            },
            { timeout: 15_000 },
          )
          .toBe(2);
        expect((await receiverLog(receiver.url, hook)).length).toBe(before + 1);

        if (process.env.OPS_SCREENSHOTS === "1") {
          await page.goto(`${fx.service.origin}/ops/sessions/${session.id}`);
          await page.screenshot({ path: `${screenshots}ops-session.png`, fullPage: true });
          const phone = await fx.browser.newContext({
            viewport: { width: 375, height: 812 },
            deviceScaleFactor: 2,
            isMobile: true,
            hasTouch: true,
            locale: "en-GB",
          });
          await phone.addCookies(await page.context().cookies());
          const small = await phone.newPage();
          await small.goto(`${fx.service.origin}/ops/sessions/${session.id}`);
          await small.screenshot({ path: `${screenshots}ops-session-phone.png`, fullPage: true });
          await phone.close();
        }
      } finally {
        // The shop is every suite's merchant: its other sessions send this receiver nothing more.
        await fetch(`${fx.service.origin}/v1/webhook-endpoints/${endpoint.id}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${SHOP.secretKey}` },
        });
        await receiver.close();
      }
    });
  });
}

async function receiverLog(url: string, hook: string): Promise<unknown[]> {
  return (await (await fetch(`${url}/log/${hook}`)).json()) as unknown[];
}
