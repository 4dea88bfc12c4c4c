/**
 * One session on the ops screen: its status and the session → payment → charges → deliveries
 * chain at the top, loud flags (money that arrived after the session closed), the actions its
 * state allows (cancel, capture; each goes through the same object method the API uses), the
 * details, the payment with its charges, every webhook delivery, the journal, and the machine
 * with the current state lit.
 */
import * as z from "zod";
import { type Html, html } from "../html.js";
import { deliveriesSection } from "./deliveries-section.js";
import { badge, facts, money, time } from "./format.js";
import { journalSection } from "./journal-section.js";
import { csrfField, opsDocument, opsResponse } from "./layout.js";
import { renderMachineChart } from "./machine-chart.js";
import { paymentSection } from "./payment-section.js";
import {
  currentState,
  type OpsSessionView,
  type SessionPageData,
  visitedStates,
} from "./session-data.js";

function relation(data: SessionPageData): Html {
  const { view, events } = data;
  const payment = view.payment;
  const charges = payment?.charges.length ?? 0;
  const attempts = events.reduce((sum, event) => sum + event.delivery.attempts.length, 0);
  return html`<ol class="relation" aria-label="Session, payment, charges and deliveries">
<li><span class="relation-kind">Session</span> <code class="id">${view.id}</code> ${badge(view.status)}</li>
<li>${
    payment
      ? html`<a href="#payment"><span class="relation-kind">Payment</span> <code class="id">${payment.id}</code></a> ${badge(payment.status)}`
      : html`<span class="relation-kind">Payment</span> <span class="muted">none yet</span>`
  }</li>
<li><span class="relation-kind">Charges</span> ${charges}</li>
<li><a href="#events"><span class="relation-kind">Webhook events</span> ${events.length}</a> <span class="muted">(${attempts} attempt${attempts === 1 ? "" : "s"})</span></li>
</ol>`;
}

function flags(view: OpsSessionView): Html | "" {
  const late = view.payment?.charges.filter((charge) => charge.late) ?? [];
  if (!view.payment?.paid_after_close && late.length === 0) return "";
  return html`<div class="flag-banner" role="alert">
<h2>paid_after_close: money arrived after this session closed</h2>
<p>The provider reported success after the session was ${view.status.toLowerCase()}${view.closed_reason ? ` (${view.closed_reason})` : ""}. The money is kept and the session stays closed: refund it (Actions) or fulfil the order by hand.${
    late.length > 0
      ? html` Late charge${late.length === 1 ? "" : "s"}: ${late.map((c, i) => html`${i > 0 ? ", " : ""}<a href="#${c.id}"><code>${c.id}</code></a>`)}.`
      : ""
  }</p></div>`;
}

function actions(data: SessionPageData): Html {
  const { view, session } = data;
  const cancellable = view.status === "PENDING";
  const capturable =
    view.payment?.status === "AUTHORIZED" && view.payment.capture_method === "manual";
  const left = refundableLeft(view.payment);
  const none =
    !cancellable && !capturable && left === 0
      ? html`<p class="muted">No action: ${view.status === "PROCESSING" ? "a payment is in progress." : `the session is ${view.status.toLowerCase()}${view.payment?.status === "AUTHORIZED" ? " and its capture is under way" : ""}.`}</p>`
      : "";
  return html`<section class="panel actions" aria-labelledby="actions-title"><h2 id="actions-title">Actions</h2>
${
  cancellable
    ? html`<form method="post" action="/ops/sessions/${view.id}/cancel" class="inline-form">${csrfField(session)}<button type="submit" class="button button-danger">Cancel session</button></form>`
    : ""
}${
  capturable && view.payment
    ? html`<form method="post" action="/ops/sessions/${view.id}/capture" class="inline-form">${csrfField(session)}<button type="submit" class="button">Capture ${money(view.payment.amount, view.payment.currency)}</button></form>`
    : ""
}${
  left > 0 && view.payment
    ? html`<form method="post" action="/ops/sessions/${view.id}/refund" class="inline-form">${csrfField(session)}<button type="submit" class="button button-danger">Refund ${money(left, view.payment.currency)}</button></form>`
    : ""
}${none}</section>`;
}

/** What a paid payment has left to refund: its amount less every refund not failed. */
function refundableLeft(payment: OpsSessionView["payment"]): number {
  if (payment?.status !== "SUCCEEDED") return 0;
  const given = payment.refunds
    .filter((refund) => refund.status !== "failed")
    .reduce((sum, refund) => sum + refund.amount, 0);
  return Math.max(0, payment.amount - given);
}

/** What the view shows of a StableMint session (src/dialects/stablemint/views.ts). */
const StablemintFields = z
  .looseObject({
    website_reference: z.string().nullable().optional(),
    user_id: z.string().nullable().optional(),
  })
  .nullable()
  .catch(null);

function details(view: OpsSessionView): Html {
  const metadata = Object.entries(view.metadata);
  // A dialect's own fields (src/core/dialect.ts `viewFields`): StableMint's, or none.
  const fields: Record<string, unknown> = { ...view };
  const stablemint = StablemintFields.parse(fields.stablemint);
  return html`<section class="panel" aria-labelledby="details-title"><h2 id="details-title">Details</h2>
${facts([
  ["Amount", money(view.amount, view.currency)],
  ["Created", time(view.created_at)],
  ["Updated", time(view.updated_at)],
  ["Expires", time(view.expires_at)],
  ["Closed because", view.closed_reason],
  ["Capture", view.capture_method],
  ["3-D Secure", view.secure_mode ? "always" : "when the issuer asks"],
  ["Customer", view.customer?.email ?? view.customer?.name ?? null],
  ["Return URL", view.return_url],
  ["StableMint reference", stablemint ? html`<code>${view.id}</code>` : null],
  ["websiteReference", stablemint?.website_reference ?? null],
  ["StableMint userId", stablemint?.user_id ?? null],
])}
${
  metadata.length === 0
    ? ""
    : html`<h3>Metadata</h3><dl class="facts metadata">${metadata.map(([key, value]) => html`<div><dt><code>${key}</code></dt><dd>${value}</dd></div>`)}</dl>`
}</section>`;
}

export function sessionPage(data: SessionPageData, status = 200): Response {
  const { view, journal } = data;
  const current = currentState(view, journal);
  const body = html`<div class="session-head">
<p class="crumbs"><a href="/ops/sessions">Sessions</a> /</p>
<h1>${money(view.amount, view.currency)} ${badge(view.status)}</h1>
</div>
${relation(data)}
${flags(view)}
<div class="session-grid">
<div class="session-main">
${actions(data)}
${details(view)}
${paymentSection(view.payment, journal)}
${deliveriesSection(data.session, data.events, data.endpoints)}
${journalSection(journal)}
</div>
<aside class="session-side panel" aria-labelledby="machine-title">
<h2 id="machine-title">State machine</h2>
<p class="muted small">Drawn from <code>checkoutSessionMachine</code>. Now: <strong>${current}</strong>.</p>
${renderMachineChart(current, visitedStates(view, journal))}
</aside>
</div>`;
  return opsResponse(
    opsDocument({
      title: `Session ${view.id.slice(0, 12)}…`,
      session: data.session,
      section: "sessions",
      body,
      notice: data.notice ?? null,
    }),
    status,
  );
}
