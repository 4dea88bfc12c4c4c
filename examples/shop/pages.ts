/**
 * The shop's pages: plain server-rendered HTML, one first-party stylesheet, no script, every
 * interpolation escaped (html.ts).
 */
import { type Html, html } from "./html.ts";
import type { Order } from "./orders.ts";

export const SHOP_NAME = "Kiln & Co.";

export const PRODUCT = {
  id: "mug",
  name: "Ceramic mug",
  description: "Stoneware, 350 ml, glazed by hand in small batches.",
  amount: 1800,
  currency: "EUR",
} as const;

/** Minor units as the payer reads them (the currency's own number of decimals). */
export function money(amount: number, currency: string): string {
  const format = new Intl.NumberFormat("en-GB", { style: "currency", currency });
  const exponent = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** exponent);
}

function layout(title: string, body: Html, options: { refreshSeconds?: number } = {}): string {
  const refresh =
    options.refreshSeconds === undefined
      ? ""
      : html`<meta http-equiv="refresh" content="${options.refreshSeconds}">`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${SHOP_NAME}</title>
<link rel="stylesheet" href="/style.css">
${refresh}
</head>
<body>
<header><a class="brand" href="/">${SHOP_NAME}</a></header>
<main>
${body}
</main>
<footer>An edge-checkout example shop, paying in the sandbox.</footer>
</body>
</html>
`.value;
}

const buyForm = (label: string) =>
  html`<form method="post" action="/buy"><input type="hidden" name="product" value="${PRODUCT.id}"><button type="submit">${label}</button></form>`;

export function productPage(): string {
  return layout(
    PRODUCT.name,
    html`<article class="product">
<h1>${PRODUCT.name}</h1>
<p class="price" id="price">${money(PRODUCT.amount, PRODUCT.currency)}</p>
<p>${PRODUCT.description}</p>
${buyForm("Buy")}
</article>`,
  );
}

/** What the return page tells the payer, decided from the service's answers (never the URL). */
export type Verdict =
  | { kind: "paid" }
  | { kind: "processing" }
  | { kind: "declined"; message: string | null; continueUrl: string | null }
  | { kind: "unpaid"; continueUrl: string | null }
  | { kind: "failed"; message: string | null }
  | { kind: "expired" }
  | { kind: "cancelled" };

export interface Checked {
  order: Order;
  verdict: Verdict;
  /** As `GET /v1/payments/:id` answered; null while the session has no payment. */
  paymentStatus: string | null;
  sessionStatus: string;
}

const HEADINGS: Record<Verdict["kind"], string> = {
  paid: "Thank you, your order is paid",
  processing: "Your payment is being processed",
  declined: "Your card was declined",
  unpaid: "Not paid yet",
  failed: "Your payment failed",
  expired: "This checkout expired",
  cancelled: "This checkout was cancelled",
};

function explanation(verdict: Verdict, order: Order): Html {
  const total = money(order.amount, order.currency);
  switch (verdict.kind) {
    case "paid":
      return html`<p>We received ${total} for your ${order.product}. It is on its way.</p>`;
    case "processing":
      return html`<p>The payment service has not finished with your payment yet. This page checks again every few seconds; no need to pay twice.</p>
<p><a href="">Check again</a></p>`;
    case "declined":
      return html`<p>${verdict.message ?? "Your card was declined."} No money was taken; you can still pay this order.</p>
${verdict.continueUrl === null ? "" : html`<p><a class="button" id="continue" href="${verdict.continueUrl}">Continue paying</a></p>`}
${buyForm("Try again with a new order")}`;
    case "unpaid":
      return html`<p>This order is not paid yet.</p>
${verdict.continueUrl === null ? "" : html`<p><a class="button" id="continue" href="${verdict.continueUrl}">Continue paying</a></p>`}`;
    case "failed":
      return html`<p>${verdict.message ?? "The payment could not be taken."} No money was taken.</p>
${buyForm("Try again")}`;
    case "expired":
      return html`<p>The checkout for this order expired before it was paid. No money was taken.</p>
${buyForm("Try again")}`;
    case "cancelled":
      return html`<p>The checkout for this order was cancelled. No money was taken.</p>
${buyForm("Try again")}`;
  }
}

export function returnPage(checked: Checked): string {
  const { order, verdict } = checked;
  const heading = HEADINGS[verdict.kind];
  return layout(
    heading,
    html`<section class="outcome outcome-${verdict.kind}">
<h1>${heading}</h1>
${explanation(verdict, order)}
<dl>
<dt>Order</dt><dd id="order-id">${order.id}</dd>
<dt>Total</dt><dd>${money(order.amount, order.currency)}</dd>
<dt>Payment, as the payment service answers</dt><dd id="payment-status">${checked.paymentStatus ?? "none yet"} (checkout ${checked.sessionStatus})</dd>
<dt>Our records, from webhooks</dt><dd id="order-status">${order.status}</dd>
</dl>
</section>`,
    verdict.kind === "processing" ? { refreshSeconds: 3 } : {},
  );
}

export function messagePage(title: string, text: string): string {
  return layout(
    title,
    html`<section class="outcome outcome-message">
<h1>${title}</h1>
<p>${text}</p>
<p><a href="/">Back to the shop</a></p>
</section>`,
  );
}
