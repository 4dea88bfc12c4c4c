/**
 * `npm run screenshots`: README's pictures of the hosted checkout, taken from the running
 * service (started as `npm start` does, on a free port) in Debian Chromium: the open page on a
 * desktop and on a 375 px phone, a decline, the completed page, and the widget on a merchant's
 * page. Run by Node 22 with its built-in TypeScript type stripping.
 */
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import {
  addShopMerchant,
  CARDS,
  createSession,
  launchBrowser,
  startMerchantSite,
} from "../test/browser/support.ts";
import { startService } from "../test/e2e/service.ts";

const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const site = await startMerchantSite();
const [service, browser] = await Promise.all([startService(), launchBrowser()]);
try {
  await addShopMerchant(service, site);
  const order = {
    custom_fields: [{ key: "gift_note", label: "Gift note", optional: true }],
  };
  const shot = async (name: string, page: Page) => {
    await page.screenshot({ path: `${out}${name}.png`, fullPage: true, animations: "disabled" });
    console.log(`docs/screenshots/${name}.png`);
  };
  const fill = async (page: Page, card: string) => {
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Full name").fill("Ada Lovelace");
    await page.getByLabel("Card number").fill(card);
    await page.getByLabel("Expiry").fill("12 / 30");
    await page.getByLabel("CVC").fill("123");
  };

  const desktop = await browser.newPage({
    viewport: { width: 1280, height: 820 },
    locale: "en-GB",
  });
  await desktop.goto((await createSession(service, site, order)).link);
  await shot("hosted-desktop", desktop);

  const phone = await browser.newPage({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "en-GB",
  });
  await phone.goto((await createSession(service, site, order)).link);
  await shot("hosted-phone", phone);

  await fill(phone, CARDS.declined);
  await phone.getByRole("button", { name: /^Pay/ }).click();
  await phone.getByRole("alert").getByText("Your card was declined.").waitFor();
  await shot("hosted-phone-declined", phone);

  const paid = await createSession(service, site);
  await desktop.goto(paid.link);
  await fill(desktop, CARDS.success);
  await desktop.getByRole("button", { name: /^Pay/ }).click();
  await desktop.waitForURL(/\/return\?/);
  await desktop.goto(paid.link); // the link opened again, after paying
  await shot("hosted-completed", desktop);

  const embedded = await createSession(service, site);
  const shopPath = site.shopFor({ serviceOrigin: service.origin, token: embedded.token });
  const shop = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await shop.goto(`${site.origin}${shopPath}`);
  await shop.frameLocator("iframe[title=Checkout]").getByLabel("Card number").waitFor();
  await shot("widget", shop);
} finally {
  await browser.close();
  await service.kill();
  await site.close();
}
