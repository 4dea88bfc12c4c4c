/**
 * Fault injection for the worker tests: a D1 binding and a sandbox provider that fail, lose or
 * delay answers on command, the object or the Worker running on them, and what the outside
 * parties saw (the sandbox provider's own memory of charges, a merchant's webhook receiver).
 *
 * The sandbox provider keeps its charges in a Durable Object of its own (SandboxLedger), so D1
 * is ours alone (projections, endpoint and merchant lookups) and "D1 is down" never means "the
 * provider is down" too: a fault names whom it hits, `ours` (FaultyD1) or `provider`
 * (FaultyProvider, on the way to and from the sandbox's ledger, where an outside provider's
 * network would fail).
 */
import {
  createExecutionContext,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import worker from "../../src/index.js";
import type { SessionObject } from "../../src/session/session-object.js";
import type { Received, Step } from "../support/webhook-receiver.js";
import { call, isProjected, newMerchant, objectOf, RETURN_URL } from "./api.js";
import { sandboxBooks } from "./sandbox-books.js";

export type Party = "ours" | "provider";
export type Op = "read" | "write";

export interface Fault {
  party: Party;
  op?: Op;
  /**
   * `refuse`: fails before D1 runs the statement (D1 is down); `lose`: D1 runs it, then the answer
   * is lost (the write happened, the caller does not know); `hold`: D1 runs it and the answer
   * comes `ms` later.
   */
  effect: "refuse" | "lose" | { hold: number };
  /** How many calls it hits before it stops (forever by default). */
  times?: number;
}

interface Call {
  party: Party;
  op: Op;
  /** The SQL, or the provider method called. */
  what: string;
  fault: Fault["effect"] | null;
}

/** What D1 says when it is unreachable (Cloudflare's D1 docs list it as retryable), or a
 * provider's network. */
const lost = (party: Party) =>
  new Error(party === "ours" ? "D1_ERROR: Network connection lost." : "Network connection lost.");

const opOf = (sql: string): Op => (/^\s*(SELECT|WITH)\b/i.test(sql) ? "read" : "write");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A D1 binding in front of the real one. Every call is logged; the faults in force decide what
 * happens to it. Change `faults` at any time: D1 goes down, comes back.
 *
 * @example
 * const d1 = new FaultyD1([{ party: "ours", effect: "refuse" }]);
 * await useObjectDatabase(sessionId, d1.db); // the object's D1 is down; the provider is not
 */
/** The faults in force, and every call they were asked about. */
class FaultLine {
  readonly calls: Call[] = [];

  constructor(
    private readonly party: Party,
    public faults: Fault[],
  ) {}

  /** The calls a fault hit, of a party (and kind). */
  hits(party: Party, op?: Op): number {
    return this.calls.filter((c) => c.fault !== null && c.party === party && (!op || c.op === op))
      .length;
  }

  protected async run<T>(what: string, op: Op, go: () => Promise<T>): Promise<T> {
    const party = this.party;
    const fault = this.faults.find(
      (f) => f.party === party && (f.op === undefined || f.op === op) && (f.times ?? 1) > 0,
    );
    this.calls.push({ party, op, what, fault: fault?.effect ?? null });
    if (fault === undefined) return go();
    if (fault.times !== undefined) fault.times--;
    if (fault.effect === "refuse") throw lost(party);
    const answer = await go();
    if (fault.effect === "lose") throw lost(party);
    await sleep(fault.effect.hold);
    return answer;
  }
}

export class FaultyD1 extends FaultLine {
  readonly db: D1Database;
  /** Each wrapped statement's real one (a batch takes only those) and its SQL. */
  private readonly real = new WeakMap<object, { statement: D1PreparedStatement; sql: string }>();

  constructor(faults: Fault[] = []) {
    super("ours", faults);
    const self = this;
    this.db = new Proxy(env.DB, {
      get(target, name) {
        if (name === "prepare") return (sql: string) => self.statement(target.prepare(sql), sql);
        if (name === "batch") {
          return (statements: D1PreparedStatement[]) => self.batch(target, statements);
        }
        if (name === "exec") return (sql: string) => self.sql(sql, () => target.exec(sql));
        const value: unknown = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  private statement(statement: D1PreparedStatement, sql: string): D1PreparedStatement {
    const wrapped = new Proxy(statement, {
      get: (target, name) => {
        if (name === "bind") {
          return (...values: unknown[]) => this.statement(target.bind(...values), sql);
        }
        if (name === "first" || name === "all" || name === "run" || name === "raw") {
          return (...args: unknown[]) =>
            this.sql(sql, () =>
              (target[name] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
            );
        }
        const value: unknown = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    this.real.set(wrapped, { statement, sql });
    return wrapped;
  }

  private batch(db: D1Database, statements: D1PreparedStatement[]) {
    const sql = statements.map((s) => this.real.get(s)?.sql ?? "").join(";\n");
    return this.sql(sql, () => db.batch(statements.map((s) => this.real.get(s)?.statement ?? s)));
  }

  private sql<T>(sql: string, go: () => Promise<T>): Promise<T> {
    const op: Op = sql.split(";\n").map(opOf).includes("write") ? "write" : "read";
    return this.run(sql, op, go);
  }
}

/**
 * The sandbox provider reached through a faulty network: its PSP's binding (`SANDBOX_PSP`) behind
 * a line that refuses, loses or holds calls as `faults` say. A POST is a write (the provider
 * acts: charge, complete, capture), a GET a read.
 *
 * @example
 * const provider = new FaultyProvider([{ party: "provider", effect: "lose", times: 1 }]);
 * await preparedSession(m, {}, { psp: provider.psp }); // the authorize's first answer is lost
 */
export class FaultyProvider extends FaultLine {
  readonly psp: Env["SANDBOX_PSP"];

  constructor(faults: Fault[] = []) {
    super("provider", faults);
    const real = env.SANDBOX_PSP;
    const fetcher = {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const op: Op = request.method === "GET" ? "read" : "write";
        const what = `${request.method} ${new URL(request.url).pathname}`;
        return this.run(what, op, () => real.fetch(request));
      },
      connect: real.connect.bind(real),
    };
    this.psp = fetcher as Env["SANDBOX_PSP"];
  }
}

/** Gives a session's object an environment whose D1 is `db` (until the object is evicted). */
export async function useObjectDatabase(sessionId: string, db: D1Database) {
  await useObjectDatabaseOf(objectOf(sessionId), db);
}

export async function useObjectDatabaseOf(stub: DurableObjectStub<SessionObject>, db: D1Database) {
  await useObjectEnvironmentOf(stub, { DB: db });
}

/** Gives a session's object these bindings in place of its own (until it is evicted). */
export async function useObjectEnvironmentOf(
  stub: DurableObjectStub<SessionObject>,
  bindings: Partial<Pick<Env, "DB" | "SANDBOX_PSP">>,
) {
  await runInDurableObject(stub, (instance: SessionObject) => {
    const own = new Map<string | symbol, unknown>(Object.entries(bindings));
    const environment = new Proxy(env, {
      get: (target, name) => (own.has(name) ? own.get(name) : Reflect.get(target, name)),
    });
    Object.defineProperty(instance, "env", { value: environment, configurable: true });
  });
}

/**
 * A session object's clock, kept ahead of real time by `offsetMs`, so every deadline the object
 * arms lies in the real future: no alarm fires by itself while a test runs, and the test runs
 * each one (`drain`) when the object's time has reached it. It survives eviction: `install`
 * again on the fresh instance.
 */
export class ObjectClock {
  constructor(
    public stub: DurableObjectStub<SessionObject>,
    public offsetMs = 600_000,
  ) {}

  /** A new stub to the same object: one that saw its object crash stays broken for good. */
  reconnect(): void {
    this.stub = env.CHECKOUT_SESSIONS.get(this.stub.id);
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  async install(): Promise<void> {
    await runInDurableObject(this.stub, (instance: SessionObject) => {
      instance.clock = () => this.now();
    });
  }

  /** Time passes for the object (the instance reads the offset live). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  async alarmAt(): Promise<number | null> {
    return runInDurableObject(this.stub, (_: SessionObject, state) => state.storage.getAlarm());
  }

  /**
   * Waits until the object's background work is over (webhooks are sent right after a step,
   * beside the answer): its alarm and the receiver's log (when given) hold still for a while.
   */
  async quiet(hook?: string): Promise<void> {
    let last = "";
    let still = 0;
    for (let i = 0; i < 300 && still < 3; i++) {
      const seen = JSON.stringify([
        await this.alarmAt(),
        hook === undefined ? 0 : (await received(hook)).length,
      ]);
      still = seen === last ? still + 1 : 0;
      last = seen;
      await sleep(25);
    }
  }

  /**
   * Moves the object's time to its next deadline and runs it; false when none is set. An alarm
   * that only wrote the projections D1 was owed (nothing else changed) is run on the way: it is
   * not a deadline of the session.
   */
  async runNext(hook?: string): Promise<boolean> {
    for (let i = 0; i < 10; i++) {
      await this.quiet(hook);
      const at = await this.alarmAt();
      if (at === null) return false;
      if (at > this.now()) this.advance(at - this.now());
      const [length, owed] = [await this.journalLength(), !(await isProjected(this.stub))];
      const ran = await runDurableObjectAlarm(this.stub);
      await this.quiet(hook);
      const onlyProjected = owed && (await isProjected(this.stub));
      if (!ran || !onlyProjected || (await this.journalLength()) !== length) return ran;
    }
    return true;
  }

  private journalLength(): Promise<number> {
    return runInDurableObject(this.stub, (_: SessionObject, state) =>
      Number(state.storage.sql.exec("SELECT count(*) AS n FROM journal").one().n),
    );
  }

  /** Runs every alarm that is due by the object's clock; returns how many ran. */
  async drain(hook?: string, max = 50): Promise<number> {
    let ran = 0;
    for (; ran < max; ran++) {
      await this.quiet(hook);
      const at = await this.alarmAt();
      if (at === null || at > this.now()) break;
      if (!(await runDurableObjectAlarm(this.stub))) break;
    }
    await this.quiet(hook);
    return ran;
  }
}

/**
 * The object an idempotent checkout-API create will land on (named from merchant and key), so a
 * test can give it its clock and D1 before the create reaches it.
 */
export function objectForKey(merchantId: string, idempotencyKey: string) {
  const ns = env.CHECKOUT_SESSIONS;
  return ns.get(ns.idFromName(`${merchantId}:${idempotencyKey}`));
}

type Merchant = Awaited<ReturnType<typeof newMerchant>>;

/** A merchant of its own with one webhook endpoint on the receiver, which answers as scripted. */
export async function merchantWithReceiver(steps: Step[] = [], otherwise: Step = { status: 200 }) {
  const m = await newMerchant();
  const receiver = await receiverHook(steps, otherwise);
  const endpoint = await m.call("POST", "/v1/webhook-endpoints", { url: receiver.url });
  if (endpoint.status !== 201) throw new Error(`endpoint: ${JSON.stringify(endpoint.json)}`);
  return { m, receiver };
}

/**
 * A session of `m` whose object runs on an `ObjectClock` (and on `db`, when given) from its
 * very first event: the create lands on an object prepared beforehand (an idempotent create).
 */
export async function preparedSession(
  m: Merchant,
  body: Record<string, unknown> = {},
  options: { db?: D1Database; psp?: Env["SANDBOX_PSP"] } = {},
) {
  const key = `order-${crypto.randomUUID()}`;
  const stub = objectForKey(m.id, key);
  const clock = new ObjectClock(stub);
  await clock.install();
  await useObjectEnvironmentOf(stub, {
    ...(options.db && { DB: options.db }),
    ...(options.psp && { SANDBOX_PSP: options.psp }),
  });
  const created = await call(
    "POST",
    "/v1/checkout-sessions",
    { amount: 1050, currency: "EUR", return_url: RETURN_URL, expires_in: 7200, ...body },
    { authorization: `Bearer ${m.key}`, "idempotency-key": key },
  );
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created.json)}`);
  const session = created.json.checkout_session as { id: string; token: string; url: string };
  return { stub, clock, session };
}

/**
 * A request to the Worker's own fetch handler with `db` as its D1: the Worker's reads (merchant
 * authentication, listings) meet the fault; the session objects keep their own environment.
 */
export async function callWith(
  db: D1Database,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const environment = new Proxy(env, {
    get: (target, name) => (name === "DB" ? db : Reflect.get(target, name)),
  });
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`http://127.0.0.1:8787${path}`, {
      method,
      redirect: "manual",
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    environment,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  const json: any = response.headers.get("content-type")?.includes("json")
    ? JSON.parse(text)
    : text;
  return { status: response.status, headers: response.headers, json };
}

/** The provider's side: every charge the sandbox made for a payment, as its books hold them. */
export async function providerCharges(paymentId: string) {
  const charges = await sandboxBooks(paymentId);
  return charges.map(({ reference, account, status, created_at }) => ({
    charge_id: reference,
    provider: account,
    status,
    created_at,
  }));
}

const receiver = () => inject("receiverUrl");

/** A merchant's webhook receiver: the answers it gives, and a URL to register. */
export async function receiverHook(steps: Step[] = [], otherwise: Step = { status: 200 }) {
  const hook = crypto.randomUUID();
  await fetch(`${receiver()}/script/${hook}`, {
    method: "PUT",
    body: JSON.stringify({ steps, otherwise }),
  });
  return { hook, url: `${receiver()}/hooks/${hook}` };
}

export async function received(hook: string): Promise<Received[]> {
  return (await fetch(`${receiver()}/log/${hook}`)).json();
}

export interface Delivered {
  id: string;
  type: string;
  sequence: number;
  answered: number | null;
}

/** Every request the receiver got, in order of arrival, with the event it carried. */
export async function deliveries(hook: string): Promise<Delivered[]> {
  return (await received(hook)).map((entry) => {
    const body = JSON.parse(entry.body) as { id: string; type: string; sequence: number };
    if (entry.headers["webhook-id"] !== body.id) throw new Error("webhook-id is not the event id");
    return { id: body.id, type: body.type, sequence: body.sequence, answered: entry.answered };
  });
}

/** How many times each event id was acknowledged (2xx) by the receiver. */
export function acknowledgedById(log: readonly Delivered[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of log) {
    if (d.answered !== null && d.answered < 300) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
  }
  return counts;
}

/** The acknowledged events, each once, in order of arrival: what the merchant acted on. */
export function acknowledged(log: readonly Delivered[]) {
  return log
    .filter((d) => d.answered !== null && d.answered < 300)
    .map((d) => [d.sequence, d.type] as const);
}

/** Polls `read` until `done` holds or `ms` pass; returns the last value either way. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 8_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

export { sleep };
