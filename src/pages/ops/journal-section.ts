/**
 * The session's journal as a timeline: every accepted event, oldest first, with what caused it
 * (merchant, payer, provider, alarm), the request behind it (`request-id`, as the merchant sent
 * it and as webhooks carry it), when, and the state it led to.
 */
import { type Html, html } from "../html.js";
import { fieldsLine, time } from "./format.js";
import type { OpsJournalEntry } from "./session-data.js";

function entryItem(entry: OpsJournalEntry): Html {
  const fields = fieldsLine(entry.event);
  return html`<li class="timeline-entry cause-${entry.cause}">
<div class="timeline-head"><strong class="timeline-type">${entry.type}</strong> <span class="muted">→ ${entry.state}</span></div>
<div class="timeline-meta">${time(entry.at)} · <span class="cause">${entry.cause}</span>${
    entry.request_id === null
      ? ""
      : html` · <span class="muted">request-id</span> <code>${entry.request_id}</code>`
  }</div>
${fields === "" ? "" : html`<div class="timeline-fields"><code>${fields}</code></div>`}
</li>`;
}

export function journalSection(journal: readonly OpsJournalEntry[]): Html {
  return html`<section class="panel" id="journal" aria-labelledby="journal-title">
<h2 id="journal-title">Journal</h2>
${journal.length === 0 ? html`<p class="muted">Nothing recorded yet.</p>` : html`<ol class="timeline">${journal.map(entryItem)}</ol>`}
</section>`;
}
