/**
 * The sandbox PSP's books: every charge it made and every idempotency key it saw, in one
 * Durable Object for the whole sandbox (as one provider keeps one set of books). A charge and
 * the answer its key replays are written in one transaction, so no crash can leave a charge
 * that a retry under the same key would make again.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod";
import {
  type Challenge,
  type Charge,
  type CreateCharge,
  type CreateRefund,
  LedgerCharge,
  type RefundObject,
  type SandboxAccount,
} from "./api.js";
import { failureOf, initialStatus, isChallenge, type Scenario } from "./scenarios.js";

export interface PspEnv {
  LEDGER: DurableObjectNamespace<SandboxLedger>;
  SLOW_ANSWER_MS?: string;
  HANG_MS?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS charges (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL,
  account TEXT NOT NULL,
  scenario TEXT NOT NULL,
  status TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  capture_method TEXT NOT NULL,
  challenge TEXT CHECK (challenge IN ('approved', 'denied')),
  return_url TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS charges_by_reference ON charges (reference, created_at);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  account TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (account, key)
);
CREATE TABLE IF NOT EXISTS refunds (
  id TEXT PRIMARY KEY,
  charge_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  reason TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS throttled_keys (account TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (account, key));`;

const Row = LedgerCharge.extend({ return_url: z.string() });
type Row = z.infer<typeof Row>;

/** An answer as the API sends it: what a key replays. */
export interface Answer {
  status: number;
  body: string;
}

export type Created =
  | { kind: "made"; scenario: Scenario; answer: Answer }
  | { kind: "replayed"; answer: Answer }
  | { kind: "mismatch" };

/** The charge as the API shows it to the account that made it. */
export function chargeView(row: Row): Charge {
  const challengeUrl = `${new URL(row.return_url).origin}/sandbox/challenge/${encodeURIComponent(row.reference)}`;
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    amount: row.amount,
    currency: row.currency,
    next_action: row.status === "requires_action" ? { type: "redirect", url: challengeUrl } : null,
    failure: row.status === "declined" ? failureOf(row.scenario, row.challenge) : null,
  };
}

/** A charge's answer: a decline is a 402 card error that carries the charge. */
export function chargeAnswer(row: Row): Answer {
  const charge = chargeView(row);
  if (charge.status !== "declined" || charge.failure === null) {
    return { status: 200, body: JSON.stringify(charge) };
  }
  const error = { type: "card_error", ...charge.failure, charge };
  return { status: 402, body: JSON.stringify({ error }) };
}

export class SandboxLedger extends DurableObject<PspEnv> {
  constructor(ctx: DurableObjectState, env: PspEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
  }

  /**
   * Makes a charge and remembers its answer under the key, in one transaction; a key seen before
   * replays its answer (or refuses other parameters). Without a key every request charges.
   */
  create(
    account: SandboxAccount,
    key: string | null,
    fingerprint: string,
    request: CreateCharge,
    scenario: Scenario,
  ): Created {
    const sql = this.ctx.storage.sql;
    if (key !== null) {
      const seen = sql
        .exec(
          "SELECT fingerprint, status, body FROM idempotency_keys WHERE account = ? AND key = ?",
          account,
          key,
        )
        .toArray()[0];
      if (seen !== undefined) {
        if (seen.fingerprint !== fingerprint) return { kind: "mismatch" };
        return {
          kind: "replayed",
          answer: { status: Number(seen.status), body: String(seen.body) },
        };
      }
    }
    const row: Row = {
      id: `ch_${crypto.randomUUID().replaceAll("-", "")}`,
      reference: request.reference,
      account,
      scenario,
      status: initialStatus(scenario, request.capture),
      amount: request.amount,
      currency: request.currency,
      capture_method: request.capture,
      challenge: null,
      refunded: 0,
      return_url: request.return_url,
      created_at: Date.now(),
    };
    sql.exec(
      `INSERT INTO charges (id, reference, account, scenario, status, amount, currency,
         capture_method, challenge, return_url, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      row.id,
      row.reference,
      row.account,
      row.scenario,
      row.status,
      row.amount,
      row.currency,
      row.capture_method,
      row.return_url,
      row.created_at,
    );
    const answer = chargeAnswer(row);
    if (key !== null) this.remember(account, key, fingerprint, answer);
    return { kind: "made", scenario, answer };
  }

  /**
   * Gives money back from the account's charge under `reference`, at most what it took less what
   * was refunded; the answer (a refusal too) is remembered under the key, in the same transaction.
   */
  refund(
    account: SandboxAccount,
    key: string,
    fingerprint: string,
    reference: string,
    request: CreateRefund,
  ): Created {
    const seen = this.seen(account, key, fingerprint);
    if (seen !== null) return seen;
    const answer = this.refundAnswer(account, reference, request);
    this.remember(account, key, fingerprint, answer);
    return { kind: "made", scenario: "success", answer };
  }

  private refundAnswer(account: SandboxAccount, reference: string, request: CreateRefund): Answer {
    const refusal = (status: number, code: string, message: string) => ({
      status,
      body: JSON.stringify({ error: { type: "invalid_request_error", code, message } }),
    });
    const row = this.find(account, reference);
    if (row === null) return refusal(404, "resource_missing", "No such charge.");
    if (row.status !== "succeeded") {
      return refusal(409, "charge_not_refundable", `A ${row.status} charge cannot be refunded.`);
    }
    if (row.scenario === "bank") {
      const message = "The sandbox's bank transfers are refunded by the bank, not through the API.";
      return refusal(400, "refund_not_supported", message);
    }
    const sql = this.ctx.storage.sql;
    const given = Number(
      sql
        .exec("SELECT coalesce(sum(amount), 0) AS n FROM refunds WHERE charge_id = ?", row.id)
        .one().n,
    );
    if (request.amount > row.amount - given) {
      const message = `Only ${row.amount - given} of the charge's ${row.amount} is left to refund.`;
      return refusal(400, "amount_too_large", message);
    }
    const refund: RefundObject = {
      id: `re_${crypto.randomUUID().replaceAll("-", "")}`,
      charge: row.id,
      reference,
      amount: request.amount,
      status: "succeeded",
    };
    sql.exec(
      "INSERT INTO refunds (id, charge_id, amount, reason, created_at) VALUES (?, ?, ?, ?, ?)",
      refund.id,
      row.id,
      refund.amount,
      request.reason,
      Date.now(),
    );
    return { status: 200, body: JSON.stringify(refund) };
  }

  /** A key seen before: its answer again, or a refusal of other parameters; null when new. */
  private seen(account: SandboxAccount, key: string, fingerprint: string): Created | null {
    const row = this.ctx.storage.sql
      .exec(
        "SELECT fingerprint, status, body FROM idempotency_keys WHERE account = ? AND key = ?",
        account,
        key,
      )
      .toArray()[0];
    if (row === undefined) return null;
    if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
    return { kind: "replayed", answer: { status: Number(row.status), body: String(row.body) } };
  }

  private remember(account: SandboxAccount, key: string, fingerprint: string, answer: Answer) {
    this.ctx.storage.sql.exec(
      "INSERT INTO idempotency_keys (account, key, fingerprint, status, body) VALUES (?, ?, ?, ?, ?)",
      account,
      key,
      fingerprint,
      answer.status,
      answer.body,
    );
  }

  /** True the first time a key asks: the rate-limited card's first try. */
  throttleOnce(account: SandboxAccount, key: string): boolean {
    const sql = this.ctx.storage.sql;
    const inserted = sql
      .exec(
        "INSERT INTO throttled_keys (account, key) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING key",
        account,
        key,
      )
      .toArray();
    return inserted.length > 0;
  }

  /** The account's latest charge under a reference. */
  find(account: SandboxAccount, reference: string): Row | null {
    return this.rows("reference = ? AND account = ?", [reference, account]).at(-1) ?? null;
  }

  /** Takes an authorized charge's money; capturing twice is capturing once. */
  capture(account: SandboxAccount, reference: string): Row | null {
    const row = this.find(account, reference);
    if (row?.status !== "authorized") return row;
    this.ctx.storage.sql.exec("UPDATE charges SET status = 'succeeded' WHERE id = ?", row.id);
    return { ...row, status: "succeeded" };
  }

  /** The issuer's challenge for a reference, whichever account it was made at. */
  challenge(reference: string): Challenge | null {
    const row = this.rows("reference = ?", [reference]).findLast((r) => isChallenge(r.scenario));
    return row === undefined
      ? null
      : { reference, amount: row.amount, currency: row.currency, decision: row.challenge };
  }

  /** Records the payer's 3-D Secure decision, as an issuer would; the first one stands. */
  decide(reference: string, decision: "approve" | "deny"): Challenge | null {
    const row = this.rows("reference = ?", [reference]).findLast((r) => isChallenge(r.scenario));
    if (row === undefined) return null;
    if (row.challenge === null) {
      const approved = decision === "approve";
      const settled = row.capture_method === "manual" ? "authorized" : "succeeded";
      this.ctx.storage.sql.exec(
        "UPDATE charges SET challenge = ?, status = ? WHERE id = ?",
        approved ? "approved" : "denied",
        approved ? settled : "declined",
        row.id,
      );
    }
    return this.challenge(reference);
  }

  /** Every charge of a payment (references `pay_…_ch<n>`), at every account, oldest first. */
  list(paymentId: string): LedgerCharge[] {
    return this.rows("substr(reference, 1, length(?1)) = ?1", [`${paymentId}_ch`]).map(
      ({ return_url: _, ...charge }) => charge,
    );
  }

  private rows(where: string, values: string[]): Row[] {
    const rows = this.ctx.storage.sql
      .exec(
        `SELECT *, (SELECT coalesce(sum(amount), 0) FROM refunds WHERE charge_id = charges.id) AS refunded
         FROM charges WHERE ${where} ORDER BY created_at, rowid`,
        ...values,
      )
      .toArray();
    return z.array(Row).parse(rows);
  }
}
