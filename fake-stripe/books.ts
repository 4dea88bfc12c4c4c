/**
 * The fake Stripe's books: every PaymentIntent, confirmation, capture and refund it made, the
 * answers its Idempotency-Keys replay, and the wire faults tests queued, in one SQLite Durable
 * Object (as one Stripe keeps one set of books). A request's work and the answer its key replays
 * are written in one synchronous method, so one transaction: no retry can do the work twice.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod";
import {
  type Answer,
  type Books,
  CaptureIntent,
  ConfirmIntent,
  CreateIntent,
  CreateRefund,
  errorAnswer,
  Fault,
  PaymentError,
  PaymentIntent,
  Refund,
} from "./api.js";
import type { FormTree } from "./form.js";
import {
  authenticate,
  type CardPlay,
  captureIntent,
  confirmIntent,
  createIntent,
  type Executed,
  noSuchIntent,
  ok,
  refundIntent,
  refused,
} from "./intents.js";
import { paramsOf } from "./params.js";

export interface FakeStripeEnv {
  BOOKS: DurableObjectNamespace<FakeStripeBooks>;
}

/** A POST as the Worker read it: whose, where, with what, under which key. */
export interface PostCall {
  account: string;
  path: string;
  params: FormTree;
  key: string | null;
  /** A digest of the parameters: what tells a replay from a key reused for something else. */
  fingerprint: string;
  /** Where the fake is reached, for the 3-D Secure page's address. */
  origin: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS intents (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  charge_id TEXT,
  object TEXT NOT NULL,
  card TEXT
);
CREATE INDEX IF NOT EXISTS intents_by_charge ON intents (charge_id);
CREATE TABLE IF NOT EXISTS actions (intent TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS refunds (
  id TEXT PRIMARY KEY,
  intent TEXT NOT NULL,
  amount INTEGER NOT NULL,
  object TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  account TEXT NOT NULL,
  key TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (account, key)
);
CREATE TABLE IF NOT EXISTS faults (seq INTEGER PRIMARY KEY AUTOINCREMENT, fault TEXT NOT NULL);`;

const CardColumn = z.object({
  challenge: z.enum(["none", "required", "fails"]),
  decline: PaymentError.omit({ type: true, charge: true }).nullable(),
});

const IntentRow = z.object({ object: z.string(), card: z.string().nullable() });
const SeenKey = z.object({
  endpoint: z.string(),
  fingerprint: z.string(),
  status: z.number(),
  body: z.string(),
});

/** A key seen before, sent to another endpoint or with other parameters: Stripe's 400. */
function misuseOf(seen: z.infer<typeof SeenKey>, call: PostCall): Answer | null {
  const message =
    seen.endpoint !== call.path
      ? `Keys for idempotent requests can only be used for the endpoint they were first used for ('${seen.endpoint}' vs '${call.path}').`
      : seen.fingerprint !== call.fingerprint
        ? `Keys for idempotent requests can only be used with the parameters they were first used with; '${call.key}' was used with others.`
        : null;
  return message === null ? null : errorAnswer(400, { type: "idempotency_error", message });
}

/** Segments equal, or `*` for any one. */
function pathMatches(pattern: string, path: string) {
  const want = pattern.split("/");
  const got = path.split("/");
  return want.length === got.length && want.every((part, i) => part === "*" || part === got[i]);
}

export class FakeStripeBooks extends DurableObject<FakeStripeEnv> {
  constructor(ctx: DurableObjectState, env: FakeStripeEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  /** A POST: replayed when its key was seen with the same endpoint and parameters, else done. */
  post(call: PostCall): Answer & { replayed: boolean } {
    if (call.key !== null) {
      const row = this.sql
        .exec(
          "SELECT endpoint, fingerprint, status, body FROM idempotency_keys WHERE account = ? AND key = ?",
          call.account,
          call.key,
        )
        .toArray()[0];
      if (row !== undefined) {
        const seen = SeenKey.parse(row);
        const misuse = misuseOf(seen, call);
        if (misuse !== null) return { ...misuse, replayed: false };
        return { status: seen.status, body: seen.body, replayed: true };
      }
    }
    const { answer, remember } = this.execute(call);
    if (call.key !== null && remember) {
      this.sql.exec(
        "INSERT INTO idempotency_keys (account, key, endpoint, fingerprint, status, body) VALUES (?, ?, ?, ?, ?, ?)",
        call.account,
        call.key,
        call.path,
        call.fingerprint,
        answer.status,
        answer.body,
      );
    }
    return { ...answer, replayed: false };
  }

  private execute(call: PostCall): Executed {
    const [, , resource, id, action, extra] = call.path.split("/");
    if (call.path === "/v1/payment_intents") {
      const params = paramsOf(CreateIntent, call.params);
      if (!params.ok) return params.refusal;
      const intent = createIntent(params.data, Date.now());
      this.sql.exec(
        "INSERT INTO intents (id, account, charge_id, object, card) VALUES (?, ?, ?, ?, NULL)",
        intent.id,
        call.account,
        intent.metadata.charge_id ?? null,
        JSON.stringify(intent),
      );
      return ok(intent);
    }
    if (call.path === "/v1/refunds") return this.refund(call);
    if (resource !== "payment_intents" || id === undefined || extra !== undefined) {
      return unrecognized("POST", call.path);
    }
    const found = this.intent(id, call.account);
    if (action === "confirm") {
      const params = paramsOf(ConfirmIntent, call.params);
      if (!params.ok) return params.refusal;
      if (found === null) return noSuchIntent(id);
      const confirmed = confirmIntent(found.intent, params.data, call.origin);
      if (confirmed.card !== null) {
        this.save(confirmed.intent, confirmed.card);
        this.sql.exec("INSERT INTO actions (intent, kind) VALUES (?, 'confirmation')", id);
      }
      return confirmed.executed;
    }
    if (action === "capture") {
      const params = paramsOf(CaptureIntent, call.params);
      if (!params.ok) return params.refusal;
      if (found === null) return noSuchIntent(id);
      const captured = captureIntent(found.intent, params.data.amount_to_capture);
      if (captured.intent !== found.intent) {
        this.save(captured.intent, found.card);
        this.sql.exec("INSERT INTO actions (intent, kind) VALUES (?, 'capture')", id);
      }
      return captured.executed;
    }
    return unrecognized("POST", call.path);
  }

  private refund(call: PostCall): Executed {
    const params = paramsOf(CreateRefund, call.params);
    if (!params.ok) return params.refusal;
    const found = this.intent(params.data.payment_intent, call.account);
    if (found === null) return noSuchIntent(params.data.payment_intent, "payment_intent");
    const refunded = Number(
      this.sql
        .exec("SELECT coalesce(sum(amount), 0) AS n FROM refunds WHERE intent = ?", found.intent.id)
        .one().n,
    );
    const { refund, executed } = refundIntent(found.intent, refunded, params.data, Date.now());
    if (refund !== null) {
      this.sql.exec(
        "INSERT INTO refunds (id, intent, amount, object) VALUES (?, ?, ?, ?)",
        refund.id,
        refund.payment_intent,
        refund.amount,
        JSON.stringify(refund),
      );
    }
    return executed;
  }

  /** A GET: an intent, a search of intents by metadata, or an intent's refunds. */
  get(account: string, path: string, query: Record<string, string>): Answer {
    const [, , resource, id, extra] = path.split("/");
    if (resource === "payment_intents" && id === "search" && extra === undefined) {
      return this.search(account, query.query ?? "");
    }
    if (resource === "payment_intents" && id !== undefined && extra === undefined) {
      const found = this.intent(id, account);
      return found === null ? noSuchIntent(id).answer : ok(found.intent).answer;
    }
    if (path === "/v1/refunds") {
      const found = this.intent(query.payment_intent ?? "", account);
      const data = found === null ? [] : this.refunds(found.intent.id);
      return ok({ object: "list", data, has_more: false, url: "/v1/refunds" }).answer;
    }
    return unrecognized("GET", path).answer;
  }

  /** Only `metadata['key']:'value'` of Stripe's search language: what finds one of our charges. */
  private search(account: string, query: string): Answer {
    const match = /^metadata\['([^'\\]+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(query);
    if (match === null) {
      return errorAnswer(400, {
        type: "invalid_request_error",
        param: "query",
        message: "The fake Stripe searches only by metadata['key']:'value'.",
      });
    }
    const [, key = "", raw = ""] = match;
    const value = raw.replace(/\\(.)/g, "$1");
    const data = this.sql
      .exec("SELECT object, card FROM intents WHERE account = ? ORDER BY rowid DESC", account)
      .toArray()
      .map((row) => PaymentIntent.parse(JSON.parse(IntentRow.parse(row).object)))
      .filter((intent) => intent.metadata[key] === value);
    const url = "/v1/payment_intents/search";
    return ok({ object: "search_result", data, has_more: false, next_page: null, url }).answer;
  }

  /** The challenge page's decision; the first one stands. Where to send the payer back, or null. */
  decide(id: string, decision: "approve" | "fail"): { returnUrl: string; passed: boolean } | null {
    const found = this.intent(id);
    if (found === null) return null;
    const { intent, card } = found;
    if (intent.status === "requires_action" && intent.next_action !== null && card !== null) {
      const decided = authenticate(intent, card, decision);
      this.save(decided, card);
      const passed = decided.status === "succeeded" || decided.status === "requires_capture";
      return { returnUrl: intent.next_action.redirect_to_url.return_url, passed };
    }
    return null;
  }

  /** The intent waiting for 3-D Secure, for the challenge page. */
  challenge(id: string): PaymentIntent | null {
    const intent = this.intent(id)?.intent ?? null;
    return intent?.status === "requires_action" ? intent : null;
  }

  addFaults(faults: Fault[]) {
    for (const fault of faults) {
      this.sql.exec("INSERT INTO faults (fault) VALUES (?)", JSON.stringify(fault));
    }
  }

  clearFaults() {
    this.sql.exec("DELETE FROM faults");
  }

  /** The first queued fault for this path (or for any), taken off the queue. */
  takeFault(path: string): Fault | null {
    const queued = this.sql.exec("SELECT seq, fault FROM faults ORDER BY seq").toArray();
    for (const row of queued) {
      const fault = Fault.parse(JSON.parse(String(row.fault)));
      if (fault.path === undefined || pathMatches(fault.path, path)) {
        this.sql.exec("DELETE FROM faults WHERE seq = ?", row.seq);
        return fault;
      }
    }
    return null;
  }

  /** Forgets the keys that start so, as Stripe forgets every key after 24 hours. */
  expire(keyPrefix: string): number {
    return this.sql.exec(
      "DELETE FROM idempotency_keys WHERE substr(key, 1, length(?1)) = ?1",
      keyPrefix,
    ).rowsWritten;
  }

  /** What was really done for one of our charges: its intents, confirmations, captures, refunds. */
  books(chargeId: string): Books {
    const intents = this.sql
      .exec("SELECT object, card FROM intents WHERE charge_id = ? ORDER BY rowid", chargeId)
      .toArray()
      .map((row) => PaymentIntent.parse(JSON.parse(IntentRow.parse(row).object)));
    const count = (kind: string) =>
      Number(
        this.sql
          .exec(
            `SELECT count(*) AS n FROM actions JOIN intents ON actions.intent = intents.id
             WHERE intents.charge_id = ? AND actions.kind = ?`,
            chargeId,
            kind,
          )
          .one().n,
      );
    return {
      payment_intents: intents.map(({ id, status, amount, amount_received, capture_method }) => ({
        id,
        status,
        amount,
        amount_received,
        capture_method,
      })),
      confirmations: count("confirmation"),
      captures: count("capture"),
      refunds: intents.flatMap(({ id }) =>
        this.refunds(id).map(({ id, payment_intent, amount, reason, metadata }) => ({
          id,
          payment_intent,
          amount,
          reason,
          metadata,
        })),
      ),
    };
  }

  private refunds(intent: string): Refund[] {
    return this.sql
      .exec("SELECT object FROM refunds WHERE intent = ? ORDER BY rowid", intent)
      .toArray()
      .map((row) => Refund.parse(JSON.parse(String(row.object))));
  }

  /** An intent (of that account, when given) and the card its last confirmation played. */
  private intent(
    id: string,
    account?: string,
  ): { intent: PaymentIntent; card: CardPlay | null } | null {
    const row = this.sql
      .exec("SELECT object, card, account FROM intents WHERE id = ?", id)
      .toArray()[0];
    if (row === undefined || (account !== undefined && row.account !== account)) return null;
    const { object, card } = IntentRow.parse(row);
    return {
      intent: PaymentIntent.parse(JSON.parse(object)),
      card: card === null ? null : CardColumn.parse(JSON.parse(card)),
    };
  }

  private save(intent: PaymentIntent, card: CardPlay | null) {
    this.sql.exec(
      "UPDATE intents SET object = ?, card = ? WHERE id = ?",
      JSON.stringify(intent),
      card === null ? null : JSON.stringify(card),
      intent.id,
    );
  }
}

function unrecognized(method: string, path: string): Executed {
  return refused(404, {
    type: "invalid_request_error",
    message: `Unrecognized request URL (${method}: ${path}).`,
  });
}
