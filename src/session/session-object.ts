/**
 * One Durable Object per checkout session: a thin shell over its engine (src/session/engine.ts).
 * Each RPC method loads the session, decides (the machine refuses what its state does not take:
 * `snapshot.can`), runs one engine step, and answers with a view, in the dialect the session was
 * created through (src/dialects/index.ts).
 */

import { DurableObject } from "cloudflare:workers";
import { type CheckoutEvent, isClosed, sessionStatus, stateName } from "../../machines/index.js";
import { confirmEvent, confirmProblem } from "../core/confirm-input.js";
import { eventView } from "../core/event-views.js";
import { exitDestination, payerDestination } from "../core/redirect-policy.js";
import { type RefundParams, refundDecision } from "../core/refunds.js";
import { closedProblem, fail, ok, type Result } from "../core/result.js";
import { type CreateArgs, newSession } from "../core/spec.js";
import {
  nextAction,
  payerPaymentView,
  paymentView,
  publicView,
  refundView,
  sessionView,
} from "../core/views.js";
import { ProblemError, toProblemResponse } from "../errors.js";
import { paymentIdOf, sessionIdOf } from "../ids.js";
import { assessConfirm, type ClientFacts } from "../risk/signals.js";
import type { ConfirmCheckoutSession, ProviderAnswer, TestClockAdvance } from "../schemas.js";
import { SessionEngine } from "./engine.js";
import { journalEntryView } from "./journal-view.js";
import { LiveSockets, liveUpgradeOf } from "./live.js";
import type { Cause, StoredSession } from "./store.js";
import { advancedTime, chargeSettled, providerAnswerEvent } from "./test-helpers.js";

const NO_SESSION = fail(404, "not_found", "No such checkout session.");
const NO_LINK = fail(404, "invalid_token", "This payment link is not valid.");

export class SessionObject extends DurableObject<Env> {
  /** The clock; tests move it forward to reach deadlines without waiting for them. */
  clock: () => number = () => Date.now();
  private readonly engine: SessionEngine;
  private readonly live: LiveSockets;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.live = new LiveSockets(ctx, () => this.env);
    this.engine = new SessionEngine(ctx, {
      env: () => this.env,
      now: () => this.clock(),
      persisted: (session) => this.live.changed(session, () => this.engine.seq()),
    });
    // A page's keep-alive is answered by the runtime, without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /**
   * A payer page's live socket (src/session/live.ts). Only src/routes/live.ts calls this, once
   * it has checked the payer's token or cookie for this session.
   */
  override async fetch(request: Request): Promise<Response> {
    const upgrade = liveUpgradeOf(request);
    const session = upgrade === null ? null : await this.engine.current();
    if (upgrade === null || session === null) {
      const problem = new ProblemError(404, "invalid_token", "This payment link is not valid.");
      return toProblemResponse(problem, request.headers.get("request-id") ?? "");
    }
    return this.live.accept(session, this.engine.seq(), upgrade);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const session = await this.engine.current();
    if (session === null) ws.close(1011, "no session");
    else await this.live.message(ws, message, session, this.engine.seq());
  }

  /** The page closed its socket: the Hibernation API leaves the reply to us (RFC 6455 §5.5.1). */
  override webSocketClose(ws: WebSocket, code: number): void {
    // 1005, 1006 and 1015 say why a close had no code; none may be sent.
    ws.close(code === 1005 || code === 1006 || code === 1015 ? 1000 : code, "");
  }

  /** The session's time (its sandbox test clock may run ahead of the real one). */
  private now(): number {
    return this.engine.now();
  }

  async create(args: CreateArgs): Promise<Result<{ status: number; body: string }>> {
    const existing = this.engine.loaded();
    if (existing !== null) {
      if (existing.fingerprint !== args.fingerprint) {
        const message = "This idempotency key was used with a different request body.";
        return fail(422, "idempotency_key_reused", message);
      }
      return ok(this.created(existing));
    }
    const id = sessionIdOf(this.ctx.id);
    const now = this.now();
    const providerTimeoutMs = Number(this.env.PROVIDER_TIMEOUT_MS ?? 30_000);
    const { input, details } = newSession(args, {
      id,
      paymentId: paymentIdOf(id),
      now,
      providerTimeoutMs,
    });
    const cause: Cause = { kind: "merchant", requestId: args.requestId };
    return ok(this.created(await this.engine.create(input, details, args.fingerprint, cause)));
  }

  async retrieve(merchantId: string): Promise<Result<ReturnType<typeof sessionView>>> {
    const session = await this.owned(merchantId);
    if (session === null) return NO_SESSION;
    return ok(this.merchantView(session, await this.engine.token()));
  }

  /** The merchant that owns the session, or null: what decides who may frame its checkout. */
  async owner(): Promise<string | null> {
    return this.engine.loaded()?.snapshot.context.merchantId ?? null;
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
    return session === null ? NO_SESSION : ok(this.engine.journal().map(journalEntryView));
  }

  /** One webhook event of this session, with the body it is sent with and its attempts. */
  async event(merchantId: string, eventId: string): Promise<Result<ReturnType<typeof eventView>>> {
    const session = await this.owned(merchantId);
    const event = session?.snapshot.context.outbox.find((e) => e.id === eventId);
    if (session === null || event === undefined) return fail(404, "not_found", "No such event.");
    return ok(eventView(event, session.snapshot.context.id, this.engine.payload(event, session)));
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
  ) {
    const session = await this.owned(merchantId);
    const event = session?.snapshot.context.outbox.find((e) => e.id === eventId);
    if (session === null || event === undefined) return fail(404, "not_found", "No such event.");
    const again = {
      type: "WEBHOOK_REDELIVER",
      eventId,
      ...(endpointId && { endpointId }),
    } as const;
    const s = await this.engine.apply(
      { ...again, at: this.now() },
      { kind: "merchant", requestId },
    );
    return ok(eventView(s.context.outbox.find((e) => e.id === eventId) ?? event, s.context.id));
  }

  /** The payer's view in any state, without marking the session opened (final pages). */
  async view(): Promise<Result<ReturnType<typeof publicView>>> {
    const session = await this.engine.current();
    return session === null ? NO_LINK : ok(publicView(session.snapshot, session.details));
  }

  /** The payer's view. A closed session's link is dead: it answers 410 with the status. */
  async open(requestId: string): Promise<Result<ReturnType<typeof publicView>>> {
    const session = await this.engine.current();
    if (session === null) return NO_LINK;
    if (isClosed(session.snapshot)) {
      const status = sessionStatus(session.snapshot).toLowerCase();
      return fail(410, "session_closed", `This checkout session is ${status}.`);
    }
    const opened = { type: "PAYER_OPENED", at: this.now() } as const;
    const s =
      session.snapshot.context.openedAt === null
        ? await this.engine.apply(opened, { kind: "payer", requestId })
        : session.snapshot;
    return ok(publicView(s, session.details));
  }

  async cancel(
    merchantId: string,
    requestId: string,
  ): Promise<Result<ReturnType<typeof sessionView>>> {
    const session = await this.owned(merchantId);
    if (session === null) return NO_SESSION;
    const event: CheckoutEvent = { type: "CANCEL", at: this.now() };
    if (!session.snapshot.can(event)) return closedProblem(session.snapshot);
    await this.engine.apply(event, { kind: "merchant", requestId });
    return ok(this.merchantView(session));
  }

  async capture(
    merchantId: string,
    requestId: string,
  ): Promise<Result<ReturnType<typeof paymentView>>> {
    const session = await this.owned(merchantId);
    const payment = session?.snapshot.context.payment;
    if (session === null || !payment) return fail(404, "not_found", "No such payment.");
    const event: CheckoutEvent = { type: "CAPTURE", at: this.now() };
    if (!session.snapshot.can(event)) {
      // A capture already on its way answers as it stands; anything else cannot be captured.
      if (payment.status === "AUTHORIZED")
        return ok(paymentView(payment, session.snapshot.context.id));
      return fail(409, "payment_not_capturable", `A ${payment.status} payment cannot be captured.`);
    }
    const s = await this.engine.apply(event, { kind: "merchant", requestId });
    return ok(paymentView(s.context.payment ?? payment, s.context.id));
  }

  /**
   * Gives money back through the charge's provider, as a machine event: journaled, and never
   * more than the charge took. A key used before answers the refund it made (200).
   */
  async refund(merchantId: string, params: RefundParams, requestId: string) {
    const session = await this.owned(merchantId);
    if (session === null) return fail(404, "not_found", "No such payment.");
    const decided = refundDecision(session.snapshot, params, this.now());
    if (!decided.ok) return decided;
    if (decided.value.kind === "made") return ok({ status: 200, refund: decided.value.refund });
    const s = await this.engine.apply(decided.value.event, { kind: "merchant", requestId });
    const payment = s.context.payment;
    const refund = payment?.refunds.find((r) => r.id === params.refundId);
    if (!payment || refund === undefined) return closedProblem(s);
    return ok({ status: 201, refund: refundView(refund, payment.id) });
  }

  async refunds(merchantId: string) {
    const session = await this.owned(merchantId);
    const payment = session?.snapshot.context.payment;
    if (session === null || !payment) return fail(404, "not_found", "No such payment.");
    return ok(payment.refunds.map((refund) => refundView(refund, payment.id)));
  }

  async confirm(params: ConfirmCheckoutSession, client: ClientFacts, requestId: string) {
    const session = await this.engine.current();
    if (session === null) return NO_LINK;
    const { event, card } = confirmEvent(params, this.now(), session);
    // What the machine does not judge (required fields, offered methods) has words of its own.
    const refused = confirmProblem(session, params);
    if (!session.snapshot.can(event)) {
      return stateName(session.snapshot) === "open" && refused
        ? refused
        : closedProblem(session.snapshot);
    }
    if (refused !== null) return refused;
    const risk = await assessConfirm(this.env, session, params, client);
    const assessed = { ...event, risk };
    const s = await this.engine.apply(assessed, { kind: "payer", requestId }, card);
    if (stateName(s) === "expired") return closedProblem(s);
    const payment = s.context.payment;
    return ok({
      checkout_session: publicView(s, session.details),
      confirmResult: {
        payment: payment && payerPaymentView(payment, s.context.id),
        paymentNextAction: nextAction(s),
      },
    });
  }

  /** The payer is back from the 3DS challenge: ask the provider to finish, then send them on. */
  async challengeReturned(
    chargeId: string,
    requestId: string,
  ): Promise<Result<{ redirect: string }>> {
    const session = await this.engine.current();
    const charge = session?.snapshot.context.payment?.charges.find((c) => c.id === chargeId);
    if (session === null || charge === undefined) return fail(404, "not_found", "No such charge.");
    const event: CheckoutEvent = { type: "ACTION_COMPLETED", at: this.now(), chargeId };
    const s = session.snapshot.can(event)
      ? await this.engine.apply(event, { kind: "payer", requestId })
      : session.snapshot;
    return ok({ redirect: payerDestination(s, session.details, await this.engine.token()) });
  }

  /**
   * The payer leaves without paying (the page's exit link): the session is cancelled
   * (`closed_reason: "payer_exited"`) and the payer goes to `cancel_url` (StableMint's
   * `exitUrl`), else to `return_url` with the session id, else nowhere in particular (null).
   */
  async exit(requestId: string) {
    const session = await this.engine.current();
    if (session === null) return NO_LINK;
    const event: CheckoutEvent = { type: "PAYER_EXITED", at: this.now() };
    if (!session.snapshot.can(event)) return closedProblem(session.snapshot);
    const s = await this.engine.apply(event, { kind: "payer", requestId });
    return ok({
      checkout_session: publicView(s, session.details),
      redirect_url: exitDestination(s),
    });
  }

  /** Sandbox test helper: moves the session's clock forward; what falls due happens now. */
  async advanceClock(merchantId: string, advance: TestClockAdvance, requestId: string) {
    const session = await this.owned(merchantId);
    if (session === null) return NO_SESSION;
    const at = advancedTime(session.snapshot, advance, this.now());
    if (!at.ok) return at;
    await this.engine.advanceClock(at.value, { kind: "merchant", requestId });
    return ok({
      checkout_session: this.merchantView(session, await this.engine.token()),
      test_clock: { now: new Date(this.now()).toISOString(), ahead_ms: this.now() - this.clock() },
    });
  }

  /** Sandbox test helper: the provider's answer for a charge arrives now, however late. */
  async providerAnswer(merchantId: string, answer: ProviderAnswer, requestId: string) {
    const session = await this.owned(merchantId);
    const payment = session?.snapshot.context.payment;
    if (session === null || !payment) return fail(404, "not_found", "No such payment.");
    const event = providerAnswerEvent(payment, answer, this.now());
    if (!event.ok) return event;
    // Taken as the machine takes any provider answer (a closed session keeps a late success).
    const before = session.snapshot;
    const s = await this.engine.apply(event.value, { kind: "provider", requestId });
    if (s === before) return chargeSettled(payment, event.value);
    return ok(paymentView(s.context.payment ?? payment, s.context.id));
  }

  override async alarm(): Promise<void> {
    await this.engine.alarm();
  }

  private created(session: StoredSession) {
    return { status: this.engine.dialect(session).createdStatus, body: session.createResponse };
  }

  private merchantView(session: StoredSession, token: string | null = null) {
    return sessionView(session.snapshot, session.details, this.engine.dialect(session), token);
  }

  /** The session if this merchant owns it; another merchant's session looks like none at all. */
  private async owned(merchantId: string): Promise<StoredSession | null> {
    const session = await this.engine.current();
    return session?.snapshot.context.merchantId === merchantId ? session : null;
  }
}
