/**
 * One service, one merchant site and one Chromium for the whole browser suite (this machine
 * runs test files one after another, and starting wrangler dev costs ~15 s). `useFixture()`
 * registers the hooks; suites read the fixture when their tests run.
 */
import type { Browser, BrowserContextOptions, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type Service, startService } from "../e2e/service.js";
import { addShopMerchant, launchBrowser, type MerchantSite, startMerchantSite } from "./support.js";

export interface Fixture {
  service: Service;
  site: MerchantSite;
  browser: Browser;
  /** A page in a fresh context (own cookies), British English unless told otherwise. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

export function useFixture(): Fixture {
  const pageErrors: string[] = [];
  // Filled in by beforeAll below, before any test reads it.
  const fixture = {
    async newPage(options: BrowserContextOptions = {}) {
      const context = await fixture.browser.newContext({ locale: "en-GB", ...options });
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error}`));
      return page;
    },
  } as Fixture;

  beforeAll(async () => {
    fixture.site = await startMerchantSite();
    [fixture.service, fixture.browser] = await Promise.all([startService(), launchBrowser()]);
    await addShopMerchant(fixture.service, fixture.site);
  });

  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.service?.kill();
    await fixture.site?.close();
    // No script error on any page, in any test.
    expect(pageErrors).toEqual([]);
  });
  return fixture;
}

/** An expiry date a few years ahead, as the payer types it. */
export const EXPIRY = `12 / ${String((new Date().getFullYear() + 3) % 100).padStart(2, "0")}`;

export async function fillPayer(page: Pick<Page, "getByLabel">, card: string): Promise<void> {
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Full name").fill("Ada Lovelace");
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry").fill(EXPIRY);
  await page.getByLabel("CVC").fill("123");
}

/** The `id` of the focused element (the project has no DOM types: locators, not globals). */
export const focusedId = (page: Pick<Page, "locator">) => page.locator(":focus").getAttribute("id");

/** The text as the payer sees it: rendered, hidden parts left out (what a payer would notice). */
export function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, the rendered text, is the point here
  return locator.innerText();
}

export const payButton = (page: Pick<Page, "getByRole">) =>
  page.getByRole("button", { name: /^Pay/ });
