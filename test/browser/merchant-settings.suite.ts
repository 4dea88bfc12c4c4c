/**
 * What a merchant's settings do to real pages: a merchant that lists no allowed origins can put
 * the widget on its own site and be paid there, until it lists other origins; a semi-hosted
 * merchant's own page receives `?token=` and pays through the token API; the hosted page wears
 * the name, logo and colour a `PATCH /v1/merchant` set.
 */
import { describe, expect, it } from "vitest";
import { type Fixture, fillPayer, payButton, seen } from "./fixture.js";
import { CARDS, createSession, OPEN_SHOP, patchMerchant, retrieve } from "./support.js";
import { mountShop, widgetEvents } from "./widget.suite.js";

const checkoutIn = (page: Awaited<ReturnType<typeof mountShop>>) =>
  page.frameLocator("iframe[title=Checkout]");
const eventTypes = (page: Awaited<ReturnType<typeof mountShop>>) => async () =>
  (await widgetEvents(page)).map((event) => event.type);

export function merchantSettingsSuite(fx: Fixture): void {
  const create = (extra: Record<string, unknown> = {}) =>
    createSession(fx.service, fx.site, extra, OPEN_SHOP.secretKey);

  describe("a merchant's settings on the payer's pages", () => {
    it("with no allowed origins, the widget on the merchant's own local site pays; listing another origin stops the framing", async () => {
      const session = await create();
      const page = await mountShop(fx, session.token);
      await expect.poll(eventTypes(page)).toEqual(["ready"]);
      const checkout = checkoutIn(page);
      await fillPayer(checkout, CARDS.success);
      await payButton(checkout).click();
      await expect.poll(eventTypes(page)).toEqual(["ready", "completed"]);
      const paid = await retrieve(fx.service, session.id, OPEN_SHOP.secretKey);
      expect(paid.checkout_session.status).toBe("COMPLETED");

      await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
        allowed_origins: ["https://shop.example"],
      });
      try {
        const next = await create({ return_url: "https://shop.example/return" });
        const blocked = await fx.newPage();
        const embedded = blocked.waitForResponse((r) => r.url().includes("/embed/"));
        await blocked.goto(
          fx.site.origin + fx.site.shopFor({ serviceOrigin: fx.service.origin, token: next.token }),
        );
        expect((await embedded).headers()["content-security-policy"]).toContain(
          "frame-ancestors https://shop.example",
        );
        await blocked.waitForTimeout(1000);
        expect(await eventTypes(blocked)()).toEqual([]);
        expect(await checkoutIn(blocked).getByLabel("Card number").count()).toBe(0);
      } finally {
        await patchMerchant(fx.service, OPEN_SHOP.secretKey, { allowed_origins: [] });
      }
    });

    it("a semi-hosted merchant page receives ?token= and pays through the token API", async () => {
      const ownPage = fx.site.origin + fx.site.ownCheckoutFor(fx.service.origin);
      const session = await create({ url: ownPage });
      expect(session.url).toBe(ownPage);
      const page = await fx.newPage();
      // The guide's own line: redirectUserTo(`${url}?token=${token}`).
      await page.goto(session.link);
      // The merchant's page fills itself in from the token API once it has loaded.
      await expect.poll(() => seen(page.locator("#amount"))).toBe("2350 EUR at Open Shop");
      await page.getByRole("button", { name: "Pay" }).click();
      await expect.poll(() => page.locator("#status").textContent()).toBe("COMPLETED");
      const paid = await retrieve(fx.service, session.id, OPEN_SHOP.secretKey);
      expect(paid.checkout_session).toMatchObject({ status: "COMPLETED", url: null, token: null });
    });

    it("the hosted page shows the name, logo and colour set by PATCH /v1/merchant", async () => {
      await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
        name: "Blue Bakery",
        logo_url: `${fx.site.origin}/logo.svg`,
        brand_color: "#0b6e4f",
      });
      try {
        const session = await create();
        const page = await fx.newPage();
        await page.goto(session.link);
        expect(await page.title()).toBe("Blue Bakery · €23.50");
        // The logo the merchant set, fetched by the service and served from its origin.
        const logo = page.locator("img.logo");
        await expect.poll(() => logo.evaluate((img) => img.naturalWidth)).toBeGreaterThan(0);
        // #0b6e4f gives white text 6.4:1, so the pay button wears it as set.
        const pay = payButton(page);
        await expect
          .poll(() =>
            pay.evaluate((el) => el.ownerDocument.defaultView.getComputedStyle(el).backgroundColor),
          )
          .toBe("rgb(11, 110, 79)");
      } finally {
        await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
          name: OPEN_SHOP.name,
          logo_url: null,
          brand_color: null,
        });
      }
    });
  });
}
