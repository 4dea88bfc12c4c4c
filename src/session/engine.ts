/**
 * One session's engine, inside its Durable Object: the live snapshot (kept in memory between
 * requests, restored from storage after an eviction) and the one way it changes, a step:
 * transition → persist (one transaction, awaited: the journal entry, new webhook events and the
 * projection D1 is owed) → effects (the provider call the transition recorded, its answer fed
 * back as the next event) → the one alarm at the next deadline. Once the outermost step settles,
 * the webhook events it made go out; D1 is written later, from the alarm.
 */
import {
  type CheckoutEvent,
  type CheckoutInput,
  type CheckoutSnapshot,
  checkoutSessionMachine,
  isClosed,
  nextWakeAt,
  type OutboxEvent,
  pureSteps,
} from "../../machines/index.js";
import type { Dialect } from "../core/dialect.js";
import { dialectOf, parseStoredDetails } from "../dialects/index.js";
import { payerToken, sessionIdOf } from "../ids.js";
import { outcomeEvent } from "../providers/outcome-event.js";
import type { CardDetails } from "../providers/provider.js";
import { callProvider } from "../providers/provider-call.js";
import { webhookBody } from "../webhooks/send.js";
import { SessionDelivery } from "./delivery.js";
import { Projection } from "./projection.js";
import { type Cause, SessionStore, type StoredSession } from "./store.js";

/** What the engine reads of its object each time (tests replace both on a live instance). */
export interface Host {
  env(): Env;
  now(): number;
  /** A transition is stored (its transaction committed): the pages following it are told. */
  persisted?(session: StoredSession): void;
}

const checkout = pureSteps(checkoutSessionMachine);

/** A transition caused by a deadline (expiry, watchdog, webhook schedule): its own trace id. */
const deadlineCause = (): Cause => ({
  kind: "alarm",
  requestId: `alarm_${crypto.randomUUID()}`,
});

export class SessionEngine {
  private readonly store: SessionStore;
  private session: StoredSession | null | undefined;
  private readonly projection: Projection;
  private readonly delivery: SessionDelivery;
  /** The alarm time last written (undefined: not known in this instance's life). */
  private armedAt: number | null | undefined;
  private payerToken: string | undefined;
  /** Steps under way (nested: a provider's answer is applied inside the request's step). */
  private steps = 0;
  /** The step under way has webhook events to send (new, or redelivered). */
  private deliveryDue = false;
  /** Alarms that threw in a row, and when to try again (backing off, not firing at once). */
  private alarmFailures = 0;
  private alarmRetryAt: number | undefined;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly host: Host,
  ) {
    this.store = new SessionStore(ctx.storage, parseStoredDetails);
    const clock = { env: () => host.env(), now: () => this.now() };
    this.projection = new Projection(this.store, clock);
    this.delivery = new SessionDelivery(this, clock);
  }

  /**
   * The session's time: the host's clock, plus how far a sandbox test helper moved this
   * session's clock ahead (advanceClock). Every event and deadline is in this time.
   */
  now(): number {
    this.loaded();
    return this.host.now() + this.store.clockOffset();
  }

  /**
   * Moves a sandbox session's clock forward to `at` (never back) and does at once whatever
   * falls due by then: expiry, the provider watchdog, webhook attempts, as its alarm would.
   */
  async advanceClock(at: number, cause: Cause): Promise<void> {
    const offset = Math.max(this.store.clockOffset(), at - this.host.now());
    if (offset !== this.store.clockOffset()) this.store.setClockOffset(offset);
    await this.alarm(cause);
  }

  /** The session as stored (restored once per instance), or null before its create. */
  loaded(): StoredSession | null {
    if (this.session === undefined) this.session = this.store.load();
    return this.session;
  }

  dialect(session: StoredSession): Dialect {
    return dialectOf(session.details);
  }

  /** The loaded session, with any deadline already passed applied first (expiry above all). */
  async current(): Promise<StoredSession | null> {
    const session = this.loaded();
    if (session === null) return null;
    const now = this.now();
    if (!isClosed(session.snapshot) && now >= session.snapshot.context.expiresAt) {
      await this.apply({ type: "EXPIRE", at: now }, deadlineCause());
    }
    return session;
  }

  /** The payer's token (recomputed, never stored): views show it while the session is open. */
  async token(): Promise<string> {
    this.payerToken ??= await payerToken(this.host.env(), sessionIdOf(this.ctx.id));
    return this.payerToken;
  }

  /** Stores a new session (one transaction, with its alarm). */
  async create(
    input: CheckoutInput,
    details: StoredSession["details"],
    fingerprint: string,
    cause: Cause,
  ): Promise<StoredSession> {
    const snapshot = checkout.initial(input);
    const dialect = dialectOf(details);
    const body = JSON.stringify(dialect.created(snapshot, details, await this.token()));
    const session = { snapshot, details, fingerprint, createResponse: body };
    this.store.create(session, cause);
    this.session = session;
    // The alarm's write commits on its own, right after the transaction (workerd keeps alarm
    // writes out of transactionSync: measured in BENCHMARKS.md's storage section).
    await this.armAlarm();
    return session;
  }

  /** The body an event is sent with: stored when it was emitted (rendered now for older ones). */
  payload(event: OutboxEvent, session: StoredSession): string {
    return (
      this.store.payload(event.id) ??
      webhookBody(event, session.snapshot, session.details, this.dialect(session), null)
    );
  }

  journal() {
    return this.store.entries();
  }

  /** The latest journal entry's sequence number: the live state's version (src/session/live.ts). */
  seq(): number {
    return this.store.lastSeq();
  }

  /**
   * Compute → persist (one transaction, awaited) → act. A provider call the transition recorded
   * is made only after it is stored, and its answer is fed back as the next event. An event the
   * machine does not take changes nothing and is not journaled.
   */
  async apply(event: CheckoutEvent, cause: Cause, card?: CardDetails): Promise<CheckoutSnapshot> {
    const session = this.loaded();
    if (session === null) throw new Error("apply() before create()");
    const before = session.snapshot;
    const after = checkout.next(before, event);
    if (after.value === before.value && after.context === before.context) return before;
    const emitted = after.context.outbox.slice(before.context.outbox.length);
    const dialect = this.dialect(session);
    const payloads = emitted.map((e) => ({
      eventId: e.id,
      body: webhookBody(e, after, session.details, dialect, cause.requestId),
    }));
    this.store.save(after, session.details, event, cause, payloads);
    session.snapshot = after;
    // Persist before effect: the pages hear of the state only once it is stored.
    this.host.persisted?.(session);
    if (emitted.length > 0 || event.type === "WEBHOOK_REDELIVER") this.deliveryDue = true;
    return this.step(async () => {
      // Right after the transaction, before the provider is called: the deadline stands first.
      await this.armAlarm();
      const call = after.context.providerCall;
      if (call !== null && call.id !== before.context.providerCall?.id) {
        const env = this.host.env();
        const outcome = await callProvider(env, call, after, session.details, card);
        const next = outcomeEvent(outcome, call, this.now());
        if (next !== null) {
          return this.apply(next, { kind: "provider", requestId: cause.requestId }, card);
        }
      }
      return session.snapshot;
    });
  }

  /**
   * Runs one step (a request's transitions with the provider answers they lead to, or one
   * alarm's work); once the outermost step ends, the webhook events it made are sent now, not
   * at the alarm (which stands in case this instance does not live to send them).
   */
  async step<T>(work: () => Promise<T>): Promise<T> {
    this.steps++;
    try {
      return await work();
    } finally {
      this.steps--;
      if (this.steps === 0 && this.deliveryDue) {
        this.deliveryDue = false;
        this.ctx.waitUntil(
          this.delivery.deliverDue(deadlineCause()).catch((error: unknown) => {
            const session = this.session?.snapshot.context.id;
            console.error(JSON.stringify({ delivery: session, error: String(error) }));
          }),
        );
      }
    }
  }

  /**
   * Every deadline of the session: expiry, the provider watchdog, D1's projection and webhook
   * attempts that are due. It never throws: the runtime's own alarm retries are few and quick,
   * so the handler re-arms itself, backing off from 1 s to 5 min after a failure.
   */
  async alarm(cause: Cause = deadlineCause()): Promise<void> {
    const session = this.loaded();
    if (session === null) return;
    // A fired alarm is gone: whatever time was written before must be written again.
    this.armedAt = undefined;
    try {
      await this.step(async () => {
        const now = this.now();
        let s = session.snapshot;
        if (!isClosed(s) && now >= s.context.expiresAt) {
          s = await this.apply({ type: "EXPIRE", at: now }, cause);
        }
        const call = s.context.providerCall;
        if (call !== null && now >= call.deadlineAt) {
          await this.apply({ type: "PROVIDER_TIMEOUT", at: now }, cause);
        }
        // D1 first: a slow webhook endpoint must not hold the listings back; then again for
        // what the deliveries changed, if that is due already.
        await this.projection.writeIfDue(session, this.dialect(session));
        await this.delivery.deliverDue(cause);
        await this.projection.writeIfDue(session, this.dialect(session));
      });
      this.alarmFailures = 0;
      this.alarmRetryAt = undefined;
    } catch (error) {
      // e.g. D1 refusing the endpoint lookup: try again in 1 s, doubling up to 5 min.
      this.alarmFailures++;
      const backoff = Math.min(300_000, 1_000 * 2 ** (this.alarmFailures - 1));
      this.alarmRetryAt = this.now() + backoff;
      const failures = this.alarmFailures;
      console.error(
        JSON.stringify({ alarm: sessionIdOf(this.ctx.id), failures, error: String(error) }),
      );
    } finally {
      await this.armAlarm();
    }
  }

  /** The one alarm at the next deadline; not rewritten when it already stands there. */
  async armAlarm(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const deadlines = [
      nextWakeAt(session.snapshot, this.delivery.sending),
      this.projection.dueAt(),
    ].filter((at): at is number => at !== null);
    const due = deadlines.length === 0 ? null : Math.min(...deadlines);
    const wakeAt = due === null ? null : Math.max(due, this.alarmRetryAt ?? due);
    if (wakeAt === this.armedAt) return;
    this.armedAt = wakeAt;
    if (wakeAt === null) await this.ctx.storage.deleteAlarm();
    // The runtime wakes the object in real time: a session clock ahead of it is taken off.
    else await this.ctx.storage.setAlarm(wakeAt - this.store.clockOffset());
  }
}
