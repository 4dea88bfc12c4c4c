/**
 * The D1 projections of a session: its row in the session index, its webhook events in the
 * events index, and its dialect's own (StableMint: the banks its payer paid with). Every statement is an
 * idempotent upsert that never moves a row backwards, so a projection can be written again from
 * the session's current state at any time: after a failed attempt, a restart, or twice.
 */
import { type CheckoutSnapshot, sessionStatus } from "../../machines/index.js";
import type { SessionDetails } from "../core/details.js";
import type { Dialect } from "../core/dialect.js";
import { sessionView } from "../core/views.js";
import { eventUpserts } from "../d1/events.js";
import { sessionIndexUpsert } from "../d1/sessions.js";

/** How long after a failed projection the object tries again: doubling, from 5 s to 5 min. */
export function projectionRetryDelayMs(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, failures - 1), 300_000);
}

/**
 * The statements that bring D1 up to `s`. With `before`, only what the transition from it
 * changed (the usual case); without, everything, as a catch-up after a failure writes it.
 */
export function projectionStatements(
  db: D1Database,
  before: CheckoutSnapshot | null,
  s: CheckoutSnapshot,
  details: SessionDetails,
  dialect: Dialect,
): D1PreparedStatement[] {
  const { context } = s;
  const changed = context.outbox.filter((e, i) => before?.context.outbox[i] !== e);
  return [
    ...eventUpserts(db, context.merchantId, context.id, changed, context.updatedAt),
    ...dialect.projections(db, before, s, details),
    sessionIndexUpsert(db, {
      id: context.id,
      merchantId: context.merchantId,
      status: sessionStatus(s),
      amount: context.amount,
      currency: context.currency,
      createdAt: context.createdAt,
      updatedAt: context.updatedAt,
      expiresAt: context.expiresAt,
      paymentId: context.payment?.id ?? null,
      view: JSON.stringify(sessionView(s, details, dialect)),
    }),
  ];
}
