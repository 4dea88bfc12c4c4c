/**
 * What the session page shows, as the session's object answers it (the object is the truth:
 * retrieve, journal and each webhook event), and where in the machine the session stands.
 */

import * as z from "zod";
import type { eventView } from "../../core/event-views.js";
import type { sessionView } from "../../core/views.js";
import type { WebhookEndpoint } from "../../webhooks/endpoints.js";
import type { OpsSession } from "./auth.js";
import type { Notice } from "./layout.js";

export type OpsSessionView = ReturnType<typeof sessionView>;
/**
 * A journal entry as `journal(merchantId)` answers it (src/session/journal-view.ts), parsed on
 * this side of the RPC: its `event` fields are whatever the event carried.
 */
export const OpsJournalEntries = z.array(
  z.object({
    seq: z.number(),
    type: z.string(),
    at: z.string().nullable(),
    cause: z.string(),
    request_id: z.string().nullable(),
    state: z.string(),
    event: z.record(z.string(), z.unknown()),
  }),
);
export type OpsJournalEntry = z.infer<typeof OpsJournalEntries>[number];
export type OpsEvent = ReturnType<typeof eventView>;

export interface SessionPageData {
  session: OpsSession;
  view: OpsSessionView;
  journal: OpsJournalEntry[];
  events: OpsEvent[];
  endpoints: WebhookEndpoint[];
  notice?: Notice | null;
}

const STATE_OF_STATUS: Record<string, string> = {
  PENDING: "open",
  PROCESSING: "processing",
  COMPLETED: "completed",
  EXPIRED: "expired",
  CANCELLED: "cancelled",
  FAILED: "failed",
};

/**
 * The machine state the session is in, as a dotted path (`completed.authorized`): the state its
 * journal last recorded (the top level), made exact by the payment where the public status is
 * shared by two states.
 */
export function currentState(view: OpsSessionView, journal: readonly OpsJournalEntry[]): string {
  const top = journal.at(-1)?.state ?? STATE_OF_STATUS[view.status] ?? "open";
  if (top !== "completed") return top;
  return view.payment?.status === "AUTHORIZED" ? "completed.authorized" : "completed.paid";
}

/** The states the journal says the session passed through (the current one included). */
export function visitedStates(
  view: OpsSessionView,
  journal: readonly OpsJournalEntry[],
): Set<string> {
  const visited = new Set(journal.map((entry) => entry.state));
  visited.add("open");
  const current = currentState(view, journal);
  visited.add(current);
  if (current === "completed.paid" && view.payment?.capture_method === "manual") {
    visited.add("completed.authorized");
  }
  return visited;
}
