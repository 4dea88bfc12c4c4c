/**
 * A session's payment and every charge behind it (one per provider attempt, so routing and
 * fallback show as they happened): provider, outcome, failure code, the method's brand and
 * last4 (never more), and what 3-D Secure did, read from the journal.
 */
import { type Html, html } from "../html.js";
import { badge, facts, money, time } from "./format.js";
import type { OpsJournalEntry, OpsSessionView } from "./session-data.js";

type Payment = NonNullable<OpsSessionView["payment"]>;
type Charge = Payment["charges"][number];
type JournalEntry = OpsJournalEntry;

/** What the journal says 3-D Secure did for a charge: asked, passed, failed, or nothing. */
export function threeDsOf(charge: Charge, journal: readonly JournalEntry[]): string {
  const steps = journal.filter((entry) => entry.event.chargeId === charge.id).map((e) => e.type);
  if (steps.includes("ACTION_FAILED")) return "challenge failed";
  if (steps.includes("ACTION_COMPLETED")) return "challenge passed";
  if (steps.includes("PROVIDER_REQUIRES_ACTION") || charge.next_action_url !== null) {
    return "challenge asked";
  }
  return "none";
}

function method(charge: Charge): string {
  const pm = charge.payment_method;
  if (pm.type === "card") {
    return `${pm.card?.brand ?? "card"} •••• ${pm.card?.last4 ?? "????"}`;
  }
  return `bank transfer ${pm.bank_id ?? ""}`.trim();
}

/** The risk checks' decision and score, then each reason that spoke. */
function risk(charge: Charge): Html | string {
  if (charge.risk === null) return "—";
  const { decision, score, reasons } = charge.risk;
  const why = reasons.map(
    (r) => html`<li><code>${r.rule}</code> ${r.score}: <span class="muted">${r.reason}</span></li>`,
  );
  return html`${decision.replace("_", " ")} (${score})${reasons.length === 0 ? "" : html`<ul class="reasons">${why}</ul>`}`;
}

function chargeRow(charge: Charge, journal: readonly JournalEntry[]): Html {
  const failure =
    charge.failure_code === null
      ? "—"
      : html`<code>${charge.failure_code}</code> <span class="muted">${charge.failure_message ?? ""}</span>`;
  return html`<tr id="${charge.id}">
<td data-label="Charge"><code class="id">${charge.id}</code>${charge.late ? html` <span class="flag">late success</span>` : ""}</td>
<td data-label="Provider">${charge.provider}</td>
<td data-label="Outcome">${badge(charge.status)}</td>
<td data-label="Failure">${failure}</td>
<td data-label="Risk">${risk(charge)}</td>
<td data-label="3-D Secure">${threeDsOf(charge, journal)}</td>
<td data-label="Method">${method(charge)}</td>
<td data-label="Created">${time(charge.created_at)}</td>
</tr>`;
}

export function paymentSection(
  payment: OpsSessionView["payment"],
  journal: readonly JournalEntry[],
): Html {
  if (payment === null) {
    return html`<section class="panel" aria-labelledby="payment-title"><h2 id="payment-title">Payment</h2><p class="muted">No payment yet: the payer has not confirmed.</p></section>`;
  }
  const charges =
    payment.charges.length === 0
      ? html`<p class="muted">No charge yet: no provider has been asked.</p>`
      : html`<div class="table-wrap"><table class="stack">
<caption>Charges, one per provider attempt, oldest first</caption>
<thead><tr><th scope="col">Charge</th><th scope="col">Provider</th><th scope="col">Outcome</th><th scope="col">Failure</th><th scope="col">Risk</th><th scope="col">3-D Secure</th><th scope="col">Method</th><th scope="col">Created</th></tr></thead>
<tbody>${payment.charges.map((charge) => chargeRow(charge, journal))}</tbody></table></div>`;
  const refunds =
    payment.refunds.length === 0
      ? ""
      : html`<div class="table-wrap"><table class="stack">
<caption>Refunds, oldest first</caption>
<thead><tr><th scope="col">Refund</th><th scope="col">Amount</th><th scope="col">Outcome</th><th scope="col">Failure</th><th scope="col">Created</th></tr></thead>
<tbody>${payment.refunds.map(
          (refund) => html`<tr id="${refund.id}">
<td data-label="Refund"><code class="id">${refund.id}</code></td>
<td data-label="Amount">${money(refund.amount, payment.currency)}</td>
<td data-label="Outcome">${badge(refund.status)}</td>
<td data-label="Failure">${refund.failure_code === null ? "—" : html`<code>${refund.failure_code}</code> <span class="muted">${refund.failure_message ?? ""}</span>`}</td>
<td data-label="Created">${time(refund.created_at)}</td>
</tr>`,
        )}</tbody></table></div>`;
  return html`<section class="panel" id="payment" aria-labelledby="payment-title">
<h2 id="payment-title">Payment <code class="id">${payment.id}</code> ${badge(payment.status)}</h2>
${facts([
  ["Amount", money(payment.amount, payment.currency)],
  ["Capture", payment.capture_method],
  [
    "Last error",
    payment.last_error === null
      ? null
      : html`<code>${payment.last_error.code}</code> ${payment.last_error.message}`,
  ],
  [
    "Refunded",
    payment.amount_refunded === 0 ? null : money(payment.amount_refunded, payment.currency),
  ],
  ["Created", time(payment.created_at)],
  ["Updated", time(payment.updated_at)],
])}
${charges}
${refunds}
</section>`;
}
