/**
 * Grows one merchant's session and events indexes in the D1 SQLite file while the runtime is
 * stopped, with copies of rows the service itself wrote: each copy is a real row with a new
 * session id (`cs_<64 hex>`, its events `evt_cs_<hex>_<sequence>`, its payment `pay_<hex>`) and
 * every time in it moved back by the same amount, so it parses exactly as the original does and
 * keeps its shape (status, view, delivery attempts) and its times' order. Copy k is created
 * SPACING_MS before copy k − 1, the first one before the oldest real row; a copy's events follow
 * it as the original's follow the original.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { z } from "zod";

const SPACING_MS = 1000;

const SessionRow = z.object({
  id: z.string(),
  merchant_id: z.string(),
  status: z.string(),
  amount: z.number().nullable(),
  currency: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  expires_at: z.number(),
  payment_id: z.string().nullable(),
  view: z.string().nullable(),
});
type SessionRow = z.infer<typeof SessionRow>;

const EventRow = z.object({
  id: z.string(),
  merchant_id: z.string(),
  session_id: z.string(),
  type: z.string(),
  sequence: z.number(),
  created_at: z.number(),
  delivery_status: z.string(),
  attempts: z.string(),
  next_attempt_at: z.number().nullable(),
  updated_at: z.number(),
  delivery: z.string().nullable(),
});
type EventRow = z.infer<typeof EventRow>;

const SESSION_COLUMNS = Object.keys(SessionRow.shape) as Array<keyof SessionRow>;
const EVENT_COLUMNS = Object.keys(EventRow.shape) as Array<keyof EventRow>;

const insert = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`;

/**
 * The queries the list routes run (src/d1/sessions.ts `listSessions`, src/d1/events.ts
 * `listEvents`) with a page of 20, the shapes this bench times: copied here, as the bench cannot
 * import the Worker's modules; keep them in step.
 */
export const LIST_SQL = {
  sessions: `SELECT id, merchant_id, status, amount, currency, created_at, updated_at, expires_at, payment_id, view
       FROM checkout_sessions WHERE merchant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  sessionsCompleted: `SELECT id, merchant_id, status, amount, currency, created_at, updated_at, expires_at, payment_id, view
       FROM checkout_sessions WHERE merchant_id = ? AND status = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  sessionsDeep: `SELECT id, merchant_id, status, amount, currency, created_at, updated_at, expires_at, payment_id, view
       FROM checkout_sessions WHERE merchant_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
  events: `SELECT id, session_id, type, sequence, created_at, delivery_status, attempts, next_attempt_at, delivery
       FROM webhook_events WHERE merchant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  eventsDeep: `SELECT id, session_id, type, sequence, created_at, delivery_status, attempts, next_attempt_at, delivery
       FROM webhook_events WHERE merchant_id = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
} as const;

const ISO = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/g;

/** `text` with the template's hex replaced and every ISO time in it moved by `deltaMs`. */
function moved(text: string, fromHex: string, toHex: string, deltaMs: number): string {
  return text
    .replaceAll(fromHex, toHex)
    .replace(ISO, (_, at: string) => `"${new Date(Date.parse(at) + deltaMs).toISOString()}"`);
}

const hexOf = (id: string) => {
  const hex = /^cs_([0-9a-f]{64})$/.exec(id)?.[1];
  if (hex === undefined) throw new Error(`not a session id: ${id}`);
  return hex;
};

/** Copy k's hex: fixed per k, so every run seeds the same ids. */
const copyHex = (k: number) =>
  createHash("sha256").update(`edge-checkout bench list copy ${k}`).digest("hex");

export interface Position {
  createdAt: number;
  id: string;
}

export interface Grown {
  sessions: number;
  events: number;
  fileBytes: number;
  seconds: number;
  /** For each list, the row in the middle (a cursor to it) and the row a page from it starts with. */
  middle: { sessions: [Position, Position]; events: [Position, Position] };
  /** `EXPLAIN QUERY PLAN` details of each list query, on this file. */
  plans: Record<keyof typeof LIST_SQL, string[]>;
}

export class Seeder {
  private readonly file: string;
  private readonly merchantId: string;
  private readonly templates: SessionRow[];
  private readonly eventsOf: Map<string, EventRow[]>;
  private readonly oldest: number;
  private copies = 0;
  /** The next copy whose events are still to add, and how many of them already are. */
  private eventCopy = 0;
  private eventInCopy = 0;
  readonly statuses: Record<string, number> = {};
  readonly templateEvents: number;

  /** Reads the merchant's real rows (the templates) from the file. */
  constructor(file: string, merchantId: string) {
    this.file = file;
    this.merchantId = merchantId;
    const db = new DatabaseSync(file, { readOnly: true });
    let events: EventRow[];
    try {
      this.templates = z
        .array(SessionRow)
        .parse(
          db
            .prepare("SELECT * FROM checkout_sessions WHERE merchant_id = ? ORDER BY created_at")
            .all(merchantId),
        );
      events = z
        .array(EventRow)
        .parse(
          db
            .prepare("SELECT * FROM webhook_events WHERE merchant_id = ? ORDER BY sequence")
            .all(merchantId),
        );
      this.eventsOf = Map.groupBy(events, (event) => event.session_id);
      this.templateEvents = events.length;
    } finally {
      db.close();
    }
    if (this.templates.some((t) => t.view === null)) throw new Error("a template has no view");
    if (this.templates.length === 0) throw new Error("no sessions to copy");
    for (const t of this.templates) this.statuses[t.status] = (this.statuses[t.status] ?? 0) + 1;
    const times = [...this.templates.map((t) => t.created_at), ...events.map((e) => e.created_at)];
    this.oldest = Math.min(...times);
  }

  private template(k: number): SessionRow {
    const t = this.templates[k % this.templates.length];
    if (t === undefined) throw new Error("no template");
    return t;
  }

  private delta(k: number): number {
    return this.oldest - (k + 1) * SPACING_MS - this.template(k).created_at;
  }

  private sessionCopy(k: number): SQLInputValue[] {
    const t = this.template(k);
    const from = hexOf(t.id);
    const to = copyHex(k);
    const delta = this.delta(k);
    const row: SessionRow = {
      ...t,
      id: `cs_${to}`,
      created_at: t.created_at + delta,
      updated_at: t.updated_at + delta,
      expires_at: t.expires_at + delta,
      payment_id: t.payment_id?.replaceAll(from, to) ?? null,
      view: t.view === null ? null : moved(t.view, from, to, delta),
    };
    return SESSION_COLUMNS.map((column) => row[column]);
  }

  private eventCopyRow(k: number, event: EventRow): SQLInputValue[] {
    const t = this.template(k);
    const from = hexOf(t.id);
    const to = copyHex(k);
    const delta = this.delta(k);
    const row: EventRow = {
      ...event,
      id: event.id.replaceAll(from, to),
      session_id: `cs_${to}`,
      created_at: event.created_at + delta,
      updated_at: event.updated_at + delta,
      next_attempt_at: event.next_attempt_at === null ? null : event.next_attempt_at + delta,
      attempts: moved(event.attempts, from, to, delta),
      delivery: event.delivery === null ? null : moved(event.delivery, from, to, delta),
    };
    return EVENT_COLUMNS.map((column) => row[column]);
  }

  /** The next `n` event copies, in the order of their sessions' copies. */
  private *nextEvents(n: number): Generator<SQLInputValue[]> {
    if (this.templateEvents === 0) throw new Error("no events to copy");
    for (let made = 0; made < n; ) {
      const events = this.eventsOf.get(this.template(this.eventCopy).id) ?? [];
      const event = events[this.eventInCopy];
      if (event === undefined) {
        this.eventCopy++;
        this.eventInCopy = 0;
        continue;
      }
      yield this.eventCopyRow(this.eventCopy, event);
      this.eventInCopy++;
      made++;
    }
  }

  /** Adds copies until the merchant has `rows` rows in each index (one transaction). */
  growTo(rows: number): Grown {
    const grown = this.grow(rows);
    return { ...grown, fileBytes: this.fileBytes() };
  }

  private grow(rows: number): Omit<Grown, "fileBytes"> {
    const started = performance.now();
    const db = new DatabaseSync(this.file);
    try {
      const count = (table: string) =>
        Number(
          db
            .prepare(`SELECT count(*) AS n FROM ${table} WHERE merchant_id = ?`)
            .get(this.merchantId)?.n,
        );
      db.exec("BEGIN");
      const session = db.prepare(insert("checkout_sessions", SESSION_COLUMNS));
      for (let missing = rows - count("checkout_sessions"); missing > 0; missing--) {
        session.run(...this.sessionCopy(this.copies++));
      }
      const event = db.prepare(insert("webhook_events", EVENT_COLUMNS));
      for (const values of this.nextEvents(rows - count("webhook_events"))) event.run(...values);
      db.exec("COMMIT");
      const sessions = count("checkout_sessions");
      const events = count("webhook_events");
      const seconds = (performance.now() - started) / 1000;
      const middle = (table: string, total: number): [Position, Position] => {
        const found = z
          .array(z.object({ created_at: z.number(), id: z.string() }))
          .parse(
            db
              .prepare(
                `SELECT created_at, id FROM ${table} WHERE merchant_id = ?
                 ORDER BY created_at DESC, id DESC LIMIT 2 OFFSET ?`,
              )
              .all(this.merchantId, Math.floor(total / 2)),
          )
          .map((r) => ({ createdAt: r.created_at, id: r.id }));
        const [at, next] = found;
        if (at === undefined || next === undefined) throw new Error(`${table}: no middle row`);
        return [at, next];
      };
      const mid = {
        sessions: middle("checkout_sessions", sessions),
        events: middle("webhook_events", events),
      };
      const explain = (sql: string, ...params: SQLInputValue[]) =>
        db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params)
          .map((r) => String(r.detail));
      const m = this.merchantId;
      const s = mid.sessions[0];
      const e = mid.events[0];
      const plans = {
        sessions: explain(LIST_SQL.sessions, m, 21),
        sessionsCompleted: explain(LIST_SQL.sessionsCompleted, m, "COMPLETED", 21),
        sessionsDeep: explain(LIST_SQL.sessionsDeep, m, s.createdAt, s.id, 21),
        events: explain(LIST_SQL.events, m, 21),
        eventsDeep: explain(LIST_SQL.eventsDeep, m, e.createdAt, e.id, 21),
      };
      return { sessions, events, seconds, middle: mid, plans };
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    } finally {
      db.close();
    }
  }

  /** The file's size with its WAL, once closed (the WAL is checkpointed then). */
  private fileBytes(): number {
    return ["", "-wal"]
      .map((suffix) => `${this.file}${suffix}`)
      .filter((path) => existsSync(path))
      .reduce((total, path) => total + statSync(path).size, 0);
  }
}
