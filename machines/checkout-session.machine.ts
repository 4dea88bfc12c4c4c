/**
 * The checkout session: one payer, one amount, one payment with its charges, from creation to a
 * final outcome. The amount is set at creation, or (`amount: null`) by the payer's first accepted
 * `CONFIRM`; once set it never changes. Pure: no I/O, no clock, no timers. Effects are data in the context (the provider
 * call to make, the webhook events to deliver); the session object performs them after persisting.
 *
 * @example
 * ```ts
 * import { checkoutSessionMachine, pureSteps, sessionStatus } from "edge-checkout/machines";
 *
 * const checkout = pureSteps(checkoutSessionMachine); // or XState's transition(), slower
 * let snapshot = checkout.initial({
 *   id: "cs_1", paymentId: "pay_1", merchantId: "m_1", amount: 1050, currency: "EUR",
 *   createdAt: 0, expiresAt: 3_600_000,
 * });
 * snapshot = checkout.next(snapshot, {
 *   type: "CONFIRM", at: 1000, paymentMethod: { type: "card", brand: "visa", last4: "4242" },
 * });
 * sessionStatus(snapshot); // "PROCESSING"; snapshot.context.providerCall says what to call
 * ```
 */
import { assign, enqueueActions, raise, setup } from "xstate";
import type { CheckoutEvent } from "./checkout-session.events.js";
import { type CheckoutContext, CheckoutInput } from "./checkout-session.schema.js";
import {
  confirmedAmount,
  currentCharge,
  fallbackProvider,
  findCharge,
  findRefund,
  MAX_STATUS_CHECKS,
  recordCall,
  refundTarget,
  routedProviders,
  settleCharge,
  startCharge,
} from "./payment.js";
import {
  disableFor,
  dueFanOuts,
  emit,
  fanOutDue,
  headFor,
  recordIn,
  redeliver,
} from "./webhook-delivery.js";

type Changes = Partial<CheckoutContext>;

function chargeIdOf(event: CheckoutEvent): string | undefined {
  return "chargeId" in event ? event.chargeId : undefined;
}

function isCurrentCharge(context: CheckoutContext, event: CheckoutEvent): boolean {
  const charge = currentCharge(context);
  return charge !== undefined && charge.id === chargeIdOf(event);
}

function isCurrentOutcome(context: CheckoutContext, event: CheckoutEvent): boolean {
  if (event.type !== "PROVIDER_TIMEOUT") return isCurrentCharge(context, event);
  return context.providerCall !== null && event.at >= context.providerCall.deadlineAt;
}

function isUnsettledCharge(context: CheckoutContext, event: CheckoutEvent): boolean {
  const chargeId = chargeIdOf(event);
  const charge = chargeId === undefined ? undefined : findCharge(context, chargeId);
  return charge !== undefined && charge.status !== "succeeded" && charge.status !== "authorized";
}

function failureOf(event: CheckoutEvent): { code: string; message: string } {
  if (event.type === "PROVIDER_DECLINED" || event.type === "PROVIDER_FAILED") {
    return { code: event.code, message: event.message };
  }
  if (event.type === "ACTION_FAILED") {
    return { code: "authentication_failed", message: "The payer did not pass authentication." };
  }
  return { code: "provider_unavailable", message: "The provider did not answer in time." };
}

/** Marks the session closed; its one terminal webhook event is emitted beside it. */
function close(at: number, reason: string): Changes {
  return { closedAt: at, closedReason: reason };
}

/** Settles the current charge as failed and falls back, reopens for another try, or fails. */
function failCurrentCharge(
  context: CheckoutContext,
  event: CheckoutEvent,
  paymentStatus: "REQUIRES_PAYMENT_METHOD" | "FAILED" | "CREATED",
): Changes {
  const charge = currentCharge(context);
  if (charge === undefined) return {};
  const declined = event.type === "PROVIDER_DECLINED" || event.type === "ACTION_FAILED";
  return {
    ...settleCharge(context, event.at, charge.id, declined ? "declined" : "failed", paymentStatus, {
      failure: failureOf(event),
    }),
    ...emit(context, event.at, ["charge.declined", charge.id]),
  };
}

export const checkoutSessionMachine = setup({
  types: {
    context: {} as CheckoutContext,
    events: {} as CheckoutEvent,
    input: {} as CheckoutInput,
  },
  guards: {
    isPastExpiry: ({ context, event }) => event.at >= context.expiresAt,
    /** A confirm with the amount it needs: one when the session has none, else none or the same. */
    isAmountAccepted: ({ context, event }) =>
      event.type === "CONFIRM" && confirmedAmount(context, event.amount) !== null,
    /** The charge the session is waiting on. */
    isCurrentCharge: ({ context, event }) => isCurrentCharge(context, event),
    isFirstAction: ({ context, event }) =>
      isCurrentCharge(context, event) && currentCharge(context)?.nextActionUrl === null,
    /** A failure of the current charge, or the watchdog running out on it. */
    isCurrentOutcome: ({ context, event }) => isCurrentOutcome(context, event),
    /** A retryable failure (or silence) of the current charge, with another provider to try. */
    canFallBack: ({ context, event }) =>
      (event.type === "PROVIDER_FAILED" || event.type === "PROVIDER_TIMEOUT") &&
      isCurrentOutcome(context, event) &&
      fallbackProvider(context) !== undefined,
    /** A failed charge with confirms left for the payer. */
    canRetry: ({ context, event }) =>
      isCurrentOutcome(context, event) && context.paymentAttempts < context.maxPaymentAttempts,
    /** A charge of this payment that has not yet taken money: a success for it must be kept. */
    isUnsettledCharge: ({ context, event }) => isUnsettledCharge(context, event),
    isCallInFlight: ({ context, event }) =>
      context.providerCall !== null && context.providerCall.chargeId === chargeIdOf(event),
    isWatchdogDue: ({ context, event }) =>
      context.providerCall !== null && event.at >= context.providerCall.deadlineAt,
    /** The watchdog ran out and the provider may still be asked for the charge's status. */
    canAskForStatus: ({ context, event }) =>
      context.providerCall !== null &&
      event.at >= context.providerCall.deadlineAt &&
      context.providerCall.statusChecks < MAX_STATUS_CHECKS,
    isManualCaptureSuccess: ({ context, event }) =>
      context.captureMethod === "manual" && isUnsettledCharge(context, event),
    isNoCallInFlight: ({ context }) => context.providerCall === null,
    /** A new refund that fits what the captured charge has left, with no call in flight. */
    canRefund: ({ context, event }) =>
      event.type === "REFUND" &&
      context.providerCall === null &&
      findRefund(context, event.refundId) === undefined &&
      refundTarget(context.payment, event.amount) !== undefined,
    /** The provider's answer for a refund it has not settled yet (in flight, or given up on). */
    isPendingRefund: ({ context, event }) =>
      (event.type === "REFUND_SUCCEEDED" || event.type === "REFUND_FAILED") &&
      findRefund(context, event.refundId)?.status === "pending",
    /** Events have fallen due and not fanned out: the endpoints they go to are fixed now, once. */
    hasDueFanOuts: ({ context, event }) => dueFanOuts(context.outbox, event.at).length > 0,
    /** The endpoint's oldest pending event of the session: an answer to any other is ignored. */
    isEndpointsHead: ({ context, event }) =>
      event.type === "WEBHOOK_ATTEMPTED" &&
      headFor(context.outbox, event.result.endpointId)?.event.id === event.eventId,
    awaitsEndpoint: ({ context, event }) =>
      event.type === "WEBHOOK_ENDPOINT_DISABLED" &&
      context.outbox.some((e) =>
        e.delivery.endpoints?.some(
          (d) => d.endpointId === event.endpointId && d.status === "pending",
        ),
      ),
    isKnownEvent: ({ context, event }) =>
      "eventId" in event && context.outbox.some((e) => e.id === event.eventId),
  },
  actions: {
    /** Re-sends the event to the state just entered (after expiring first, a late success is kept). */
    replay: raise(({ event }) => event),
    touch: assign(({ context, event }) => ({ updatedAt: Math.max(context.updatedAt, event.at) })),
    markOpened: assign(({ context, event }) => ({ openedAt: context.openedAt ?? event.at })),
    updatePayer: assign(({ context, event }) => {
      if (event.type !== "PAYER_DETAILS_UPDATED" && event.type !== "CONFIRM") return {};
      const values = event.type === "CONFIRM" ? event.customFieldValues : undefined;
      return {
        payer: { ...context.payer, ...event.payer },
        ...(values && { customFieldValues: { ...context.customFieldValues, ...values } }),
      };
    }),
    /** The first accepted confirm fixes an amountless session's amount; it never changes after. */
    startPayment: assign(({ context, event }) => {
      if (event.type !== "CONFIRM") return {};
      const amount = confirmedAmount(context, event.amount);
      if (amount === null) return {};
      const routed = { ...context, amount, route: event.route ?? null, risk: event.risk ?? null };
      const [provider = "sandbox"] = routedProviders(routed);
      return {
        amount,
        route: routed.route,
        risk: routed.risk,
        paymentAttempts: context.paymentAttempts + 1,
        ...startCharge(routed, event.at, provider, event.paymentMethod),
      };
    }),
    /**
     * A confirm the merchant's risk rules block is declined at once, as its provider would
     * decline it (the payer may try again while attempts last): no charge goes out.
     */
    blockByRisk: enqueueActions(({ context, event, enqueue }) => {
      const charge = currentCharge(context);
      if (event.type !== "CONFIRM" || event.risk?.decision !== "block" || !charge) return;
      const reasons = event.risk.reasons.map((r) => r.reason).join(" ");
      enqueue.raise({
        type: "PROVIDER_DECLINED",
        at: event.at,
        chargeId: charge.id,
        code: "risk_blocked",
        message: `Declined by the merchant's risk rules. ${reasons}`.trim(),
      });
    }),
    fallBack: assign(({ context, event }) => {
      const next = fallbackProvider(context);
      const charge = currentCharge(context);
      if (next === undefined || charge === undefined) return {};
      const failed = { ...context, ...failCurrentCharge(context, event, "CREATED") };
      return { ...failed, ...startCharge(failed, event.at, next, charge.paymentMethod) };
    }),
    reopen: assign(({ context, event }) =>
      failCurrentCharge(context, event, "REQUIRES_PAYMENT_METHOD"),
    ),
    fail: assign(({ context, event }) => {
      const failed = { ...context, ...failCurrentCharge(context, event, "FAILED") };
      return {
        ...failed,
        ...emit(failed, event.at, "payment.failed", "checkout_session.failed"),
        ...close(event.at, "payment_failed"),
      };
    }),
    requireAction: assign(({ context, event }) => {
      if (event.type !== "PROVIDER_REQUIRES_ACTION") return {};
      return {
        ...settleCharge(context, event.at, event.chargeId, "requires_action", "REQUIRES_ACTION", {
          nextActionUrl: event.url,
        }),
        ...emit(context, event.at, "payment.requires_action"),
      };
    }),
    completeAction: assign(({ context, event }) => {
      const charge = currentCharge(context);
      return charge === undefined ? {} : recordCall(context, event.at, "complete_action", charge);
    }),
    succeed: assign(({ context, event }) => {
      const chargeId = chargeIdOf(event) ?? "";
      return {
        ...settleCharge(context, event.at, chargeId, "succeeded", "SUCCEEDED"),
        ...emit(
          context,
          event.at,
          ["charge.succeeded", chargeId],
          "payment.succeeded",
          "checkout_session.completed",
        ),
        ...close(event.at, "completed"),
      };
    }),
    authorize: assign(({ context, event }) => {
      const chargeId = chargeIdOf(event) ?? "";
      const settled = {
        ...context,
        ...settleCharge(context, event.at, chargeId, "authorized", "AUTHORIZED"),
      };
      return {
        ...settled,
        ...emit(
          context,
          event.at,
          ["charge.succeeded", chargeId],
          "payment.authorized",
          "checkout_session.completed",
        ),
        ...close(event.at, "completed"),
      };
    }),
    /** Records the capture of the authorized charge (on request, or at once for automatic capture). */
    capture: assign(({ context, event }) => {
      const charge = context.payment?.charges.find((c) => c.status === "authorized");
      return charge === undefined ? {} : recordCall(context, event.at, "capture", charge);
    }),
    startRefund: assign(({ context, event }) => {
      const { payment } = context;
      const charge = event.type === "REFUND" ? refundTarget(payment, event.amount) : undefined;
      if (event.type !== "REFUND" || payment === null || charge === undefined) return {};
      const refund = {
        id: event.refundId,
        chargeId: charge.id,
        amount: event.amount,
        reason: event.reason,
        status: "pending" as const,
        createdAt: event.at,
        updatedAt: event.at,
        failure: null,
      };
      return {
        payment: { ...payment, refunds: [...payment.refunds, refund], updatedAt: event.at },
        ...recordCall(context, event.at, "refund", charge, 0, event.refundId),
      };
    }),
    settleRefund: assign(({ context, event }) => {
      const { payment } = context;
      if ((event.type !== "REFUND_SUCCEEDED" && event.type !== "REFUND_FAILED") || !payment) {
        return {};
      }
      const succeeded = event.type === "REFUND_SUCCEEDED";
      const failure = succeeded ? null : { code: event.code, message: event.message };
      const refunds = payment.refunds.map((refund) =>
        refund.id === event.refundId
          ? {
              ...refund,
              status: succeeded ? ("succeeded" as const) : ("failed" as const),
              failure,
              updatedAt: event.at,
            }
          : refund,
      );
      const inFlight = context.providerCall?.refundId === event.refundId;
      return {
        payment: { ...payment, refunds, updatedAt: event.at },
        providerCall: inFlight ? null : context.providerCall,
        ...emit(context, event.at, [
          succeeded ? "refund.succeeded" : "refund.failed",
          event.refundId,
        ]),
      };
    }),
    captured: assign(({ context, event }) => ({
      ...settleCharge(context, event.at, chargeIdOf(event) ?? "", "succeeded", "SUCCEEDED"),
      ...emit(context, event.at, "payment.succeeded"),
    })),
    captureFailed: assign(({ context, event }) => {
      const { payment } = context;
      if (payment === null) return {};
      return { providerCall: null, payment: { ...payment, lastError: failureOf(event) } };
    }),
    extendWatchdog: assign(({ context, event }) =>
      context.providerCall === null
        ? {}
        : {
            providerCall: {
              ...context.providerCall,
              deadlineAt: event.at + context.providerTimeoutMs,
            },
          },
    ),
    askForStatus: assign(({ context, event }) => {
      const call = context.providerCall;
      const charge = call === null ? undefined : findCharge(context, call.chargeId);
      if (call === null || charge === undefined) return {};
      // A refund is asked again by sending it again: its id makes the provider replay it.
      const kind = call.kind === "refund" ? "refund" : "status";
      return recordCall(context, event.at, kind, charge, call.statusChecks + 1, call.refundId);
    }),
    /**
     * The provider stayed silent through every status check on a closed session (or a capture or
     * a refund): stop asking. A charge still pending is marked failed; a success that comes later
     * is still kept. A refund stays pending (the provider may have made it) and counts against
     * what may be refunded; its late answer is still taken.
     */
    abandonCall: assign(({ context, event }) => {
      const call = context.providerCall;
      const charge = call === null ? undefined : findCharge(context, call.chargeId);
      if (charge === undefined || context.payment === null) return {};
      const failure = failureOf(event);
      if (charge.status !== "pending") {
        return { providerCall: null, payment: { ...context.payment, lastError: failure } };
      }
      return settleCharge(context, event.at, charge.id, "failed", context.payment.status, {
        failure,
      });
    }),
    cancel: assign(({ context, event }) => ({
      ...emit(context, event.at, "checkout_session.cancelled"),
      ...close(event.at, event.type === "PAYER_EXITED" ? "payer_exited" : "merchant_cancelled"),
    })),
    expire: assign(({ context, event }) => ({
      ...emit(context, event.at, "checkout_session.expired"),
      ...close(event.at, "expired"),
    })),
    /** Money that arrives for a charge the session no longer waits on is kept and flagged. */
    keepLateSuccess: assign(({ context, event }) => {
      const chargeId = chargeIdOf(event) ?? "";
      const { payment } = context;
      if (payment === null) return {};
      const alreadyPaid = payment.status === "SUCCEEDED" || payment.status === "AUTHORIZED";
      const chargeStatus = event.type === "PROVIDER_AUTHORIZED" ? "authorized" : "succeeded";
      const settled = settleCharge(
        context,
        event.at,
        chargeId,
        chargeStatus,
        alreadyPaid ? payment.status : "SUCCEEDED",
        {
          late: true,
        },
      );
      const paidAfterClose = context.closedAt !== null && context.closedReason !== "completed";
      return {
        ...settled,
        payment: settled.payment && {
          ...settled.payment,
          paidAfterClose: settled.payment.paidAfterClose || paidAfterClose,
        },
        ...emit(
          context,
          event.at,
          ["charge.succeeded", chargeId],
          ...(alreadyPaid ? [] : (["payment.succeeded"] as const)),
        ),
      };
    }),
    /** A late failure for a charge the session no longer waits on: recorded, nothing else moves. */
    settleLateFailure: assign(({ context, event }) => {
      const chargeId = chargeIdOf(event) ?? "";
      if (context.payment === null) return {};
      const status = event.type === "PROVIDER_DECLINED" ? "declined" : "failed";
      return settleCharge(context, event.at, chargeId, status, context.payment.status, {
        failure: failureOf(event),
      });
    }),
    fanOut: assign(({ context, event }) =>
      event.type === "WEBHOOK_FANNED_OUT"
        ? { outbox: fanOutDue(context.outbox, event.at, event.endpoints) }
        : {},
    ),
    recordDelivery: assign(({ context, event }) =>
      event.type === "WEBHOOK_ATTEMPTED"
        ? { outbox: recordIn(context.outbox, event.eventId, event.at, event.result) }
        : {},
    ),
    disableEndpoint: assign(({ context, event }) => {
      if (event.type !== "WEBHOOK_ENDPOINT_DISABLED") return {};
      return {
        outbox: context.outbox.map((e) => ({
          ...e,
          delivery: disableFor(e.delivery, event.endpointId, event.reason),
        })),
      };
    }),
    redeliver: assign(({ context, event }) => {
      if (event.type !== "WEBHOOK_REDELIVER") return {};
      return {
        outbox: context.outbox.map((e) =>
          e.id === event.eventId
            ? { ...e, delivery: redeliver(e.delivery, event.at, event.endpointId) }
            : e,
        ),
      };
    }),
  },
}).createMachine({
  id: "checkout",
  context: ({ input }) => {
    const parsed = CheckoutInput.parse(input);
    if (parsed.expiresAt <= parsed.createdAt)
      throw new RangeError("expiresAt must be after createdAt");
    return {
      ...parsed,
      updatedAt: parsed.createdAt,
      openedAt: null,
      payer: {},
      customFieldValues: {},
      route: null,
      risk: null,
      paymentAttempts: 0,
      payment: null,
      providerCall: null,
      providerCalls: 0,
      outbox: [],
      closedAt: null,
      closedReason: null,
    };
  },
  initial: "open",
  // Handled in every state that does not handle them itself, closed states included: webhook
  // delivery goes on after a session closes, and a provider's late answer is never dropped.
  on: {
    PROVIDER_SUCCEEDED: { guard: "isUnsettledCharge", actions: ["keepLateSuccess", "touch"] },
    PROVIDER_AUTHORIZED: { guard: "isUnsettledCharge", actions: ["keepLateSuccess", "touch"] },
    PROVIDER_DECLINED: { guard: "isCallInFlight", actions: ["settleLateFailure", "touch"] },
    PROVIDER_FAILED: { guard: "isCallInFlight", actions: ["settleLateFailure", "touch"] },
    PROVIDER_TIMEOUT: [
      { guard: "canAskForStatus", actions: ["askForStatus", "touch"] },
      { guard: "isWatchdogDue", actions: ["abandonCall", "touch"] },
    ],
    // Refunds, in any state whose payment has taken money (completed, or paid after close).
    REFUND: { guard: "canRefund", actions: ["startRefund", "touch"] },
    REFUND_SUCCEEDED: { guard: "isPendingRefund", actions: ["settleRefund", "touch"] },
    REFUND_FAILED: { guard: "isPendingRefund", actions: ["settleRefund", "touch"] },
    WEBHOOK_FANNED_OUT: { guard: "hasDueFanOuts", actions: ["fanOut", "touch"] },
    WEBHOOK_ATTEMPTED: { guard: "isEndpointsHead", actions: ["recordDelivery", "touch"] },
    WEBHOOK_ENDPOINT_DISABLED: { guard: "awaitsEndpoint", actions: ["disableEndpoint", "touch"] },
    WEBHOOK_REDELIVER: { guard: "isKnownEvent", actions: ["redeliver", "touch"] },
  },
  states: {
    /** PENDING: waiting for the payer. */
    open: {
      on: {
        PAYER_OPENED: [expireFirst(), { actions: ["markOpened", "touch"] }],
        PAYER_DETAILS_UPDATED: [expireFirst(), { actions: ["updatePayer", "touch"] }],
        CONFIRM: [
          expireFirst(),
          {
            guard: "isAmountAccepted",
            target: "processing",
            actions: ["updatePayer", "startPayment", "touch", "blockByRisk"],
          },
        ],
        PROVIDER_SUCCEEDED: [expireFirst(), succeeded()],
        PROVIDER_AUTHORIZED: [expireFirst(), ...authorized()],
        CANCEL: [expireFirst(), { target: "cancelled", actions: ["cancel", "touch"] }],
        PAYER_EXITED: [expireFirst(), { target: "cancelled", actions: ["cancel", "touch"] }],
        EXPIRE: expireFirst(),
      },
    },
    /** PROCESSING: a provider call is in flight; the watchdog deadline guards against silence. */
    processing: {
      on: {
        PROVIDER_SUCCEEDED: [expireFirst(), succeeded()],
        PROVIDER_AUTHORIZED: [expireFirst(), ...authorized()],
        PROVIDER_REQUIRES_ACTION: [
          expireFirst(),
          // One challenge per charge: a provider asking again is left to the watchdog.
          {
            guard: "isFirstAction",
            target: "requires_action",
            actions: ["requireAction", "touch"],
          },
        ],
        PROVIDER_PENDING: [
          expireFirst(),
          { guard: "isCallInFlight", actions: ["extendWatchdog", "touch"] },
        ],
        PROVIDER_DECLINED: [expireFirst(), ...chargeFailed()],
        PROVIDER_FAILED: [expireFirst(), ...chargeFailed()],
        // A silent provider may have taken the money: while the session is open it is asked for
        // the charge's status until it answers, never given up on (falling back or letting the
        // payer pay again could charge twice). Expiry ends the wait; a late success is kept.
        PROVIDER_TIMEOUT: [
          expireFirst(),
          { guard: "isWatchdogDue", actions: ["askForStatus", "touch"] },
        ],
        EXPIRE: expireFirst(),
      },
    },
    /** PROCESSING, payment REQUIRES_ACTION: the payer is in a 3DS challenge. */
    requires_action: {
      on: {
        ACTION_COMPLETED: [
          expireFirst(),
          { guard: "isCurrentCharge", target: "processing", actions: ["completeAction", "touch"] },
        ],
        ACTION_FAILED: [expireFirst(), ...chargeFailed()],
        PROVIDER_SUCCEEDED: [expireFirst(), succeeded()],
        PROVIDER_AUTHORIZED: [expireFirst(), ...authorized()],
        PROVIDER_DECLINED: [expireFirst(), ...chargeFailed()],
        CANCEL: [expireFirst(), { target: "cancelled", actions: ["cancel", "touch"] }],
        PAYER_EXITED: [expireFirst(), { target: "cancelled", actions: ["cancel", "touch"] }],
        EXPIRE: expireFirst(),
      },
    },
    /** COMPLETED: the payer has paid (or, with manual capture, the money is held). */
    completed: {
      tags: ["closed"],
      initial: "paid",
      states: {
        authorized: {
          on: {
            CAPTURE: { guard: "isNoCallInFlight", actions: ["capture", "touch"] },
            PROVIDER_SUCCEEDED: {
              guard: "isCallInFlight",
              target: "paid",
              actions: ["captured", "touch"],
            },
            PROVIDER_DECLINED: { guard: "isCallInFlight", actions: ["captureFailed", "touch"] },
            PROVIDER_FAILED: { guard: "isCallInFlight", actions: ["captureFailed", "touch"] },
          },
        },
        paid: {},
      },
    },
    // Closed states take no lifecycle event: nothing moves a session out of them. They are not
    // XState `final` states because the actor must stay alive after close, to deliver webhooks
    // and to keep a provider's late answer.
    expired: { tags: ["closed"] },
    cancelled: { tags: ["closed"] },
    failed: { tags: ["closed"] },
  },
});

type ActionName =
  | "expire"
  | "touch"
  | "replay"
  | "succeed"
  | "authorize"
  | "capture"
  | "fallBack"
  | "reopen"
  | "fail";

/**
 * Listed first on every live state's events: an event that arrives after `expiresAt` expires the
 * session first, then is replayed against the closed session (where a late success is still kept).
 */
function expireFirst() {
  const actions: ActionName[] = ["expire", "touch", "replay"];
  return { guard: "isPastExpiry" as const, target: "#checkout.expired", actions };
}

/** A provider's success for any charge of this payment that has not yet taken money. */
function succeeded() {
  const actions: ActionName[] = ["succeed", "touch"];
  return { guard: "isUnsettledCharge" as const, target: "#checkout.completed.paid", actions };
}

/** An authorization holds the money; with automatic capture it is captured at once. */
function authorized() {
  const manual: ActionName[] = ["authorize", "touch"];
  const automatic: ActionName[] = ["authorize", "capture", "touch"];
  const target = "#checkout.completed.authorized";
  return [
    { guard: "isManualCaptureSuccess" as const, target, actions: manual },
    { guard: "isUnsettledCharge" as const, target, actions: automatic },
  ];
}

/** A charge that took no money: fall back to the next provider, let the payer retry, or fail. */
function chargeFailed() {
  const fallBack: ActionName[] = ["fallBack", "touch"];
  const reopen: ActionName[] = ["reopen", "touch"];
  const fail: ActionName[] = ["fail", "touch"];
  return [
    {
      guard: "canFallBack" as const,
      target: "#checkout.processing",
      reenter: true,
      actions: fallBack,
    },
    { guard: "canRetry" as const, target: "#checkout.open", actions: reopen },
    { guard: "isCurrentOutcome" as const, target: "#checkout.failed", actions: fail },
  ];
}
