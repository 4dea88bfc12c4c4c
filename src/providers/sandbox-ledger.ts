/**
 * The sandbox provider's own memory of the charges it was asked to make: a Durable Object of its
 * own, apart from our sessions and from D1, as an outside provider's ledger would be. Reached only through its methods, over the binding's RPC,
 * never read or written by the session's code directly. Only the scenario a test card selects is
 * kept, never the card number.
 */
import { DurableObject } from "cloudflare:workers";
import * as z from "zod";

export const SANDBOX_PROVIDERS = ["sandbox", "sandbox_backup"] as const;
export type SandboxProviderName = (typeof SANDBOX_PROVIDERS)[number];

export const Scenario = z.enum([
  "success",
  "card_declined",
  "three_ds",
  "three_ds_forced",
  "primary_unavailable",
  "silent",
  "slow",
  "bank",
  "bank_declined",
]);
export type Scenario = z.infer<typeof Scenario>;

const ChargeStatus = z.enum(["succeeded", "authorized", "declined", "requires_action"]);

/** A charge as the ledger holds it, parsed on every read: stored data is input too. */
export const SandboxCharge = z.object({
  charge_id: z.string(),
  provider: z.enum(SANDBOX_PROVIDERS),
  scenario: Scenario,
  status: ChargeStatus,
  amount: z.number().int(),
  currency: z.string(),
  capture_method: z.enum(["automatic", "manual"]),
  challenge: z.enum(["approved", "denied"]).nullable(),
  created_at: z.number(),
});
export type SandboxCharge = z.infer<typeof SandboxCharge>;

export const isChallenge = (charge: SandboxCharge) =>
  charge.scenario === "three_ds" || charge.scenario === "three_ds_forced";

const settled = (captureMethod: SandboxCharge["capture_method"]) =>
  captureMethod === "manual" ? "authorized" : "succeeded";

/** Our charge ids (`pay_<64 hex>_ch<n>`): anything else names no charge. */
const CHARGE_ID = /^pay_[0-9a-f]{64}_ch\d+$/;

/**
 * The ledger that holds a charge, or null for an id that cannot be a charge of ours. One ledger
 * for the whole sandbox, as one provider keeps one set of books: a payment's charges at both
 * sandbox providers sit side by side, and the challenge page finds any charge by its id.
 */
export function ledgerOf(env: Env, chargeId: string): DurableObjectStub<SandboxLedger> | null {
  return CHARGE_ID.test(chargeId) ? sandboxLedger(env) : null;
}

/** The sandbox's one ledger. */
export const sandboxLedger = (env: Env) =>
  env.SANDBOX_LEDGER.get(env.SANDBOX_LEDGER.idFromName("sandbox"));

const SCHEMA = `CREATE TABLE IF NOT EXISTS charges (
  charge_id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  scenario TEXT NOT NULL,
  status TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  capture_method TEXT NOT NULL,
  challenge TEXT CHECK (challenge IN ('approved', 'denied')),
  created_at INTEGER NOT NULL
)`;

export class SandboxLedger extends DurableObject<Env> {
  /**
   * Makes a charge, once: the charge id is the idempotency key, so a retry meets the charge
   * already made (`made: false`) and never makes a second one.
   */
  async make(charge: Omit<SandboxCharge, "challenge">): Promise<{ made: boolean }> {
    const sql = this.ctx.storage.sql;
    sql.exec(SCHEMA);
    const made = sql
      .exec(
        `INSERT INTO charges
           (charge_id, provider, scenario, status, amount, currency, capture_method, challenge, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)
         ON CONFLICT (charge_id) DO NOTHING
         RETURNING charge_id`,
        charge.charge_id,
        charge.provider,
        charge.scenario,
        charge.status,
        charge.amount,
        charge.currency,
        charge.capture_method,
        charge.created_at,
      )
      .toArray();
    return { made: made.length > 0 };
  }

  async find(chargeId: string): Promise<SandboxCharge | null> {
    return this.charges("charge_id = ?", chargeId)[0] ?? null;
  }

  /** Every charge of a payment (`pay_…`), oldest first: what the provider's own records show. */
  async list(paymentId: string): Promise<SandboxCharge[]> {
    return this.charges("substr(charge_id, 1, length(?1)) = ?1", `${paymentId}_ch`);
  }

  /**
   * Records the payer's 3-D Secure decision, as an issuer's challenge server would. The first
   * decision stands; a repeat changes nothing. Null: no challenge with this id.
   */
  async decide(chargeId: string, decision: "approve" | "deny"): Promise<SandboxCharge | null> {
    const charge = await this.find(chargeId);
    if (charge === null || !isChallenge(charge)) return null;
    if (charge.challenge !== null) return charge;
    const approved = decision === "approve";
    this.ctx.storage.sql.exec(
      "UPDATE charges SET challenge = ?, status = ? WHERE charge_id = ?",
      approved ? "approved" : "denied",
      approved ? settled(charge.capture_method) : "declined",
      chargeId,
    );
    return this.find(chargeId);
  }

  /** Takes an authorized charge's money; capturing twice is capturing once. */
  async capture(chargeId: string): Promise<SandboxCharge | null> {
    if ((await this.find(chargeId)) === null) return null;
    this.ctx.storage.sql.exec(
      "UPDATE charges SET status = 'succeeded' WHERE charge_id = ? AND status = 'authorized'",
      chargeId,
    );
    return this.find(chargeId);
  }

  private charges(where: string, value: string): SandboxCharge[] {
    const sql = this.ctx.storage.sql;
    const table = sql
      .exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'charges'")
      .toArray();
    if (table.length === 0) return [];
    const rows = sql
      .exec(`SELECT * FROM charges WHERE ${where} ORDER BY created_at, charge_id`, value)
      .toArray();
    return z.array(SandboxCharge).parse(rows);
  }
}
