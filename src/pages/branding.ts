/**
 * The merchant on every payer page that knows its session: the logo (or a monogram) with the
 * name, the brand colour as a first-party stylesheet, the merchant's help link, and the "Test
 * mode" badge of a sandbox merchant. The checkout (src/pages/checkout-view.ts) and the pages
 * between it and the merchant (src/pages/message-page.ts) share these, so they look alike.
 */
import { brandStylesheetPath } from "./brand-color.js";
import type { PublicView } from "./destinations.js";
import { type Html, html } from "./html.js";
import type { Messages } from "./messages.js";

/**
 * The logo, served from our origin, in a box that fits a wordmark and a square mark alike
 * (static/checkout.css: 40 px high, at most 200 px wide, aspect kept). Decorative: the name
 * is written beside it. No width/height attributes: the logo's own size and ratio are unknown.
 */
export function merchantMark(view: PublicView): Html {
  const name = view.merchant.name;
  return view.merchant.logo_url === null
    ? html`<span class="monogram" aria-hidden="true">${name.trim().charAt(0).toUpperCase() || "·"}</span>`
    : html`<img class="logo" src="/pay/${view.id}/logo" alt="">`;
}

/** The logo and the merchant's name, as the top of a page. */
export const merchantLine = (view: PublicView) =>
  html`<div class="merchant">${merchantMark(view)}<span class="merchant-name">${view.merchant.name}</span></div>`;

/**
 * What a sandbox merchant's page wears, visible and in words (not colour alone): no real money
 * moves here. A note, not a live region: it does not change.
 */
export function testModeBadge(view: PublicView, m: Messages): Html | "" {
  if (!view.test_mode) return "";
  return html`<p class="test-mode"><strong class="test-mode-badge">${m.text("testMode")}</strong> <span>${m.text("testModeText")}</span></p>`;
}

/** The merchant's (or the session's own) help page, opened beside the checkout, on its own line. */
export function supportLink(view: PublicView, m: Messages): Html | "" {
  if (view.support_url === null) return "";
  return html`<p class="help"><a class="support" href="${view.support_url}" rel="noreferrer" target="_blank">${m.text("needHelp", { merchant: view.merchant.name })}</a></p>`;
}

/**
 * The merchant's brand colour as a first-party stylesheet (CSP `style-src 'self'`). On the
 * checkout it sits after `<main>`: the page's script swaps only `#checkout`, so on the hosted
 * page the link stays put and is never fetched again; the embedded frame's script moves it into
 * `<head>` once.
 */
export function brandLink(view: PublicView): Html | "" {
  const path = brandStylesheetPath(view.merchant.brand_color);
  return path === null ? "" : html`\n<link rel="stylesheet" class="brand-style" href="${path}">`;
}
