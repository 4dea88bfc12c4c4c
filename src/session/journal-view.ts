/** The journal as `GET /v1/checkout-sessions/:id/journal` shows it. */

import { iso } from "../core/views.js";
import type { JournalEntry } from "./store.js";

/**
 * One journal entry as the API shows it: the accepted event (parsed, times in ISO), its cause,
 * the request that caused it and the state it led to.
 */
export function journalEntryView(entry: JournalEntry) {
  const { type, at: _at, ...fields } = entry.event;
  return {
    object: "journal_entry",
    seq: entry.seq,
    type,
    at: iso(entry.at),
    cause: entry.cause,
    request_id: entry.request_id,
    state: entry.state,
    event: fields,
  };
}
