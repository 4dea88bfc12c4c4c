/**
 * One Durable Object per checkout session, running the pure machine: load, transition, persist
 * (awaited, one transaction, with any webhook events the transition emitted and the projection
 * it owes D1), then act (provider calls), then set the one alarm, which also carries webhook
 * delivery and writes the D1 projections after the requests that changed the session have been
 * answered.
 */
import { DurableObject } from "cloudflare:workers";
import { initialTransition, transition } from "xstate";
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  checkoutSessionMachine,
  dueFanOuts,
  headFor,
  isClosed,
  nextWakeAt,
  type OutboxEvent,
  type ProviderCall,
  pendingEndpoints,
  sessionStatus,
  stateName,
} from "../machines/index.js";
import { confirmEvent, confirmProblem } from "./confirm-input.js";
import { eventView } from "./events.js";
import { payerToken, paymentIdOf, sessionIdOf } from "./ids.js";
import { journalEntryView } from "./journal-view.js";
import { createProvider } from "./providers/index.js";
import { outcomeEvent } from "./providers/outcome-event.js";
import type { CardDetails, ProviderOutcome } from "./providers/provider.js";
import { withSessionId } from "./redirect-policy.js";
import type { ConfirmCheckoutSession } from "./schemas.js";
import { hostedUrl, originOf, type SessionDetails } from "./session-details.js";
import { projectionRetryDelayMs, projectionStatements } from "./session-projections.js";
import { closedProblem, fail, ok, type Result } from "./session-result.js";
import type { CreateArgs } from "./session-spec.js";
import { type Cause, SessionStore, type StoredSession } from "./session-store.js";
import { stablemintCreated } from "./stablemint/views.js";
import { nextAction, paymentView, publicView, sessionView } from "./views.js";
import { type DeliveryTarget, deliveryTargets, disableEndpoint } from "./webhook-endpoints.js";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, send, webhookBody } from "./webhooks.js";

/** Due events one endpoint is sent in a row before the alarm takes over (each waits for the last). */
const MAX_DELIVERIES_IN_A_ROW = 20;

/**
 * How long after a change D1 is written (`PROJECTION_LAG_MS`): lists trail the session by about
 * this much, and the changes of one moment (create, confirm, its webhooks) go in one D1 batch.
 */
const DEFAULT_PROJECTION_LAG_MS = 1_000;

/** Checkout API: 201 with the session; StableMint: 200 with that API's shape. */
const createdStatus = (details: SessionDetails) => (details.stablemint === undefined ? 201 : 200);

export class SessionObject extends DurableObject<Env> {
  /** The clock; tests move it forward to reach deadlines without waiting for them. */
  clock: () => number = () => Date.now();
  private readonly store: SessionStore;
  private session: StoredSession | null | undefined;
  /** The alarm time last written (undefined: not known in this instance's life). */
  private armedAt: number | null | undefined;
  private payerToken: string | undefined;
  /** The snapshot D1 last took from this instance (null: not known, so write it all). */
  private projectedFrom: CheckoutSnapshot | null = null;
  /** D1 writes of the projection that failed in a row, and when to try again. */
  private projectionFailures = 0;
  private projectionRetryAt = 0;
  /** Steps under way (nested: a provider's answer is applied inside the request's step). */
  private steps = 0;
  /** Endpoints with a webhook attempt in flight from this instance (never two at once), each
   * with the time the attempt is over at the latest. */
  private readonly sending = new Map<string, number>();
  /** Alarms that threw in a row, and when to try again (backing off, not firing at once). */
  private alarmFailures = 0;
  private alarmRetryAt: number | undefined;
  /** The step under way has webhook events to send (new, or redelivered): send them once it settles. */
  private deliveryDue = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SessionStore(ctx.storage);
  }

  private loaded(): StoredSession | null {
    if (this.session === undefined) this.session = this.store.load();
    return this.session;
  }

  async create(args: CreateArgs): Promise<Result<{ status: number; body: string }>> {
    const existing = this.loaded();
    if (existing !== null) {
      if (existing.fingerprint !== args.fingerprint) {
        return fail(
          422,
          "idempotency_key_reused",
          "This idempotency key was used with a different request body.",
        );
      }
      return ok({ status: createdStatus(existing.details), body: existing.createResponse });
    }
    const now = this.clock();
    const id = sessionIdOf(this.ctx.id);
    const { spec, merchant } = args;
    const [snapshot] = initialTransition(checkoutSessionMachine, {
      id,
      paymentId: paymentIdOf(id),
      merchantId: merchant.id,
      amount: spec.amount,
      currency: spec.currency,
      createdAt: now,
      expiresAt: now + spec.expiresIn * 1000,
      returnUrl: spec.returnUrl,
      cancelUrl: spec.cancelUrl,
      metadata: spec.metadata,
      captureMethod: spec.captureMethod,
      secureMode: spec.secureMode,
      providers: merchant.providers,
      providerTimeoutMs: Number(this.env.PROVIDER_TIMEOUT_MS ?? 30_000),
    });
    const token = await this.token();
    const details: SessionDetails = {
      merchant: {
        id: merchant.id,
        name: merchant.name,
        logoUrl: merchant.logoUrl,
        brandColor: merchant.brandColor,
        supportUrl: merchant.supportUrl,
      },
      url: spec.merchantUrl ?? hostedUrl(args.origin),
      origin: args.origin,
      customer: spec.customer,
      lineItems: spec.lineItems,
      customFields: spec.customFields,
      customFieldValues: {},
      ...(spec.payerFields && { payerFields: spec.payerFields }),
      ...(spec.paymentMethods && { paymentMethods: spec.paymentMethods }),
      ...(spec.stablemint && { stablemint: spec.stablemint }),
      ...(args.savedBanks?.length && { savedBanks: args.savedBanks }),
    };
    const body = JSON.stringify(
      details.stablemint === undefined
        ? { checkout_session: sessionView(snapshot, details, token) }
        : stablemintCreated(
            snapshot,
            { ...details, stablemint: details.stablemint },
            {
              token,
              sessionId: args.stablemintSessionId ?? "",
              saved: args.savedBanks ?? [],
            },
          ),
    );
    const session = { snapshot, details, fingerprint: args.fingerprint, createResponse: body };
    this.store.create(session, { kind: "merchant", requestId: args.requestId });
    this.session = session;
    // The alarm is written in the transaction's turn: one commit.
    await this.armAlarm(snapshot);
    return ok({ status: createdStatus(details), body });
  }

  async retrieve(merchantId: string): Promise<Result<ReturnType<typeof sessionView>>> {
    const session = await this.owned(merchantId);
    if (session === null) return fail(404, "not_found", "No such checkout session.");
    return ok(sessionView(session.snapshot, session.details, await this.token()));
  }

  /** The payer's token (recomputed, never stored): views show it while the session is open. */
  private async token(): Promise<string> {
    this.payerToken ??= await payerToken(this.env, sessionIdOf(this.ctx.id));
    return this.payerToken;
  }

  /** The merchant that owns the session, or null: what decides who may frame its checkout. */
  async owner(): Promise<string | null> {
    return this.loaded()?.snapshot.context.merchantId ?? null;
  }

  async retrievePayment(merchantId: string): Promise<Result<ReturnType<typeof paymentView>>> {
    const session = await this.owned(merchantId);
    const payment = session?.snapshot.context.payment;
    if (session === null || !payment) return fail(404, "not_found", "No such payment.");
    return ok(paymentView(payment, session.snapshot.context.id));
  }

  /** Every accepted event with its cause (request id, payer, provider or alarm), in order. */
  async journal(merchantId: string): Promise<Result<ReturnType<typeof journalEntryView>[]>> {
    const session = await this.owned(merchantId);
    return session === null
      ? fail(404, "not_found", "No such checkout session.")
      : ok(this.store.entries().map(journalEntryView));
  }

  /** One webhook event of this session, with the body it is sent with and its attempts. */
  async event(merchantId: string, eventId: string): Promise<Result<ReturnType<typeof eventView>>> {
    const session = await this.owned(merchantId);
    const event = session?.snapshot.context.outbox.find((e) => e.id === eventId);
    if (session === null || event === undefined) return fail(404, "not_found", "No such event.");
    return ok(eventView(event, session.snapshot.context.id, this.payload(event, session)));
  }

  /**
   * Sends an event again, at any time: to one endpoint (its schedule starts afresh), or to every
   * endpoint subscribed to it now.
   */
  async redeliver(
    merchantId: string,
    eventId: string,
    endpointId: string | undefined,
    requestId: string,
  ): Promise<Result<ReturnType<typeof eventView>>> {
    const session = await this.owned(merchantId);
    const event = session?.snapshot.context.outbox.find((e) => e.id === eventId);
    if (session === null || event === undefined) return fail(404, "not_found", "No such event.");
    const s = await this.apply(
      { type: "WEBHOOK_REDELIVER", at: this.clock(), eventId, ...(endpointId && { endpointId }) },
      { kind: "merchant", requestId },
    );
    const redelivered = s.context.outbox.find((e) => e.id === eventId) ?? event;
    return ok(eventView(redelivered, s.context.id));
  }

  /**
   * The payer's view in any state, without marking the session opened: what a page shows once
   * the session is closed (the outcome, and the way back to the merchant).
   */
  async view(): Promise<Result<ReturnType<typeof publicView>>> {
    const session = await this.current();
    if (session === null) return fail(404, "invalid_token", "This payment link is not valid.");
    return ok(publicView(session.snapshot, session.details));
  }

  /** The payer's view. A closed session's link is dead: it answers 410 with the status. */
  async open(requestId: string): Promise<Result<ReturnType<typeof publicView>>> {
    const session = await this.current();
    if (session === null) return fail(404, "invalid_token", "This payment link is not valid.");
    if (isClosed(session.snapshot)) {
      const status = sessionStatus(session.snapshot);
      return fail(410, "session_closed", `This checkout session is ${status.toLowerCase()}.`);
    }
    const s =
      session.snapshot.context.openedAt === null
        ? await this.apply({ type: "PAYER_OPENED", at: this.clock() }, { kind: "payer", requestId })
        : session.snapshot;
    return ok(publicView(s, session.details));
  }

  async cancel(
    merchantId: string,
    requestId: string,
  ): Promise<Result<ReturnType<typeof sessionView>>> {
    const session = await this.owned(merchantId);
    if (session === null) return fail(404, "not_found", "No such checkout session.");
    const event: CheckoutEvent = { type: "CANCEL", at: this.clock() };
    if (!session.snapshot.can(event)) return closedProblem(session.snapshot);
    const s = await this.apply(event, { kind: "merchant", requestId });
    return ok(sessionView(s, session.details));
  }

  async capture(
    merchantId: string,
    requestId: string,
  ): Promise<Result<ReturnType<typeof paymentView>>> {
    const session = await this.owned(merchantId);
    const payment = session?.snapshot.context.payment;
    if (session === null || !payment) return fail(404, "not_found", "No such payment.");
    if (payment.status !== "AUTHORIZED") {
      return fail(409, "payment_not_capturable", `A ${payment.status} payment cannot be captured.`);
    }
    const s = await this.apply(
      { type: "CAPTURE", at: this.clock() },
      { kind: "merchant", requestId },
    );
    const captured = s.context.payment;
    return captured
      ? ok(paymentView(captured, s.context.id))
      : fail(404, "not_found", "No such payment.");
  }

  async confirm(params: ConfirmCheckoutSession, requestId: string) {
    const session = await this.current();
    if (session === null) return fail(404, "invalid_token", "This payment link is not valid.");
    if (stateName(session.snapshot) !== "open") return closedProblem(session.snapshot);
    const refused = confirmProblem(session, params);
    if (refused !== null) return refused;
    session.details = {
      ...session.details,
      customFieldValues: params.custom_fields ?? session.details.customFieldValues,
    };
    const { event, card } = confirmEvent(params, this.clock());
    const s = await this.apply(event, { kind: "payer", requestId }, card);
    if (stateName(s) === "expired") return closedProblem(s);
    const payment = s.context.payment;
    return ok({
      checkout_session: publicView(s, session.details),
      confirmResult: {
        payment: payment && paymentView(payment, s.context.id),
        paymentNextAction: nextAction(s),
      },
    });
  }

  /** The payer is back from the 3DS challenge: ask the provider to finish, then send them on. */
  async challengeReturned(
    chargeId: string,
    requestId: string,
  ): Promise<Result<{ redirect: string }>> {
    const session = await this.current();
    const charge = session?.snapshot.context.payment?.charges.find((c) => c.id === chargeId);
    if (session === null || charge === undefined) return fail(404, "not_found", "No such charge.");
    let s = session.snapshot;
    if (stateName(s) === "requires_action" && charge.status === "requires_action") {
      s = await this.apply(
        { type: "ACTION_COMPLETED", at: this.clock(), chargeId },
        { kind: "payer", requestId },
      );
    }
    return ok({ redirect: await this.payerDestination(s, session.details) });
  }

  /**
   * The payer leaves without paying (the page's exit link): the session is cancelled
   * (`closed_reason: "payer_exited"`) and the payer goes to `cancel_url` (StableMint's
   * `exitUrl`), else to `return_url` with the session id, else nowhere in particular (null).
   */
  async exit(
    requestId: string,
  ): Promise<
    Result<{ checkout_session: ReturnType<typeof publicView>; redirect_url: string | null }>
  > {
    const session = await this.current();
    if (session === null) return fail(404, "invalid_token", "This payment link is not valid.");
    const event: CheckoutEvent = { type: "PAYER_EXITED", at: this.clock() };
    if (!session.snapshot.can(event)) return closedProblem(session.snapshot);
    const s = await this.apply(event, { kind: "payer", requestId });
    const { cancelUrl, returnUrl, id } = s.context;
    const back = cancelUrl ?? returnUrl;
    const redirect = back === null ? null : withSessionId(back, id);
    return ok({ checkout_session: publicView(s, session.details), redirect_url: redirect });
  }

  /**
   * Where a payer goes once the payment has an answer: the merchant's return URL when paid, its
   * error URL (StableMint's `errorUrl`) when the session failed, else back to pay again.
   */
  private async payerDestination(s: CheckoutSnapshot, details: SessionDetails): Promise<string> {
    const status = sessionStatus(s);
    const base =
      status === "COMPLETED"
        ? s.context.returnUrl
        : status === "FAILED"
          ? (details.stablemint?.errorUrl ?? null)
          : null;
    // Else back to the page the payer pays on (ours, or the merchant's own) to see where things
    // stand; the token is traded for a cookie there and leaves the address bar at once.
    if (base === null) return withToken(details.url, await this.token());
    return withSessionId(base, s.context.id);
  }

  /**
   * Every deadline of the session: expiry, the provider watchdog, and webhook attempts that are
   * due (in sequence order). It never throws: the runtime's own alarm retries are few and quick,
   * while delivery keeps its schedule in the outbox, so the handler always re-arms itself.
   */
  override async alarm(): Promise<void> {
    const session = this.loaded();
    if (session === null) return;
    const alarm = deadlineCause();
    // A fired alarm is gone: whatever time was written before must be written again.
    this.armedAt = undefined;
    try {
      // Expiry, watchdog, the projection and every delivery of this alarm: one step.
      await this.settle(async () => {
        const now = this.clock();
        let s = session.snapshot;
        if (!isClosed(s) && now >= s.context.expiresAt) {
          s = await this.apply({ type: "EXPIRE", at: now }, alarm);
        }
        const call = s.context.providerCall;
        if (call !== null && now >= call.deadlineAt) {
          s = await this.apply({ type: "PROVIDER_TIMEOUT", at: now }, alarm);
        }
        // D1 first: a slow webhook endpoint must not hold the listings back; then again for
        // what the deliveries changed, if that is due already.
        await this.projectIfDue();
        await this.deliverDue(alarm);
        await this.projectIfDue();
      });
      this.alarmFailures = 0;
      this.alarmRetryAt = undefined;
    } catch (error) {
      // e.g. D1 refusing the endpoint lookup: try again in 1 s, doubling up to 5 min.
      this.alarmFailures++;
      const backoff = Math.min(300_000, 1_000 * 2 ** (this.alarmFailures - 1));
      this.alarmRetryAt = this.clock() + backoff;
      const failures = this.alarmFailures;
      console.error(
        JSON.stringify({ alarm: sessionIdOf(this.ctx.id), failures, error: String(error) }),
      );
    } finally {
      await this.armAlarm(session.snapshot);
    }
  }

  /**
   * Webhook delivery: each due event fans out to the endpoints subscribed to it now, an endpoint
   * disabled or deleted meanwhile is sent nothing more, and every endpoint is sent its oldest
   * pending event of the session, then the next while they are due, concurrently with the other
   * endpoints: a slow or dead endpoint delays only itself.
   */
  private async deliverDue(cause: Cause): Promise<void> {
    const session = this.loaded();
    if (session === null) return;
    const { outbox, merchantId } = session.snapshot.context;
    if (dueFanOuts(outbox, this.clock()).length === 0 && pendingEndpoints(outbox).length === 0) {
      return;
    }
    await this.settle(async () => {
      const targets = await deliveryTargets(this.env, merchantId, Date.now());
      await this.apply({ type: "WEBHOOK_FANNED_OUT", at: this.clock(), endpoints: targets }, cause);
      for (const endpointId of pendingEndpoints(session.snapshot.context.outbox)) {
        if (targets.some((t) => t.id === endpointId)) continue;
        const reason = "endpoint disabled or deleted";
        const gone = { type: "WEBHOOK_ENDPOINT_DISABLED", endpointId, reason } as const;
        await this.apply({ ...gone, at: this.clock() }, cause);
      }
      await Promise.all(targets.map((target) => this.deliverTo(target, session, cause)));
    });
  }

  /** Sends one endpoint its due events of this session, oldest first, one at a time. */
  private async deliverTo(target: DeliveryTarget, session: StoredSession, cause: Cause) {
    if (this.sending.has(target.id)) return;
    const timeoutMs = Number(this.env.WEBHOOK_TIMEOUT_MS ?? DEFAULT_WEBHOOK_TIMEOUT_MS);
    // Should this instance die mid-attempt, the alarm tries again once the attempt would be over.
    const busy = () => this.sending.set(target.id, this.clock() + timeoutMs + 1_000);
    busy();
    try {
      for (let i = 0; i < MAX_DELIVERIES_IN_A_ROW; i++) {
        const head = headFor(session.snapshot.context.outbox, target.id);
        if (head === undefined || this.clock() < head.due) return;
        const { event } = head;
        busy();
        const result = await send(
          target,
          { id: event.id, body: this.payload(event, session) },
          timeoutMs,
        );
        const s = await this.apply(
          { type: "WEBHOOK_ATTEMPTED", at: this.clock(), eventId: event.id, result },
          cause,
        );
        const entry = s.context.outbox
          .find((e) => e.id === event.id)
          ?.delivery.endpoints?.find((d) => d.endpointId === target.id);
        if (entry?.status === "failed" || entry?.status === "disabled") {
          // Done for good here: the merchant's other sessions stop sending to it too.
          const reason = entry.reason ?? "stopped";
          await disableEndpoint(this.env, s.context.merchantId, target.id, reason, Date.now());
          return;
        }
      }
    } finally {
      // Its next attempt (if any) is known now: wake for it.
      this.sending.delete(target.id);
      await this.armAlarm(session.snapshot);
    }
  }

  /** The body an event is sent with: stored when it was emitted (rendered now for older ones). */
  private payload(event: OutboxEvent, session: StoredSession): string {
    return (
      this.store.payload(event.id) ?? webhookBody(event, session.snapshot, session.details, null)
    );
  }

  /** The loaded session, with any deadline already passed applied first (expiry above all). */
  private async current(): Promise<StoredSession | null> {
    const session = this.loaded();
    if (session === null) return null;
    const now = this.clock();
    if (!isClosed(session.snapshot) && now >= session.snapshot.context.expiresAt) {
      await this.apply({ type: "EXPIRE", at: now }, deadlineCause());
    }
    return session;
  }

  /** The session if this merchant owns it; another merchant's session looks like none at all. */
  private async owned(merchantId: string): Promise<StoredSession | null> {
    const session = await this.current();
    return session?.snapshot.context.merchantId === merchantId ? session : null;
  }

  /**
   * Compute → persist (one transaction, awaited) → act. A provider call the transition recorded
   * is made only after it is stored, and its answer is fed back as the next event.
   */
  private async apply(
    event: CheckoutEvent,
    cause: Cause,
    card?: CardDetails,
  ): Promise<CheckoutSnapshot> {
    const session = this.loaded();
    if (session === null) throw new Error("apply() before create()");
    const before = session.snapshot;
    const [after] = transition(checkoutSessionMachine, before, event);
    if (after.value === before.value && after.context === before.context) return before;
    const emitted = after.context.outbox.slice(before.context.outbox.length);
    const payloads = emitted.map((e) => ({
      eventId: e.id,
      body: webhookBody(e, after, session.details, cause.requestId),
    }));
    this.store.save(after, session.details, event, cause, payloads);
    session.snapshot = after;
    if (emitted.length > 0 || event.type === "WEBHOOK_REDELIVER") this.deliveryDue = true;
    return this.settle(async () => {
      // In the same synchronous turn as the transaction: workerd commits the alarm with it.
      await this.armAlarm(after);
      const call = after.context.providerCall;
      if (call !== null && call.id !== before.context.providerCall?.id) {
        const outcome = await this.callProvider(call, after, session.details, card);
        const next = outcomeEvent(outcome, call, this.clock());
        if (next !== null)
          return this.apply(next, { kind: "provider", requestId: cause.requestId }, card);
      }
      return session.snapshot;
    });
  }

  /**
   * Runs one step (a request's transitions with the provider answers they lead to, or one
   * alarm's work); once the outermost step ends, the webhook events it made are sent.
   */
  private async settle<T>(work: () => Promise<T>): Promise<T> {
    this.steps++;
    try {
      return await work();
    } finally {
      this.steps--;
      if (this.steps === 0) {
        if (this.deliveryDue) {
          // New events go out now, not at the alarm: an alarm busy with a slow endpoint would
          // hold them back. (The alarm stands in case this instance does not live to send them.)
          this.deliveryDue = false;
          this.ctx.waitUntil(
            this.deliverDue(deadlineCause()).catch((error: unknown) => {
              // The alarm stands for these events: they go out when it fires.
              console.error(
                JSON.stringify({
                  delivery: this.session?.snapshot.context.id,
                  error: String(error),
                }),
              );
            }),
          );
        }
      }
    }
  }

  private async callProvider(
    call: ProviderCall,
    s: CheckoutSnapshot,
    details: SessionDetails,
    card: CardDetails | undefined,
  ): Promise<ProviderOutcome> {
    const origin = originOf(details);
    const provider = createProvider(call.provider, this.env, origin);
    const { context } = s;
    const charge = context.payment?.charges.find((c) => c.id === call.chargeId);
    try {
      switch (call.kind) {
        case "authorize": {
          const method = charge?.paymentMethod;
          const payment = context.payment;
          // Without the card (a replay after a restart) the provider is asked for status instead.
          if (
            method === undefined ||
            payment === null ||
            (method.type === "card" && card === undefined)
          ) {
            return await provider.status(call.chargeId);
          }
          return await provider.authorize({
            chargeId: call.chargeId,
            // The payment's amount: the session's, or the one the payer's first confirm chose.
            amount: payment.amount,
            currency: context.currency,
            captureMethod: context.captureMethod,
            secureMode: context.secureMode,
            paymentMethod:
              method.type === "card" && card !== undefined
                ? { type: "card", card }
                : {
                    type: "bank_transfer",
                    bankId: method.type === "bank_transfer" ? method.bankId : "",
                  },
            challengeReturnUrl: `${origin}/v1/checkout-sessions/challenge-return?charge_id=${call.chargeId}`,
          });
        }
        case "complete_action":
          return await provider.completeAction(call.chargeId);
        case "status":
          return await provider.status(call.chargeId);
        case "capture":
          return await provider.capture(call.chargeId);
      }
    } catch (error) {
      // A provider that throws is a provider that did not answer: the watchdog asks again.
      console.error(
        JSON.stringify({ chargeId: call.chargeId, kind: call.kind, error: String(error) }),
      );
      return { type: "silent" };
    }
  }

  /**
   * When the D1 projections (session index, events index, saved banks) are next written: a
   * moment after the first change D1 lacks, so that a request's changes and the deliveries
   * after it go in one batch, written after the payer or merchant has been answered; after a
   * failure, backing off. Null: D1 has everything.
   */
  private projectionDueAt(): number | null {
    const since = this.store.unprojectedSince();
    if (since === null) return null;
    const lag = Number(this.env.PROJECTION_LAG_MS ?? DEFAULT_PROJECTION_LAG_MS);
    return Math.max(since + lag, this.projectionRetryAt);
  }

  private async projectIfDue(): Promise<void> {
    const at = this.projectionDueAt();
    if (at !== null && this.clock() >= at) await this.project();
  }

  /**
   * Brings D1 up to the session's state in one batch of idempotent upserts. D1 never fails the
   * session: the state is saved, so a failed write is logged and tried again from the alarm,
   * backing off, until D1 takes it; payers, providers and webhooks go on meanwhile.
   */
  private async project(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const s = session.snapshot;
    try {
      await this.env.DB.batch(
        projectionStatements(this.env.DB, this.projectedFrom, s, session.details),
      );
      this.projectedFrom = s;
      this.projectionFailures = 0;
      this.projectionRetryAt = 0;
      // A change made while the batch was out is still owed.
      if (session.snapshot === s) this.store.projected();
    } catch (error) {
      // After a failure the write's effect is unknown: the next one writes everything.
      this.projectedFrom = null;
      const failures = ++this.projectionFailures;
      console.error(JSON.stringify({ projection: s.context.id, failures, error: String(error) }));
      this.projectionRetryAt = this.clock() + projectionRetryDelayMs(failures);
    }
  }

  /** The one alarm at the next deadline; not rewritten when it already stands there. */
  private async armAlarm(s: CheckoutSnapshot): Promise<void> {
    const deadlines = [nextWakeAt(s, this.sending), this.projectionDueAt()].filter(
      (at): at is number => at !== null,
    );
    const due = deadlines.length === 0 ? null : Math.min(...deadlines);
    const wakeAt = due === null ? null : Math.max(due, this.alarmRetryAt ?? due);
    if (wakeAt === this.armedAt) return;
    this.armedAt = wakeAt;
    if (wakeAt === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(wakeAt);
  }
}

/** `${url}?token=${token}`, the line that opens a session's payer page. */
function withToken(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("token", token);
  return parsed.toString();
}

/** A transition caused by a deadline (expiry, watchdog, webhook schedule): its own trace id. */
const deadlineCause = (): Cause => ({ kind: "alarm", requestId: `alarm_${crypto.randomUUID()}` });
