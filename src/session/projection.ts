/**
 * A session's D1 projections: its row in the session index, its webhook events in the events
 * index, the requests in its journal (what finds it by `request-id`), and its dialect's own
 * (StableMint: the banks its payer paid with). Written a moment
 * after the first change D1 lacks (`PROJECTION_LAG_MS`), so that a request's changes and the
 * deliveries after it go in one batch, after the payer or merchant has been answered; after a
 * failure, backing off. What D1 is owed is recorded in the session's own storage, in the
 * transaction of the change. Every statement is an idempotent upsert that never moves a row
 * backwards, so a projection can be written again in full at any time.
 */
import { type CheckoutSnapshot, sessionStatus } from "../../machines/index.js";
import type { SessionDetails } from "../core/details.js";
import type { Dialect } from "../core/dialect.js";
import { sessionView } from "../core/views.js";
import { eventUpserts } from "../d1/events.js";
import { sessionRequestInserts } from "../d1/session-requests.js";
import { sessionIndexUpsert } from "../d1/sessions.js";
import type { SessionStore, StoredSession } from "./store.js";

const DEFAULT_PROJECTION_LAG_MS = 1_000;

export class Projection {
  /** The snapshot D1 last took from this instance (null: not known, so write it all). */
  private projectedFrom: CheckoutSnapshot | null = null;
  /** The last journal entry whose request D1 has (null: not known, so write them all). */
  private projectedSeq: number | null = null;
  /** Writes that failed in a row, and when to try again. */
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly store: SessionStore,
    private readonly host: { env(): Env; now(): number },
  ) {}

  /** When D1 is next written; null: it has everything. */
  dueAt(): number | null {
    const since = this.store.unprojectedSince();
    if (since === null) return null;
    const lag = Number(this.host.env().PROJECTION_LAG_MS ?? DEFAULT_PROJECTION_LAG_MS);
    return Math.max(since + lag, this.retryAt);
  }

  async writeIfDue(session: StoredSession, dialect: Dialect): Promise<void> {
    const at = this.dueAt();
    if (at !== null && this.host.now() >= at) await this.write(session, dialect);
  }

  /**
   * Brings D1 up to the session's state in one batch of idempotent upserts. D1 never fails the
   * session: a failed write is logged and tried again from the alarm, backing off, until D1
   * takes it; payers, providers and webhooks go on meanwhile.
   */
  private async write(session: StoredSession, dialect: Dialect): Promise<void> {
    const s = session.snapshot;
    const db = this.host.env().DB;
    const requests = this.store.requestsAfter(this.projectedSeq);
    try {
      await db.batch([
        ...projectionStatements(db, this.projectedFrom, s, session.details, dialect),
        ...sessionRequestInserts(db, s.context.merchantId, s.context.id, requests),
      ]);
      this.projectedFrom = s;
      this.projectedSeq = requests.at(-1)?.seq ?? this.projectedSeq;
      this.failures = 0;
      this.retryAt = 0;
      // A change made while the batch was out is still owed.
      if (session.snapshot === s) this.store.projected();
    } catch (error) {
      // After a failure the write's effect is unknown: the next one writes everything.
      this.projectedFrom = null;
      this.projectedSeq = null;
      const failures = ++this.failures;
      console.error(JSON.stringify({ projection: s.context.id, failures, error: String(error) }));
      this.retryAt = this.host.now() + projectionRetryDelayMs(failures);
    }
  }
}

/** How long after a failed projection the object tries again: doubling, from 5 s to 5 min. */
function projectionRetryDelayMs(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, failures - 1), 300_000);
}

/**
 * The statements that bring D1 up to `s`. With `before`, only what the transition from it
 * changed (the usual case); without, everything, as a catch-up after a failure writes it.
 */
function projectionStatements(
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
