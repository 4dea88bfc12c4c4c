/**
 * The session object's SQLite storage: the snapshot envelope and details in one row, the journal
 * of every accepted event with its cause, the body of every webhook event in the outbox, and
 * since when D1 has not seen the session's state. A transition is written in one transaction
 * (the transactional outbox: an event, and the projection owed for it, exist exactly when the
 * state change that caused them does), before any effect it calls for is performed.
 */

import * as z from "zod";
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  restoreSnapshot,
  stateName,
  toEnvelope,
} from "../../machines/index.js";
import type { Cause, SessionDetails, StoredSession } from "../core/details.js";

export type { Cause, StoredSession } from "../core/details.js";

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

/** Since when D1 lacks the session's state; no row: D1 has all of it. */
const UNPROJECTED = `CREATE TABLE IF NOT EXISTS unprojected (
    k INTEGER PRIMARY KEY CHECK (k = 1),
    since INTEGER NOT NULL
  )`;

const Since = z.object({ since: z.number().int().nonnegative() });

/** A sandbox session's test clock: how far its time runs ahead of the real one (test helpers). */
const TEST_CLOCK = `CREATE TABLE IF NOT EXISTS test_clock (
    k INTEGER PRIMARY KEY CHECK (k = 1),
    offset_ms INTEGER NOT NULL
  )`;

const Offset = z.object({ offset_ms: z.number().int().nonnegative() });

export class SessionStore {
  /**
   * Since when D1 has not seen this session's state (null: it has seen all of it); undefined
   * until loaded. Set in the transaction of the first change D1 lacks, cleared once D1 has it.
   */
  private since: number | null | undefined;
  /** The `unprojected` table exists (sessions stored before it lack it until their next change). */
  private owesTable = false;
  /** How far the session's clock runs ahead of the real one (0 unless a test helper moved it). */
  private offset = 0;

  constructor(
    private readonly storage: DurableObjectStorage,
    /** Reads the stored details JSON as the current model (zod; older shapes upgraded). */
    private readonly parseDetails: (json: string) => SessionDetails,
  ) {}

  load(): StoredSession | null {
    // The schema is written with the session itself (one commit); before that, there is none.
    const tables = this.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('session', 'unprojected', 'test_clock')",
      )
      .toArray()
      .map((t) => t.name);
    if (!tables.includes("session")) return null;
    const row = this.storage.sql
      .exec<{ envelope: string; details: string; fingerprint: string; create_response: string }>(
        "SELECT envelope, details, fingerprint, create_response FROM session WHERE k = 1",
      )
      .toArray()[0];
    if (row === undefined) return null;
    // A session stored before projections were owed in storage: project it once, in full.
    this.owesTable = tables.includes("unprojected");
    this.since = this.owesTable
      ? (z
          .array(Since)
          .parse(this.storage.sql.exec("SELECT since FROM unprojected WHERE k = 1").toArray())[0]
          ?.since ?? null)
      : 0;
    this.offset = tables.includes("test_clock")
      ? (z
          .array(Offset)
          .parse(this.storage.sql.exec("SELECT offset_ms FROM test_clock WHERE k = 1").toArray())[0]
          ?.offset_ms ?? 0)
      : 0;
    return {
      snapshot: restoreSnapshot(row.envelope),
      details: this.parseDetails(row.details),
      fingerprint: row.fingerprint,
      createResponse: row.create_response,
    };
  }

  create(session: StoredSession, cause: Cause): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(SCHEMA);
      this.storage.sql.exec(UNPROJECTED);
      this.owesTable = true;
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
      this.since = null;
      this.owe(session.snapshot.context.createdAt);
    });
  }

  /**
   * Snapshot and details, the journal entry, any new webhook events and the projection D1 is
   * now owed: all or nothing.
   */
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
      this.owe(event.at);
    });
  }

  clockOffset(): number {
    return this.offset;
  }

  /** Moves the session's clock to run `offsetMs` ahead of the real one (never back). */
  setClockOffset(offsetMs: number): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(TEST_CLOCK);
      this.storage.sql.exec(
        "INSERT OR REPLACE INTO test_clock (k, offset_ms) VALUES (1, ?)",
        offsetMs,
      );
    });
    this.offset = offsetMs;
  }

  /** Since when D1 has not seen the session's state; null when it has seen all of it. */
  unprojectedSince(): number | null {
    return this.since ?? null;
  }

  /** D1 has the session's state: nothing is owed to it any more. */
  projected(): void {
    if (this.since === null) return;
    if (this.owesTable) this.storage.sql.exec("DELETE FROM unprojected");
    this.since = null;
  }

  /** Records, in the caller's transaction, that D1 lacks a change made at `at`. */
  private owe(at: number): void {
    // Only the first change since D1 was up to date writes a row; the rest add nothing to it.
    if (this.since !== null && this.since !== undefined) return;
    if (!this.owesTable) this.storage.sql.exec(UNPROJECTED);
    this.owesTable = true;
    this.storage.sql.exec("INSERT OR REPLACE INTO unprojected (k, since) VALUES (1, ?)", at);
    this.since = at;
  }

  payload(eventId: string): string | null {
    return (
      this.storage.sql
        .exec<{ body: string }>("SELECT body FROM outbox_payload WHERE event_id = ?", eventId)
        .toArray()[0]?.body ?? null
    );
  }

  /** The request ids sent to the session (not its alarms') after journal entry `seq` (null: all). */
  requestsAfter(seq: number | null): Array<{ seq: number; requestId: string; at: number }> {
    const rows = this.storage.sql
      .exec(
        // An alarm's own id names no request anyone sent: only the merchant's, payer's and
        // provider answers' are worth finding a session by.
        "SELECT seq, request_id, at FROM journal WHERE seq > ? AND request_id IS NOT NULL AND cause != 'alarm' ORDER BY seq",
        seq ?? 0,
      )
      .toArray();
    return z
      .array(z.object({ seq: z.number().int(), request_id: z.string(), at: z.number() }))
      .parse(rows)
      .map((row) => ({ seq: row.seq, requestId: row.request_id, at: row.at }));
  }

  /** The sequence number of the latest journal entry: how far the session has come (live state). */
  lastSeq(): number {
    const row = this.storage.sql.exec("SELECT max(seq) AS seq FROM journal").toArray()[0];
    return z.object({ seq: z.number().int() }).parse(row).seq;
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
