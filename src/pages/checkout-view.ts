/**
 * The checkout as the payer sees it, for every state of the session: the merchant and what is
 * being paid for, then the form (open), the bank's check (3-D Secure), progress (processing),
 * or the outcome with the way back to the merchant (completed, expired, cancelled, failed).
 * The same markup serves the hosted page and the embedded frame.
 */
import { brandName } from "../../static/card.js";
import { bankName, offered } from "./bank-choice.js";
import { brandLink, merchantLine, supportLink, testModeBadge } from "./branding.js";
import { renderForm } from "./checkout-form.js";
import { type PublicView, wayBack } from "./destinations.js";
import { formatAmount, formatDate, regionOf } from "./format.js";
import { type Html, html } from "./html.js";
import type { Messages } from "./messages.js";

export type Mode = "hosted" | "embedded";

export interface ViewContext {
  /** The page's words, in its language and locale. */
  m: Messages;
  mode: Mode;
}

/**
 * The pages' icons: first-party SVG files in static/icons/ (`img-src 'self'`), out of the
 * Worker's bundle; decorative, so `alt=""`.
 */
type Icon = "lock" | "success" | "closed" | "failed" | "bank";
const icon = (name: Icon, size: number) =>
  html`<img class="icon" src="/assets/icons/${name}.svg" alt="" width="${size}" height="${size}">`;

const money = (amount: number, view: PublicView, ctx: ViewContext) =>
  html`<span lang="${ctx.m.locale}">${formatAmount(amount, view.currency, ctx.m.locale)}</span>`;

function summary(view: PublicView, ctx: ViewContext): Html {
  const items = view.line_items ?? [];
  const lines = items.map(
    (item) => html`<li><span class="item-name">${item.name}</span>
<span class="item-qty">${item.quantity > 1 ? html`${item.quantity} × ${money(item.unit_amount, view, ctx)}` : ""}</span>
<span class="item-amount">${money(item.unit_amount * item.quantity, view, ctx)}</span></li>`,
  );
  const { m } = ctx;
  const label =
    view.status === "COMPLETED"
      ? "totalPaid"
      : view.status === "PENDING" || view.status === "PROCESSING"
        ? "totalDue"
        : "total";
  const choice = m.text("amountOfChoice");
  return html`<section class="summary" aria-label="${m.text("orderSummary")}">
${merchantLine(view)}
<p class="total-label">${m.text(label)}</p>
${
  view.amount === null
    ? html`<p class="total total-open" id="total" data-empty="${choice}">${choice}</p>`
    : html`<p class="total" id="total">${money(view.amount, view, ctx)}</p>`
}
${lines.length > 0 ? html`<ul class="items">${lines}</ul>` : ""}
</section>`;
}

/** Declines a payer reads as "your card was declined" (a risk block says no more than that). */
const CARD_DECLINES = new Set([
  "card_declined",
  "insufficient_funds",
  "expired_card",
  "incorrect_cvc",
  "risk_blocked",
]);

/** What the payer should know about the last failed try, in words they can act on. */
export function declineNotice(view: PublicView, m: Messages): Html | "" {
  const error = view.payment?.last_error;
  if (view.status !== "PENDING" || !error) return "";
  const what =
    error.code === "authentication_failed"
      ? m.text("declinedByBankCheck")
      : CARD_DECLINES.has(error.code)
        ? m.text("declinedCard")
        : error.code === "bank_declined"
          ? m.text("declinedBank")
          : m.text("declinedOther", { reason: error.message });
  const next = m.text(offered(view).banks.length === 0 ? "retryCard" : "retryOther");
  const left = m.count("attemptLeft", "attemptsLeft", view.payment?.attempts_left ?? 0);
  return html`<strong>${what}</strong> ${next} <span class="attempts">${left}</span>`;
}

function outcome(
  kind: Exclude<Icon, "lock">,
  title: string,
  text: Html | string,
  action: Html | "",
  note: Html | "" = "",
): Html {
  return html`<div class="outcome outcome-${kind}">
${icon(kind, 48)}<h1 tabindex="-1">${title}</h1><p>${text}</p>${note}${action}</div>`;
}

function backLink(view: PublicView, ctx: ViewContext): Html | "" {
  // Inside the merchant's own page the host decides where to go next (it gets an event).
  const url = wayBack(view);
  if (ctx.mode === "embedded" || url === null) return "";
  return html`<a class="button" id="way-back" href="${url}" rel="noreferrer">${ctx.m.text("returnTo", { merchant: view.merchant.name })}</a>`;
}

/** "You paid €23.50 to Corner Shop with Visa •••• 4242." and its bank transfer forms. */
function receipt(view: PublicView, ctx: ViewContext): Html {
  const method = view.payment?.payment_method;
  const values = {
    amount: view.amount === null ? "" : money(view.amount, view, ctx),
    merchant: view.merchant.name,
  };
  if (method?.type === "card") {
    // As the form named it while the payer typed (static/card.js); "Card" for a brand we do not know.
    const brand = brandName(method.brand) || ctx.m.text("methodCard");
    const card = html`<span class="nowrap">${brand} •••• ${method.last4}</span>`;
    return ctx.m.html("paidCard", { ...values, card });
  }
  if (method?.type === "bank_transfer") {
    const bank = bankName(view, method.bank_id);
    return bank === null
      ? ctx.m.html("paidBank", values)
      : ctx.m.html("paidBankFrom", { ...values, bank });
  }
  return ctx.m.html("paid", values);
}

function panel(view: PublicView, ctx: ViewContext): Html {
  const { m } = ctx;
  switch (view.status) {
    case "PENDING":
      // The page's one heading for screen readers; the summary beside it says the rest.
      return html`<h1 class="visually-hidden">${m.text("payTo", { merchant: view.merchant.name })}</h1>${renderForm(
        view,
        {
          // The payer's own amount: "Pay" until they type one (the script then names it).
          payLabel:
            view.amount === null
              ? m.text("pay")
              : m.text("payAmount", { amount: formatAmount(view.amount, view.currency, m.locale) }),
          m,
          region: regionOf(m.locale),
          payerCountry: view.payer_country,
          notice: declineNotice(view, m),
        },
      )}`;
    case "PROCESSING":
      return view.next_action === null
        ? outcome("closed", m.text("processingTitle"), m.text("processingText"), "")
        : outcome(
            "bank",
            m.text("bankCheckTitle"),
            m.text("bankCheckText"),
            html`<a class="button" id="next-action" href="${view.next_action.url}">${m.text("bankCheckContinue")}</a>`,
          );
    case "COMPLETED":
      return outcome("success", m.text("paidTitle"), receipt(view, ctx), backLink(view, ctx));
    case "EXPIRED":
      return outcome(
        "closed",
        m.text("expiredTitle"),
        m.text("expiredText"),
        backLink(view, ctx),
        view.expires_at === null
          ? ""
          : html`<div class="outcome-when"><time datetime="${view.expires_at}">${m.text("expiredAt", { date: formatDate(view.expires_at, m.locale) })}</time></div>`,
      );
    case "CANCELLED":
      return outcome(
        "closed",
        m.text("cancelledTitle"),
        m.text("cancelledText"),
        backLink(view, ctx),
      );
    case "FAILED":
      return outcome("failed", m.text("failedTitle"), m.text("failedText"), backLink(view, ctx));
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
      ? html`<span aria-hidden="true">← </span>${ctx.m.text("backTo", { merchant: view.merchant.name })}`
      : ctx.m.text("cancelPayment");
  return html`<form class="exit-form" id="exit-form" method="post" action="/pay/${view.id}/exit"><button type="submit" class="exit" id="exit">${label}</button></form>`;
}

/** The way back and the "Test mode" badge, above everything else; nothing when neither applies. */
function topBar(view: PublicView, ctx: ViewContext): Html | "" {
  const parts = [exitControl(view, ctx), testModeBadge(view, ctx.m)].filter((part) => part !== "");
  return parts.length === 0 ? "" : html`<div class="top-bar">${parts}</div>`;
}

/** The checkout's main element: summary and panel, with what the script needs as data. */
export function renderCheckout(view: PublicView, ctx: ViewContext): Html {
  return html`<main class="checkout checkout-${ctx.mode}" id="checkout" data-status="${view.status}" data-expires-at="${view.expires_at ?? ""}"${
    view.next_action === null ? "" : html` data-next-action="${view.next_action.url}"`
  }>
${topBar(view, ctx)}
<div class="layout">${summary(view, ctx)}
<section class="panel" aria-live="polite">${panel(view, ctx)}</section></div>
<footer class="trust"><p><span>${icon("lock", 14)} ${ctx.m.text("secureCheckout")} ·</span> <span>${ctx.m.text("cardsNotStored")} ·</span> <span>${ctx.m.text("poweredBy")}</span></p>${supportLink(view, ctx.m)}</footer>
</main>${brandLink(view)}`;
}

export const pageTitle = (view: PublicView, ctx: ViewContext) =>
  `${view.merchant.name} · ${view.amount === null ? ctx.m.text("checkout") : formatAmount(view.amount, view.currency, ctx.m.locale)}`;
