/**
 * Every payer page through axe-core in Chromium, in each of the five languages: the hosted
 * checkout, the embedded frame, the paid page, the way back without script (the page that moves
 * on to the merchant) and the cancelled page it leaves behind, the invalid-link page and the
 * sandbox 3-D Secure challenge. No serious or critical violation may remain.
 *
 * The merchant wears what makes pages hard: a 160×40 wordmark, an orange brand colour that
 * white text cannot read on (the pages fall back to black text), a help link, and the sandbox's
 * "Test mode" badge. axe is injected from node_modules into a context that bypasses the pages'
 * CSP (`script-src 'self'` would refuse it), which changes nothing else the audit sees.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Fixture, fillPayer, payButton } from "./fixture.js";
import { CARDS, type CreatedSession, createSession, OPEN_SHOP, patchMerchant } from "./support.js";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The serious and critical violations axe finds in `target`'s document, each in one line. */
async function violations(target: Page | Frame): Promise<string[]> {
  await target.addScriptTag({ content: AXE });
  const result = (await target.evaluate(`axe.run(document, { resultTypes: ["violations"] })`)) as {
    violations: Violation[];
  };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${JSON.stringify(n.target)}`),
    );
}

/** Each language the pages speak, with the browser locale its payer would have. */
const LANGUAGES = [
  ["en", "en-GB"],
  ["tr", "tr-TR"],
  ["de", "de-DE"],
  ["fr", "fr-FR"],
  ["es", "es-ES"],
] as const;

export function accessibilitySuite(fx: Fixture): void {
  describe("every payer page passes axe-core", () => {
    beforeAll(async () => {
      await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
        logo_url: `${fx.site.origin}/wordmark.svg`,
        brand_color: "#ff8800",
        support_url: `${fx.site.origin}/help`,
      });
    });
    afterAll(async () => {
      await patchMerchant(fx.service, OPEN_SHOP.secretKey, {
        logo_url: null,
        brand_color: null,
        support_url: null,
      });
    });

    const create = (locale: string, extra: Record<string, unknown> = {}) =>
      createSession(
        fx.service,
        fx.site,
        { locale, cancel_url: `${fx.site.origin}/cancel`, ...extra },
        OPEN_SHOP.secretKey,
      );
    const open = (browserLocale: string) => fx.newPage({ locale: browserLocale, bypassCSP: true });

    /** Pays through the payer API, as another tab of the payer's might have. */
    const confirmByApi = async (session: CreatedSession, card: string) => {
      const response = await fetch(
        `${fx.service.origin}/v1/checkout-sessions/token/${session.token}/confirm`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            payment_method: {
              type: "card",
              card: { number: card, exp_month: 12, exp_year: 2099, cvc: "123" },
            },
            payer: { name: "Ada Lovelace", email: "ada@example.com" },
          }),
        },
      );
      if (response.status !== 200) {
        throw new Error(`confirm answered ${response.status}: ${await response.text()}`);
      }
      return (await response.json()) as {
        confirmResult: { paymentNextAction: { url: string } | null };
      };
    };

    describe.each(LANGUAGES)("in %s", (language, browserLocale) => {
      it("the hosted checkout, before and after a decline", async () => {
        const page = await open(browserLocale);
        await page.goto((await create(language)).link);
        expect(await page.locator("html").getAttribute("lang")).toMatch(new RegExp(`^${language}`));
        expect(await violations(page)).toEqual([]);
        if (language !== "en") return; // the decline notice's words are the catalogue's
        await fillPayer(page, CARDS.declined);
        await payButton(page).click();
        await page.getByRole("alert").getByText("Your card was declined.").waitFor();
        expect(await violations(page)).toEqual([]);
      });

      it("the embedded checkout, in its frame on the merchant's page", async () => {
        const session = await create(language);
        const page = await open(browserLocale);
        await page.goto(
          fx.site.origin +
            fx.site.shopFor({ serviceOrigin: fx.service.origin, token: session.token }),
        );
        await page.frameLocator("iframe[title=Checkout]").locator("#pay-button").waitFor();
        const frame = page.frames().find((f) => f.url().includes("/embed/"));
        if (frame === undefined) throw new Error("no checkout frame");
        expect(await frame.locator("html").getAttribute("lang")).toMatch(
          new RegExp(`^${language}`),
        );
        expect(await violations(frame)).toEqual([]);
      });

      it("the paid page", async () => {
        const session = await create(language);
        await confirmByApi(session, CARDS.success);
        const page = await open(browserLocale);
        await page.goto(session.link);
        await page.locator(".outcome-success").waitFor();
        expect(await violations(page)).toEqual([]);
      });

      it("the way back without script, then the cancelled page", async () => {
        const session = await create(language);
        const page = await open(browserLocale);
        await page.goto(session.link);
        // The answer moves on to the merchant at once (`<meta http-equiv="refresh" content="0;
        // …">`, which axe's meta-refresh rule allows): it is taken out of the answer here, and
        // only here, so that the page stays to be audited. Playwright sends the intercepted post
        // itself, without the `Sec-Fetch-Site: same-origin` Chromium adds to a form of ours.
        let refresh = "";
        await page.route(`${fx.service.origin}/pay/${session.id}/exit`, async (route) => {
          const headers = { ...route.request().headers(), "sec-fetch-site": "same-origin" };
          const response = await route.fetch({ headers });
          const body = await response.text();
          refresh = /<meta http-equiv="refresh" content="([^"]*)">/.exec(body)?.[1] ?? "";
          await route.fulfill({
            response,
            body: body.replace(/<meta http-equiv="refresh"[^>]*>/, ""),
          });
        });
        // A plain form post, as without script (`submit()` fires no submit event for the script).
        await page.evaluate(`document.getElementById("exit-form").submit()`);
        await page.waitForURL(`${fx.service.origin}/pay/${session.id}/exit`);
        await page.locator(".interstitial .button").waitFor();
        expect(refresh).toBe(`0; url=${fx.site.origin}/cancel?session_id=${session.id}`);
        expect(await violations(page)).toEqual([]);

        const after = await open(browserLocale);
        await after.goto(session.link);
        await after.locator(".outcome-closed").waitFor();
        expect(await violations(after)).toEqual([]);
      });

      it("the invalid-link page (in the browser's language: no session to ask)", async () => {
        const session = await create(language);
        const page = await open(browserLocale);
        const forged = await page.goto(`${fx.service.origin}/pay/${session.id}.bm90LXRoZS1tYWM`);
        expect(forged?.status()).toBe(404);
        expect(await page.locator("html").getAttribute("lang")).toBe(browserLocale);
        expect(await violations(page)).toEqual([]);
      });

      it("the sandbox 3-D Secure challenge", async () => {
        const session = await create(language);
        const next = (await confirmByApi(session, CARDS.challenge)).confirmResult.paymentNextAction;
        if (next === null) throw new Error("the challenge card asked for no challenge");
        const page = await open(browserLocale);
        await page.goto(next.url);
        expect(await page.locator("html").getAttribute("lang")).toMatch(new RegExp(`^${language}`));
        expect(await violations(page)).toEqual([]);
      });
    });
  });
}
