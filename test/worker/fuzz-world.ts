/**
 * What the fuzzer aims at and watches: a merchant of its own (a secret key and a StableMint key
 * and secret), sessions in the states the routes act on (open, StableMint, waiting on 3-D
 * Secure, authorized, another merchant's), an event, a webhook endpoint, and a digest of every
 * state a request could change. Accepted requests may use targets up (a cancel, a key roll):
 * the world then replaces them, outside the counted requests.
 */

import { env } from "cloudflare:workers";
import { createHash } from "node:crypto";
import { inject } from "vitest";
import { z } from "zod";
import { seal } from "../../src/sealed.js";
import { CARDS, call, card, objectOf, PAYER, projected, RETURN_URL } from "./api.js";
import { sandboxBooks } from "./sandbox-books.js";
import { embeddedBody, sign, unixNow } from "./stablemint-api.js";

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

/** The ids, tokens and keys a fuzzed request may name, by name (`open.token`, …). */
export const REFS = [
  "open.id",
  "open.token",
  "open.pay",
  "sm.id",
  "sm.sessionId",
  "challenge.id",
  "challenge.token",
  "challenge.charge",
  "authorized.id",
  "authorized.pay",
  "authorized.event",
  "authorized.charge",
  "endpoint.id",
  "foreign.id",
  "foreign.token",
] as const;
export type Ref = (typeof REFS)[number];

/** The sessions the world keeps, each in one object whose journal the snapshot reads. */
export const TARGETS = ["open", "sm", "challenge", "authorized", "foreign"] as const;
export type Target = (typeof TARGETS)[number];

/** The target a reference belongs to (`open.token` → `open`), if it is a session's. */
export function targetOf(ref: Ref): Target | null {
  const name = ref.split(".")[0];
  return TARGETS.find((target) => target === name) ?? null;
}

/** The settings the fuzz merchant goes back to after a PATCH the fuzzer got accepted. */
export const BASELINE_SETTINGS = {
  name: "Fuzz Store",
  logo_url: null,
  brand_color: null,
  support_url: null,
  allowed_origins: [],
  payment_methods: ["card", "bank_transfer"],
  providers: ["sandbox", "sandbox_backup"],
  routing_rules: [],
};

interface MerchantKeys {
  id: string;
  key: string;
  apiKey: string;
  apiSecret: string;
}

/** A merchant of the fuzzer's own, named as `BASELINE_SETTINGS` names it. */
async function insertMerchant(name: string): Promise<MerchantKeys> {
  const suffix = crypto.randomUUID().replaceAll("-", "");
  const keys = {
    id: `m_fuzz_${suffix.slice(0, 10)}`,
    key: `sk_test_${suffix}`,
    apiKey: `pk_test_${suffix}`,
    apiSecret: `sk_api_${suffix}`,
  };
  await env.DB.prepare(
    `INSERT INTO merchants (id, name, secret_key_hash, api_key, api_secret_sealed, providers,
       allowed_origins, payment_methods, created_at)
     VALUES (?, ?, ?, ?, ?, '["sandbox","sandbox_backup"]', '[]', '["card","bank_transfer"]', ?)`,
  )
    .bind(
      keys.id,
      name,
      sha256Hex(keys.key),
      keys.apiKey,
      await seal(env, keys.apiSecret),
      Date.now(),
    )
    .run();
  return keys;
}

export class World {
  /** Requests the world made itself (setting up, replacing targets): not fuzzed, not counted. */
  setupRequests = 0;
  private readonly refs = new Map<Ref, string>();
  /** Each target's journal (request-caused entries) as last read. */
  private readonly journals = new Map<Target, string>();
  /** Sessions accepted requests made besides the targets, until D1 has taken them. */
  private readonly unsettled = new Set<string>();

  private constructor(
    readonly merchant: MerchantKeys,
    readonly foreign: MerchantKeys,
  ) {}

  static async create(): Promise<World> {
    const world = new World(await insertMerchant("Fuzz Store"), await insertMerchant("Fuzz Store"));
    await world.replace(["open", "sm", "challenge", "authorized", "endpoint", "foreign"]);
    return world;
  }

  ref(name: Ref): string {
    return this.refs.get(name) ?? "";
  }

  /**
   * A session an accepted request made (a create): the next snapshot waits until D1 has it,
   * as it does for the targets, so that it counts in that baseline and not in a later digest.
   */
  made(sessionId: string): void {
    this.unsettled.add(sessionId);
  }

  /** The fuzz merchant's current secret key (a fuzzed key roll may have replaced it). */
  get key(): string {
    return this.merchant.key;
  }

  set key(key: string) {
    this.merchant.key = key;
  }

  /** A setup call as the fuzz merchant (or the other one), checked: setup must not fail. */
  async api(method: string, path: string, body?: unknown, as: MerchantKeys = this.merchant) {
    this.setupRequests++;
    const answer = await call(method, path, body, { authorization: `Bearer ${as.key}` });
    if (answer.status >= 300) {
      throw new Error(`setup ${method} ${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    return answer.json;
  }

  private async session(extra: Record<string, unknown> = {}, as = this.merchant) {
    const body = {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
      custom_fields: [{ key: "note", label: "Note", optional: true }],
      ...extra,
    };
    const created = await this.api("POST", "/v1/checkout-sessions", body, as);
    return created.checkout_session as { id: string; token: string };
  }

  private async confirmed(number: string, extra: Record<string, unknown> = {}) {
    const session = await this.session(extra);
    this.setupRequests++;
    const paid = await call("POST", `/v1/checkout-sessions/token/${session.token}/confirm`, {
      payment_method: card(number),
      payer: PAYER,
    });
    const payment = paid.json.confirmResult?.payment;
    if (payment?.id === undefined) throw new Error(`setup confirm: ${JSON.stringify(paid.json)}`);
    return { session, payment: payment as { id: string; charges: { id: string }[] } };
  }

  /** Makes the named targets anew. */
  async replace(targets: readonly string[]): Promise<void> {
    for (const target of targets) await this.make(target);
  }

  private async make(target: string): Promise<void> {
    const set = (name: Ref, value: string) => this.refs.set(name, value);
    switch (target) {
      case "open": {
        const open = await this.session({ cancel_url: `${RETURN_URL}?cancelled=1` });
        set("open.id", open.id);
        set("open.token", open.token);
        set("open.pay", open.id.replace(/^cs_/, "pay_"));
        return;
      }
      case "sm": {
        const body = embeddedBody();
        const timestamp = String(unixNow());
        this.setupRequests++;
        const created = await call("POST", "/session/embedded", body, {
          api_key: this.merchant.apiKey,
          timestamp,
          signature: sign(timestamp, this.merchant.apiSecret, String(body.userId)),
        });
        if (created.status !== 200) throw new Error(`setup sm: ${JSON.stringify(created.json)}`);
        set("sm.id", created.json.reference);
        set("sm.sessionId", created.json.sessionId);
        return;
      }
      case "challenge": {
        const { session, payment } = await this.confirmed(CARDS.challenge);
        set("challenge.id", session.id);
        set("challenge.token", session.token);
        set("challenge.charge", payment.charges[0]?.id ?? "");
        return;
      }
      case "authorized": {
        const { session, payment } = await this.confirmed(CARDS.success, {
          capture_method: "manual",
        });
        set("authorized.id", session.id);
        set("authorized.pay", payment.id);
        set("authorized.charge", payment.charges[0]?.id ?? "");
        // The events index is a projection, written once the session's alarm has run.
        await projected(session.id);
        const events = await this.api("GET", `/v1/events?checkout_session_id=${session.id}`);
        set("authorized.event", events.data[0]?.id ?? `evt_${session.id}_1`);
        return;
      }
      case "endpoint": {
        const created = await this.api("POST", "/v1/webhook-endpoints", {
          url: `${inject("receiverUrl")}/hooks/fuzz-${this.merchant.id}`,
          events: ["checkout_session.expired"],
        });
        set("endpoint.id", created.webhook_endpoint.id);
        return;
      }
      case "foreign": {
        const other = await this.session({}, this.foreign);
        set("foreign.id", other.id);
        set("foreign.token", other.token);
        return;
      }
    }
  }

  /**
   * Everything a request could change, as one comparable string: the merchant's row (settings,
   * keys), its audit log, webhook endpoints, how many sessions and saved banks it has, the
   * targets' sandbox charges (as the provider's ledger holds them), each target session as the
   * index shows it, and every journal entry a request caused in each target's object (the
   * object is the truth: every change is an event). Left out, as they move by themselves:
   * `updated_at`, journal entries of alarms (webhook attempts), and delivery bookkeeping on
   * endpoints.
   *
   * The D1 parts (index, saved banks) are projections the objects write after answering: the
   * snapshot is taken once every target, and every session an accepted request made, owes D1
   * nothing, so that a change shows in the digest of the request that made it.
   *
   * `read` names the objects to read now; the others count as last read. A request reaches an
   * object only through an id or token it carries, so after a rejected request the harness
   * reads the ones it named (and every one, now and then, to hold that assumption to account).
   */
  async snapshot(
    read: readonly Target[] = TARGETS,
  ): Promise<{ digest: string; statuses: Record<string, string> }> {
    const id = this.merchant.id;
    const db = env.DB;
    const targets: Record<Target, readonly [string, string]> = {
      open: [this.ref("open.id"), id],
      sm: [this.ref("sm.id"), id],
      challenge: [this.ref("challenge.id"), id],
      authorized: [this.ref("authorized.id"), id],
      foreign: [this.ref("foreign.id"), this.foreign.id],
    };
    const ids = Object.values(targets).map(([sessionId]) => sessionId);
    // Side by side: one object's wait does not hold up the others'.
    await Promise.all([...ids, ...this.unsettled].map((sessionId) => projected(sessionId)));
    this.unsettled.clear();
    const [rows, charges] = await Promise.all([
      db.batch([
        db.prepare("SELECT * FROM merchants WHERE id = ?").bind(id),
        db
          .prepare(
            "SELECT count(*) AS n, max(seq) AS last FROM merchant_audit_log WHERE merchant_id = ?",
          )
          .bind(id),
        db.prepare("SELECT * FROM webhook_endpoints WHERE merchant_id = ? ORDER BY id").bind(id),
        db.prepare("SELECT count(*) AS n FROM checkout_sessions WHERE merchant_id = ?").bind(id),
        db
          .prepare("SELECT count(*) AS n FROM stablemint_saved_banks WHERE merchant_id = ?")
          .bind(id),
        db
          .prepare(
            `SELECT id, status, amount, payment_id, view FROM checkout_sessions
             WHERE id IN (?, ?, ?, ?, ?) ORDER BY id`,
          )
          .bind(...ids),
      ]),
      providerCharges([this.ref("challenge.charge"), this.ref("authorized.charge")]),
      Promise.all(
        read.map(async (target) => {
          const [sessionId, owner] = targets[target];
          // A target that is gone is a broken world, not a finding: the parse throws.
          const journal = Journal.parse(await objectOf(sessionId).journal(owner)).value;
          const caused = journal
            .filter((entry) => entry.cause !== "alarm")
            .map((entry) => `${entry.type}:${entry.request_id}`);
          this.journals.set(target, `${sessionId}:${caused.join(",")}`);
        }),
      ),
    ]);
    const journals = TARGETS.map((target) => this.journals.get(target) ?? "unread");
    const indexed = z.array(IndexRow).parse(rows[5]?.results);
    const views = new Map(indexed.map((row) => [row.id, row]));
    const statuses: Record<string, string> = {};
    for (const [name, [sessionId]] of Object.entries(targets)) {
      const view = views.get(sessionId)?.view;
      statuses[name] = view?.status ?? "missing";
      statuses[`${name}.payment`] = view?.payment?.status ?? "none";
    }
    const endpoints = (rows[2]?.results ?? []).map(withoutDeliveryFields);
    statuses.endpoint = endpoints.some((row) => row.id === this.ref("endpoint.id"))
      ? "live"
      : "gone";
    const results = rows.map((result, i) =>
      i === 2 ? endpoints : i === 5 ? indexed : result.results,
    );
    // In the place the provider's charges always had among the rows.
    results.splice(5, 0, charges);
    const digest = JSON.stringify({ rows: results, journals });
    return { digest, statuses };
  }

  /** Replaces the targets an accepted request used up; true when it replaced any. */
  async replenish(statuses: Record<string, string>): Promise<boolean> {
    const spent = [
      statuses.open !== "PENDING" && "open",
      statuses.sm !== "PENDING" && "sm",
      statuses["challenge.payment"] !== "REQUIRES_ACTION" && "challenge",
      statuses["authorized.payment"] !== "AUTHORIZED" && "authorized",
      statuses.endpoint !== "live" && "endpoint",
      statuses.foreign !== "PENDING" && "foreign",
    ].filter((target): target is string => target !== false);
    await this.replace(spent);
    return spent.length > 0;
  }
}

/** Our charge ids (`pay_<64 hex>_ch<n>`), with the payment whose ledger holds them. */
const CHARGE_ID = /^(pay_[0-9a-f]{64})_ch\d+$/;

/** The provider's own records of these charges (its ledger), by charge id. */
async function providerCharges(chargeIds: readonly string[]) {
  const found = await Promise.all(
    chargeIds.map(async (chargeId) => {
      const paymentId = CHARGE_ID.exec(chargeId)?.[1];
      if (paymentId === undefined) return [];
      // The PSP's own ids and times are its own; what it did to each charge is the state.
      return (await sandboxBooks(paymentId))
        .filter((charge) => charge.reference === chargeId)
        .map(({ reference, account, status, challenge }) => ({
          reference,
          account,
          status,
          challenge,
        }));
    }),
  );
  return found.flat().sort((a, b) => (a.reference < b.reference ? -1 : 1));
}

/** A journal as the object answers it over RPC, parsed (it crosses a boundary). */
const Journal = z.object({
  ok: z.literal(true),
  value: z.array(
    z.object({ type: z.string(), cause: z.string(), request_id: z.string().nullable() }).loose(),
  ),
});

/** A target's row of the session index, its view parsed and without the times that move. */
const IndexRow = z.object({
  id: z.string(),
  status: z.string(),
  amount: z.number().nullable(),
  payment_id: z.string().nullable(),
  view: z.string().transform((text) =>
    z
      .looseObject({
        status: z.string(),
        payment: z.looseObject({ status: z.string() }).nullable(),
      })
      .parse(withoutClockFields(JSON.parse(text))),
  ),
});

/** A view without the times that move on their own (webhook attempts touch `updated_at`). */
function withoutClockFields(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, item) =>
    key === "updated_at" ? undefined : item,
  );
}

/** An endpoint row without what deliveries write (attempts, failures, a 410's disabling). */
function withoutDeliveryFields(row: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(typeof row === "object" && row !== null ? row : {}).filter(
      ([key]) => !/disabled|fail|attempt|deliver|last_|next_|updated/.test(key),
    ),
  );
}
