/**
 * The session list: a GET form of filters (status, created range, amount, currency) and one
 * search box, then one row per session with its payment beside it, newest first, in keyset
 * pages with Newer / Older links that keep the filters.
 */
import * as z from "zod";
import type { OpsSessionPage, OpsSessionRow } from "../../d1/ops-search.js";
import type { FieldError } from "../../errors.js";
import { type Html, html } from "../html.js";
import type { OpsSession } from "./auth.js";
import { type RawFilters, SESSION_STATUSES } from "./form.js";
import { badge, money, time } from "./format.js";
import { type Notice, opsDocument, opsResponse } from "./layout.js";

/** What a row shows of the stored view: parsed, as stored data always is. */
const ListedView = z.looseObject({
  metadata: z.record(z.string(), z.string()).catch({}),
  payment: z.looseObject({ status: z.string() }).nullable().catch(null),
  stablemint: z
    .looseObject({ website_reference: z.string().nullable().optional() })
    .nullable()
    .catch(null),
});

function listedView(text: string | null) {
  if (text === null) return null;
  try {
    const parsed = ListedView.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function row(session: OpsSessionRow): Html {
  const view = listedView(session.view);
  const metadata = Object.entries(view?.metadata ?? {}).slice(0, 3);
  const reference = view?.stablemint?.website_reference;
  return html`<tr>
<td data-label="Created">${time(session.createdAt)}</td>
<td data-label="Session"><a href="/ops/sessions/${session.id}"><code class="id">${session.id}</code></a></td>
<td data-label="Status">${badge(session.status)}</td>
<td data-label="Amount" class="num">${money(session.amount, session.currency)}</td>
<td data-label="Payment">${session.paymentId === null ? "—" : html`<code class="id">${session.paymentId}</code> ${view?.payment ? badge(view.payment.status) : ""}`}</td>
<td data-label="Metadata">${metadata.length === 0 && !reference ? "—" : html`${metadata.map(([key, value]) => html`<span class="tag"><span class="muted">${key}</span> ${value}</span> `)}${reference ? html`<span class="tag"><span class="muted">websiteReference</span> ${reference}</span>` : ""}`}</td>
</tr>`;
}

function field(
  name: keyof RawFilters,
  label: string,
  errors: FieldError[],
  input: (attrs: Html) => Html,
  hint?: string,
): Html {
  const error = errors.find((e) => e.field === name);
  const described = [hint ? `${name}-hint` : "", error ? `${name}-error` : ""].filter(Boolean);
  const attrs = html` id="${name}" name="${name}"${error ? html` aria-invalid="true"` : ""}${
    described.length > 0 ? html` aria-describedby="${described.join(" ")}"` : ""
  }`;
  return html`<div class="field field-${name}"><label for="${name}">${label}</label>${input(attrs)}${
    hint ? html`<p class="field-hint" id="${name}-hint">${hint}</p>` : ""
  }${error ? html`<p class="field-error" id="${name}-error">${error.message}</p>` : ""}</div>`;
}

function filterForm(raw: RawFilters, errors: FieldError[]): Html {
  const text =
    (name: keyof RawFilters, type = "text", extra: Html | "" = "") =>
    (attrs: Html) =>
      html`<input type="${type}"${attrs} value="${raw[name] ?? ""}"${extra}>`;
  return html`<form method="get" action="/ops/sessions" class="filters" role="search" aria-label="Find sessions">
${field("q", "Search", errors, text("q", "search", html` spellcheck="false"`), "A session, payment, charge or event id, a StableMint sessionId, a metadata value (order_id), a websiteReference or userId, a customer email, or a request-id that touched the session.")}
${field("status", "Status", errors, (attrs) => html`<select${attrs}><option value="">Any</option>${SESSION_STATUSES.map((s) => html`<option value="${s}"${raw.status === s ? html` selected` : ""}>${s}</option>`)}</select>`)}
${field("from", "Created from (UTC)", errors, text("from", "date"))}
${field("to", "Created to (UTC)", errors, text("to", "date"))}
${field("amount_min", "Amount at least", errors, text("amount_min", "text", html` inputmode="numeric"`), "Minor units: 12500 is 125.00")}
${field("amount_max", "Amount at most", errors, text("amount_max", "text", html` inputmode="numeric"`))}
${field("currency", "Currency", errors, text("currency", "text", html` maxlength="3" autocapitalize="characters" placeholder="EUR"`))}
<div class="filter-buttons"><button type="submit" class="button">Find</button> <a href="/ops/sessions" class="button button-quiet">Clear</a></div>
</form>`;
}

/** The list's address with the same filters and another page. */
function pageLink(raw: RawFilters, page: { after?: string; before?: string }): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(raw)) {
    if (name !== "after" && name !== "before" && value !== undefined && value !== "") {
      params.set(name, value);
    }
  }
  if (page.after !== undefined) params.set("after", page.after);
  if (page.before !== undefined) params.set("before", page.before);
  return `/ops/sessions?${params.toString()}`;
}

export interface SessionsPageData {
  session: OpsSession;
  raw: RawFilters;
  errors: FieldError[];
  page: OpsSessionPage | null;
  notice?: Notice | null;
}

export function sessionsPage(data: SessionsPageData, status = 200): Response {
  const { page, raw } = data;
  const results =
    page === null
      ? ""
      : page.rows.length === 0
        ? html`<p class="empty">No session matches.</p>`
        : html`<div class="table-wrap"><table class="stack sessions">
<caption>Sessions, newest first</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Session</th><th scope="col">Status</th><th scope="col" class="num">Amount</th><th scope="col">Payment</th><th scope="col">Metadata</th></tr></thead>
<tbody>${page.rows.map(row)}</tbody></table></div>`;
  const pager =
    page === null || (page.newer === null && page.older === null)
      ? ""
      : html`<nav class="pager" aria-label="Pages">${
          page.newer === null
            ? ""
            : html`<a class="button button-quiet" rel="prev" href="${pageLink(raw, { before: page.newer })}">← Newer</a>`
        }${
          page.older === null
            ? ""
            : html`<a class="button button-quiet" rel="next" href="${pageLink(raw, { after: page.older })}">Older →</a>`
        }</nav>`;
  const body = html`<h1>Checkout sessions</h1>
${filterForm(raw, data.errors)}
${data.errors.length > 0 ? html`<p class="notice notice-error" role="alert">Some filters are not valid: see the fields above.</p>` : ""}
${results}
${pager}`;
  return opsResponse(
    opsDocument({
      title: "Sessions",
      session: data.session,
      section: "sessions",
      body,
      notice: data.notice ?? null,
    }),
    status,
  );
}
