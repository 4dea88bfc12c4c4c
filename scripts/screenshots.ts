/**
 * `npm run screenshots`: README's pictures of the payer's pages, taken from the running service
 * (started as `npm start` does, on a free port) in Debian Chromium: every payer page (the open
 * checkout, a decline, the paid and cancelled pages, a link that is not valid, the widget on a
 * merchant's page and the sandbox 3-D Secure challenge) in English (a EUR session) and Turkish
 * (a TRY session), each on a desktop and on a 375 px phone, for a merchant with a 160×40
 * wordmark, a brand colour and a help link. Files are `<page>-<language>-<device>.png`.
 * Run by Node 22 with its built-in TypeScript type stripping.
 */
import { mkdirSync } from "node:fs";
import { registerHooks } from "node:module";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import type { MerchantSite } from "../test/browser/support.ts";
import type { Service } from "../test/e2e/service.ts";

// The test helpers import each other as `.js`, as TypeScript's bundler resolution writes it;
// Node's type stripping runs the `.ts` beside such a name when no `.js` is there.
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith(".") || !specifier.endsWith(".js")) throw error;
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
  },
});
const {
  addShopMerchant,
  CARDS,
  cancel,
  createSession,
  launchBrowser,
  patchMerchant,
  SHOP,
  startMerchantSite,
} = await import("../test/browser/support.ts");
const { startService } = await import("../test/e2e/service.ts");

const out = new URL("../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const DEVICES: Record<"desktop" | "phone", BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 820 } },
  phone: {
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  },
};

const LANGUAGES = {
  en: {
    locale: "en-GB",
    session: {
      currency: "EUR",
      custom_fields: [{ key: "gift_note", label: "Gift note", optional: true }],
    },
  },
  tr: {
    locale: "tr-TR",
    session: {
      currency: "TRY",
      locale: "tr",
      amount: 125000,
      line_items: [
        { name: "Seramik kupa", quantity: 2, unit_amount: 40000 },
        { name: "Dökme çay, 100 g", quantity: 1, unit_amount: 45000 },
      ],
      custom_fields: [{ key: "gift_note", label: "Hediye notu", optional: true }],
    },
  },
} as const;
type Language = keyof typeof LANGUAGES;

/** Confirms through the payer API, as another tab would; answers the 3-D Secure page, if any. */
async function confirmByApi(service: Service, token: string, card: string) {
  const response = await fetch(`${service.origin}/v1/checkout-sessions/token/${token}/confirm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      payment_method: {
        type: "card",
        card: { number: card, exp_month: 12, exp_year: 2099, cvc: "123" },
      },
      payer: { name: "Ada Lovelace", email: "ada@example.com" },
    }),
  });
  const body = (await response.json()) as {
    confirmResult?: { paymentNextAction: { url: string } | null };
  };
  if (response.status !== 200)
    throw new Error(`confirm: ${response.status} ${JSON.stringify(body)}`);
  return body.confirmResult?.paymentNextAction?.url ?? null;
}

/** Every payer page, in one language on one device. */
async function takeAll(
  browser: Browser,
  service: Service,
  site: MerchantSite,
  language: Language,
  device: keyof typeof DEVICES,
) {
  const { locale, session: order } = LANGUAGES[language];
  const create = (extra: Record<string, unknown> = {}) =>
    createSession(service, site, { ...order, ...extra });
  const context = await browser.newContext({ ...DEVICES[device], locale });
  const page = await context.newPage();
  const shot = async (name: string, target: Page = page) => {
    const file = `${name}-${language}-${device}.png`;
    // The logo is fetched by the service: wait for it, so no picture shows an empty box.
    await target
      .locator("img.logo")
      .evaluateAll((imgs) => Promise.all(imgs.map((img) => img.decode().catch(() => undefined))));
    await target.screenshot({ path: `${out}${file}`, fullPage: true, animations: "disabled" });
    console.log(`docs/screenshots/${file}`);
  };

  await page.goto((await create()).link);
  await shot("hosted");

  // Filled by id: the labels are in the page's language.
  await page.locator("#email").fill("ada@example.com");
  await page.locator("#name").fill("Ada Lovelace");
  await page.locator("#card-number").fill(CARDS.declined);
  await page.locator("#card-expiry").fill("12 / 30");
  await page.locator("#card-cvc").fill("123");
  await page.locator("#pay-button").click();
  await page.locator("#form-error:not([hidden])").waitFor();
  await shot("hosted-declined");

  const paid = await create();
  await confirmByApi(service, paid.token, CARDS.success);
  await page.goto(paid.link);
  await shot("hosted-completed");

  const cancelled = await create({ cancel_url: `${site.origin}/cancel` });
  await cancel(service, cancelled.id);
  await page.goto(cancelled.link);
  await shot("hosted-cancelled");

  await page.goto(`${service.origin}/pay/${cancelled.id}.bm90LXRoZS1tYWM`);
  await shot("invalid-link");

  const challenged = await create();
  const challenge = await confirmByApi(service, challenged.token, CARDS.challenge);
  if (challenge === null) throw new Error("the challenge card asked for no challenge");
  await page.goto(challenge);
  await shot("challenge");

  const embedded = await create();
  await page.goto(
    site.origin + site.shopFor({ serviceOrigin: service.origin, token: embedded.token }),
  );
  await page.frameLocator("iframe[title=Checkout]").locator("#pay-button").waitFor();
  const frame = page.frames().find((f) => f.url().includes("/embed/"));
  // The frame sizes itself to its content (a message to the widget): wait until it has.
  for (let tries = 0; tries < 50; tries++) {
    const content = await frame?.evaluate(
      "document.documentElement.getBoundingClientRect().height",
    );
    const box = await page.locator("iframe[title=Checkout]").boundingBox();
    if (typeof content === "number" && box !== null && Math.abs(box.height - content) < 2) break;
    await page.waitForTimeout(100);
  }
  await frame
    ?.locator("img.logo")
    .evaluateAll((imgs) => Promise.all(imgs.map((img) => img.decode().catch(() => undefined))));
  // A full-page shot paints a cross-origin frame only where it was on screen: show it all first.
  const viewport = page.viewportSize();
  const tall = await page.evaluate("document.documentElement.scrollHeight");
  if (viewport !== null && typeof tall === "number" && tall > viewport.height) {
    await page.setViewportSize({ width: viewport.width, height: tall });
    await page.waitForTimeout(300);
  }
  await shot("widget");
  await context.close();
}

const site = await startMerchantSite();
const [service, browser] = await Promise.all([startService(), launchBrowser()]);
try {
  await addShopMerchant(service, site);
  // The shop as most merchants look: a wordmark, its own colour, a help page.
  await patchMerchant(service, SHOP.secretKey, {
    logo_url: `${site.origin}/wordmark.svg`,
    brand_color: "#0f766e",
    support_url: `${site.origin}/help`,
  });
  for (const language of Object.keys(LANGUAGES) as Language[]) {
    for (const device of Object.keys(DEVICES) as (keyof typeof DEVICES)[]) {
      await takeAll(browser, service, site, language, device);
    }
  }
} finally {
  await browser.close();
  await service.kill();
  await site.close();
}
