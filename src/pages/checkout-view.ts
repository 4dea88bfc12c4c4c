/**
 * The checkout as the payer sees it, for every state of the session: the merchant and what is
 * being paid for, then the form (open), the bank's check (3-D Secure), progress (processing),
 * or the outcome with the way back to the merchant (completed, expired, cancelled, failed).
 * The same markup serves the hosted page and the embedded frame.
 */
import { bankName, offered } from "./bank-choice.js";
import { brandStylesheetPath } from "./brand-color.js";
import { renderForm } from "./checkout-form.js";
import { type PublicView, wayBack } from "./destinations.js";
import { formatAmount, regionOf } from "./format.js";
import { type Html, html, raw } from "./html.js";

export type Mode = "hosted" | "embedded";

export interface ViewContext {
  locale: string;
  mode: Mode;
}

const ICONS = {
  lock: '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm1.5 0h5V5a2.5 2.5 0 0 0-5 0v2Z"/></svg>',
  success:
    '<svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true"><circle cx="24" cy="24" r="24" fill="#dcf5e6"/><path d="M14 25l7 7 13-15" fill="none" stroke="#0a7d38" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  closed:
    '<svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true"><circle cx="24" cy="24" r="24" fill="#eef0f4"/><path d="M24 13v13l8 5" fill="none" stroke="#4b5567" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  failed:
    '<svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true"><circle cx="24" cy="24" r="24" fill="#fde8e8"/><path d="M17 17l14 14M31 17L17 31" fill="none" stroke="#b42318" stroke-width="4" stroke-linecap="round"/></svg>',
  bank: '<svg viewBox="0 0 48 48" width="48" height="48" aria-hidden="true"><circle cx="24" cy="24" r="24" fill="#e8eefc"/><path d="M12 20l12-7 12 7M14 22v10M21 22v10M27 22v10M34 22v10M12 35h24" fill="none" stroke="#2d4fb8" stroke-width="3" stroke-linecap="round"/></svg>',
};

const money = (amount: number, view: PublicView, ctx: ViewContext) =>
  html`<span lang="${ctx.locale}">${formatAmount(amount, view.currency, ctx.locale)}</span>`;

function merchantMark(view: PublicView): Html {
  const name = view.merchant.name;
  return view.merchant.logo_url === null
    ? html`<span class="monogram" aria-hidden="true">${name.trim().charAt(0).toUpperCase() || "·"}</span>`
    : html`<img class="logo" src="/pay/${view.id}/logo" alt="" width="32" height="32">`;
}

function summary(view: PublicView, ctx: ViewContext): Html {
  const items = view.line_items ?? [];
  const lines = items.map(
    (item) => html`<li><span class="item-name">${item.name}</span>
<span class="item-qty">${item.quantity > 1 ? html`${item.quantity} × ${money(item.unit_amount, view, ctx)}` : ""}</span>
<span class="item-amount">${money(item.unit_amount * item.quantity, view, ctx)}</span></li>`,
  );
  return html`<section class="summary" aria-label="Order summary">
<div class="merchant">${merchantMark(view)}<span class="merchant-name">${view.merchant.name}</span></div>
<p class="total-label">${view.status === "COMPLETED" ? "Total paid" : view.status === "PENDING" || view.status === "PROCESSING" ? "Total due" : "Total"}</p>
${
  view.amount === null
    ? html`<p class="total total-open" id="total" data-empty="Amount of your choice">Amount of your choice</p>`
    : html`<p class="total" id="total">${money(view.amount, view, ctx)}</p>`
}
${lines.length > 0 ? html`<ul class="items">${lines}</ul>` : ""}
</section>`;
}

/** What the payer should know about the last failed try, in words they can act on. */
export function declineNotice(view: PublicView): Html | "" {
  const error = view.payment?.last_error;
  if (view.status !== "PENDING" || !error) return "";
  const what =
    error.code === "authentication_failed"
      ? "Your bank did not confirm this payment."
      : error.code === "card_declined"
        ? "Your card was declined."
        : error.code === "bank_declined"
          ? "Your bank declined this payment."
          : `The payment did not go through: ${error.message}`;
  const ways = offered(view);
  const next =
    ways.banks.length === 0
      ? "Try again or use another card."
      : "Try again or choose another way to pay.";
  const left = view.payment?.attempts_left ?? 0;
  return html`<strong>${what}</strong> ${next} <span class="attempts">${left} ${left === 1 ? "attempt" : "attempts"} left.</span>`;
}

function outcome(
  icon: keyof typeof ICONS,
  title: string,
  text: Html | string,
  action: Html | "",
): Html {
  return html`<div class="outcome outcome-${icon}">
${raw(ICONS[icon])}<h1 tabindex="-1">${title}</h1><p>${text}</p>${action}</div>`;
}

function backLink(view: PublicView, ctx: ViewContext): Html | "" {
  // Inside the merchant's own page the host decides where to go next (it gets an event).
  const url = wayBack(view);
  if (ctx.mode === "embedded" || url === null) return "";
  return html`<a class="button" id="way-back" href="${url}" rel="noreferrer">Return to ${view.merchant.name}</a>`;
}

function methodText(view: PublicView): Html | string {
  const method = view.payment?.payment_method;
  if (method?.type === "card") {
    const brand = method.brand.charAt(0).toUpperCase() + method.brand.slice(1);
    return html` with <span class="nowrap">${brand} •••• ${method.last4}</span>`;
  }
  if (method?.type === "bank_transfer") {
    const bank = bankName(view, method.bank_id);
    return bank === null ? " by bank transfer" : html` by bank transfer from ${bank}`;
  }
  return "";
}

function panel(view: PublicView, ctx: ViewContext): Html {
  const merchant = view.merchant.name;
  switch (view.status) {
    case "PENDING":
      return renderForm(view, {
        // The payer's own amount: "Pay" until they type one (the script then names it).
        payLabel:
          view.amount === null
            ? "Pay"
            : `Pay ${formatAmount(view.amount, view.currency, ctx.locale)}`,
        locale: ctx.locale,
        region: regionOf(ctx.locale),
        notice: declineNotice(view),
      });
    case "PROCESSING":
      return view.next_action === null
        ? outcome(
            "closed",
            "Processing your payment…",
            "This takes a few seconds. Please keep this page open; it updates by itself.",
            "",
          )
        : outcome(
            "bank",
            "Confirm the payment with your bank",
            "Your bank wants to check that it is you before it pays.",
            html`<a class="button" id="next-action" href="${view.next_action.url}">Continue to your bank</a>`,
          );
    case "COMPLETED":
      return outcome(
        "success",
        "Payment successful",
        html`You paid ${view.amount === null ? "" : html`${money(view.amount, view, ctx)} `}to ${merchant}${methodText(view)}.`,
        backLink(view, ctx),
      );
    case "EXPIRED":
      return outcome(
        "closed",
        "This payment link has expired",
        "No payment was taken. Go back to start again.",
        backLink(view, ctx),
      );
    case "CANCELLED":
      return outcome(
        "closed",
        "This payment was cancelled",
        "No payment was taken.",
        backLink(view, ctx),
      );
    case "FAILED":
      return outcome(
        "failed",
        "Payment failed",
        "We could not take this payment and no money was taken. Go back to try another way.",
        backLink(view, ctx),
      );
  }
}

/**
 * The way out without paying, while the session can still be left (open, or waiting on the
 * bank's check): it cancels the session (`POST /pay/<id>/exit`), then the hosted page goes back
 * to the merchant and the embedded one tells its host `cancelled`. A form, not a link, since it
 * changes state; without script the post is answered with the navigation itself.
 */
function exitControl(view: PublicView, ctx: ViewContext): Html | "" {
  const open =
    view.status === "PENDING" || (view.status === "PROCESSING" && view.next_action !== null);
  if (!open || (ctx.mode === "hosted" && wayBack(view) === null)) return "";
  const label =
    ctx.mode === "hosted"
      ? html`<span aria-hidden="true">← </span>Back to ${view.merchant.name}`
      : "Cancel payment";
  return html`<form class="exit-form" id="exit-form" method="post" action="/pay/${view.id}/exit"><button type="submit" class="exit" id="exit">${label}</button></form>`;
}

/**
 * The merchant's brand colour as a first-party stylesheet (CSP `style-src 'self'`), placed after
 * `<main>`: the page's script swaps only `#checkout`, so on the hosted page the link stays put
 * and is never fetched again; the embedded frame's script moves it into `<head>` once.
 */
function brandLink(view: PublicView): Html | "" {
  const path = brandStylesheetPath(view.merchant.brand_color);
  return path === null ? "" : html`\n<link rel="stylesheet" class="brand-style" href="${path}">`;
}

/** The checkout's main element: summary and panel, with what the script needs as data. */
export function renderCheckout(view: PublicView, ctx: ViewContext): Html {
  return html`<main class="checkout checkout-${ctx.mode}" id="checkout" data-status="${view.status}" data-expires-at="${view.expires_at ?? ""}"${
    view.next_action === null ? "" : html` data-next-action="${view.next_action.url}"`
  }>
${exitControl(view, ctx)}
<div class="layout">${summary(view, ctx)}
<section class="panel" aria-live="polite">${panel(view, ctx)}</section></div>
<footer class="trust"><span>${raw(ICONS.lock)} Secure checkout ·</span> <span>Card numbers are never stored ·</span> <span>Powered by edge-checkout</span>${
    view.support_url === null
      ? ""
      : html` <span>· <a href="${view.support_url}" rel="noreferrer" target="_blank">Need help?</a></span>`
  }</footer>
</main>${brandLink(view)}`;
}

export const pageTitle = (view: PublicView, ctx: ViewContext) =>
  `${view.merchant.name} · ${view.amount === null ? "Checkout" : formatAmount(view.amount, view.currency, ctx.locale)}`;
