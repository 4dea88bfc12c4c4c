/**
 * The session object's SQLite storage: the snapshot envelope and details in one row, the journal
 * of every accepted event with its cause, and the body of every webhook event in the outbox. A
 * transition is written in one transaction (the transactional outbox: an event exists exactly
 * when the state change that caused it does), before any effect it calls for is performed.
 */

import * as z from "zod";
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  restoreSnapshot,
  stateName,
  toEnvelope,
} from "../machines/index.js";
import type { SessionDetails } from "./session-details.js";

/** Who or what caused a transition, so support can trace any outcome. */
export interface Cause {
  kind: "merchant" | "payer" | "provider" | "alarm";
  requestId: string | null;
}

export interface StoredSession {
  snapshot: CheckoutSnapshot;
  details: SessionDetails;
  fingerprint: string;
  createResponse: string;
}

/** A webhook event's body, rendered when the event is emitted and sent unchanged ever after. */
export interface OutboxPayload {
  eventId: string;
  body: string;
}

/** A journal row as stored: the event is its JSON, parsed again (with zod) on the way out. */
const JournalRow = z.object({
  seq: z.number().int(),
  at: z.number(),
  event: z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(z.looseObject({ type: z.string() })),
  cause: z.enum(["merchant", "payer", "provider", "alarm"]),
  request_id: z.string().nullable(),
  state: z.string(),
});
export type JournalEntry = z.infer<typeof JournalRow>;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS session (
    k INTEGER PRIMARY KEY CHECK (k = 1),
    envelope TEXT NOT NULL,
    details TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    create_response TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    cause TEXT NOT NULL,
    request_id TEXT,
    state TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS outbox_payload (
    event_id TEXT PRIMARY KEY,
    body TEXT NOT NULL
  );`;

export class SessionStore {
  private failures: number | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

  load(): StoredSession | null {
    // The schema is written with the session itself (one commit); before that, there is none.
    const exists = this.storage.sql
      .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session'")
      .toArray();
    if (exists.length === 0) return null;
    const row = this.storage.sql
      .exec<{ envelope: string; details: string; fingerprint: string; create_response: string }>(
        "SELECT envelope, details, fingerprint, create_response FROM session WHERE k = 1",
      )
      .toArray()[0];
    if (row === undefined) return null;
    return {
      snapshot: restoreSnapshot(row.envelope),
      // Written only by this class from a typed value; the envelope is the part zod guards.
      details: JSON.parse(row.details),
      fingerprint: row.fingerprint,
      createResponse: row.create_response,
    };
  }

  create(session: StoredSession, cause: Cause): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(SCHEMA);
      this.storage.sql.exec(
        "INSERT INTO session (k, envelope, details, fingerprint, create_response) VALUES (1, ?, ?, ?, ?)",
        JSON.stringify(toEnvelope(session.snapshot)),
        JSON.stringify(session.details),
        session.fingerprint,
        session.createResponse,
      );
      this.journal(
        session.snapshot,
        { type: "CREATE", at: session.snapshot.context.createdAt },
        cause,
      );
    });
  }

  /** Snapshot and details, the journal entry and any new webhook events: all or nothing. */
  save(
    snapshot: CheckoutSnapshot,
    details: SessionDetails,
    event: CheckoutEvent,
    cause: Cause,
    payloads: readonly OutboxPayload[] = [],
  ): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(
        "UPDATE session SET envelope = ?, details = ? WHERE k = 1",
        JSON.stringify(toEnvelope(snapshot)),
        JSON.stringify(details),
      );
      this.journal(snapshot, event, cause);
      for (const { eventId, body } of payloads) {
        this.storage.sql.exec(
          "INSERT INTO outbox_payload (event_id, body) VALUES (?, ?)",
          eventId,
          body,
        );
      }
    });
  }

  /**
   * How many projection writes to D1 have failed in a row (0: D1 is up to date). Kept in storage
   * so a restart still catches up; the table exists only once a write has failed, so the usual
   * path reads it once per instance and writes nothing.
   */
  projectionFailures(): number {
    if (this.failures === undefined) {
      const table = this.storage.sql
        .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'projection'")
        .toArray();
      const row =
        table.length === 0
          ? undefined
          : this.storage.sql.exec("SELECT failures FROM projection WHERE k = 1").toArray()[0];
      this.failures =
        z.object({ failures: z.number().int().nonnegative() }).optional().parse(row)?.failures ?? 0;
    }
    return this.failures;
  }

  setProjectionFailures(failures: number): void {
    this.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS projection (k INTEGER PRIMARY KEY CHECK (k = 1), failures INTEGER NOT NULL)",
    );
    this.storage.sql.exec(
      "INSERT INTO projection (k, failures) VALUES (1, ?) ON CONFLICT (k) DO UPDATE SET failures = excluded.failures",
      failures,
    );
    this.failures = failures;
  }

  payload(eventId: string): string | null {
    return (
      this.storage.sql
        .exec<{ body: string }>("SELECT body FROM outbox_payload WHERE event_id = ?", eventId)
        .toArray()[0]?.body ?? null
    );
  }

  entries(): JournalEntry[] {
    const rows = this.storage.sql
      .exec("SELECT seq, at, event, cause, request_id, state FROM journal ORDER BY seq")
      .toArray();
    return z.array(JournalRow).parse(rows);
  }

  private journal(snapshot: CheckoutSnapshot, event: { type: string; at: number }, cause: Cause) {
    this.storage.sql.exec(
      "INSERT INTO journal (at, event, cause, request_id, state) VALUES (?, ?, ?, ?, ?)",
      event.at,
      JSON.stringify(event),
      cause.kind,
      cause.requestId,
      stateName(snapshot),
    );
  }
}
