/**
 * The shape of a checkout session's machine context, as zod schemas.
 *
 * Every type the machines use is inferred from these schemas, and the same schemas parse a stored
 * snapshot back (stored data is untrusted input), so the two can never drift apart.
 */
import * as z from "zod";

/** Times are milliseconds since the Unix epoch, always carried in by events (machines read no clock). */
const Millis = z.number().int().nonnegative();

export const SessionStatus = z.enum([
  "PENDING",
  "PROCESSING",
  "COMPLETED",
  "EXPIRED",
  "CANCELLED",
  "FAILED",
]);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const PaymentStatus = z.enum([
  "CREATED",
  "REQUIRES_PAYMENT_METHOD",
  "REQUIRES_ACTION",
  "AUTHORIZED",
  "SUCCEEDED",
  "FAILED",
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const ChargeStatus = z.enum([
  "pending",
  "requires_action",
  "authorized",
  "succeeded",
  "declined",
  "failed",
]);
export type ChargeStatus = z.infer<typeof ChargeStatus>;

/** What we keep of a payment method: never a card number or CVC, only what a receipt shows. */
export const PaymentMethodSummary = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("card"),
    brand: z.string().min(1),
    last4: z.string().regex(/^\d{4}$/),
  }),
  z.object({ type: z.literal("bank_transfer"), bankId: z.string().min(1) }),
]);
export type PaymentMethodSummary = z.infer<typeof PaymentMethodSummary>;

export const Address = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  postalCode: z.string(),
  state: z.string().optional(),
  country: z.string(),
});

export const Payer = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  billingAddress: Address.optional(),
  shippingAddress: Address.optional(),
  shippingSameAsBilling: z.boolean().optional(),
});
export type Payer = z.infer<typeof Payer>;

export const ProblemDetail = z.object({ code: z.string(), message: z.string() });
export type ProblemDetail = z.infer<typeof ProblemDetail>;

/**
 * What the merchant's risk rules made of a confirm, before any charge: each rule that spoke, with
 * its score and why, and the decision the total reached (src/core/risk.ts decides it).
 */
export const RiskAssessment = z.object({
  /** `block`: no charge is sent; `require_3ds`: the provider is asked to authenticate the payer. */
  decision: z.enum(["allow", "require_3ds", "block"]),
  /** 0-100: the rules' scores added up, at most 100. */
  score: z.number().int().min(0).max(100),
  reasons: z.array(z.object({ rule: z.string(), score: z.number().int(), reason: z.string() })),
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

/** One attempt at one provider. A payment's charges show routing and fallback as they happened. */
export const Charge = z.object({
  id: z.string(),
  provider: z.string(),
  status: ChargeStatus,
  paymentMethod: PaymentMethodSummary,
  createdAt: Millis,
  updatedAt: Millis,
  failure: ProblemDetail.nullable(),
  nextActionUrl: z.string().nullable(),
  /** The provider reported success for this charge after the session had moved on without it. */
  late: z.boolean(),
  /** The routing rule that chose this charge's provider; null: the session's default order. */
  rule: z.string().nullable().default(null),
  /** The risk assessment of the confirm that made this charge; null: none was made. */
  risk: RiskAssessment.nullable().default(null),
});
export type Charge = z.infer<typeof Charge>;

/** A confirm's providers, chosen by a merchant's routing rule (in order, with fallback). */
export const Route = z.object({
  rule: z.string().min(1),
  providers: z.array(z.string().min(1)).min(1),
});
export type Route = z.infer<typeof Route>;

export const RefundStatus = z.enum(["pending", "succeeded", "failed"]);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const RefundReason = z.enum(["requested_by_customer", "duplicate", "fraudulent"]);
export type RefundReason = z.infer<typeof RefundReason>;

/**
 * Money given back from the payment's captured charge, through that charge's provider. `id` is
 * the idempotency key the provider sees. A pending refund counts against what may be refunded,
 * so refunds never exceed what was captured, whatever the provider answers late.
 */
export const Refund = z.object({
  id: z.string(),
  chargeId: z.string(),
  amount: z.number().int().positive(),
  reason: RefundReason.nullable(),
  status: RefundStatus,
  createdAt: Millis,
  updatedAt: Millis,
  failure: ProblemDetail.nullable(),
});
export type Refund = z.infer<typeof Refund>;

export const Payment = z.object({
  id: z.string(),
  status: PaymentStatus,
  amount: z.number().int().positive(),
  currency: z.string(),
  captureMethod: z.enum(["automatic", "manual"]),
  charges: z.array(Charge),
  createdAt: Millis,
  updatedAt: Millis,
  lastError: ProblemDetail.nullable(),
  /** Money arrived after the session expired, was cancelled or failed: kept, flagged for refund. */
  paidAfterClose: z.boolean(),
  /** Oldest first. Sessions stored before refunds existed have none. */
  refunds: z.array(Refund).default([]),
});
export type Payment = z.infer<typeof Payment>;

/**
 * A provider call the session object must make, recorded as data before it is made.
 * `id` is unique per call; `chargeId` is the idempotency key the provider sees.
 * `deadlineAt` is the watchdog: no answer by then and the session asks the provider for status.
 */
export const ProviderCall = z.object({
  id: z.string(),
  kind: z.enum(["authorize", "complete_action", "status", "capture", "refund"]),
  chargeId: z.string(),
  /** For a `refund` call: the refund, whose id is the provider's idempotency key. */
  refundId: z.string().optional(),
  provider: z.string(),
  requestedAt: Millis,
  deadlineAt: Millis,
  statusChecks: z.number().int().nonnegative(),
});
export type ProviderCall = z.infer<typeof ProviderCall>;

export const WebhookEventType = z.enum([
  "checkout_session.completed",
  "checkout_session.expired",
  "checkout_session.cancelled",
  "checkout_session.failed",
  "payment.requires_action",
  "payment.authorized",
  "payment.succeeded",
  "payment.failed",
  "charge.declined",
  "charge.succeeded",
  "refund.succeeded",
  "refund.failed",
]);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** One POST of an event to one endpoint. */
export const DeliveryAttempt = z.object({
  at: Millis,
  /** The endpoint it went to (null in records written before endpoints were tracked). */
  endpointId: z.string().nullable().default(null),
  ok: z.boolean(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
  error: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

/**
 * One endpoint's delivery of one event, on its own schedule: a failing endpoint delays only
 * itself. `disabled`: the endpoint answered 410 Gone, or was disabled or deleted, so it is never
 * sent the event (a redelivery to it starts afresh).
 */
export const EndpointDelivery = z.object({
  endpointId: z.string(),
  status: z.enum(["pending", "delivered", "failed", "disabled"]),
  /** Failures since the schedule last (re)started; indexes the retry schedule. */
  failuresInRow: z.number().int().nonnegative(),
  /** Due at (pending only); an endpoint's older pending event of the session goes first. */
  nextAttemptAt: Millis.nullable(),
  /** Why a `failed` or `disabled` delivery stopped. */
  reason: z.string().nullable(),
});
export type EndpointDelivery = z.infer<typeof EndpointDelivery>;

/**
 * An event's delivery. It fans out when it first falls due, to the endpoints subscribed to its
 * type then (`endpoints` is null until that moment), and each endpoint goes its own way. The
 * event is `pending` while any endpoint is; then `failed` if any endpoint ran out of retries,
 * `delivered` if any acknowledged it, else `skipped` (no endpoint wanted it).
 */
const CurrentDelivery = z.object({
  status: z.enum(["pending", "delivered", "failed", "skipped"]),
  attempts: z.array(DeliveryAttempt),
  endpoints: z.array(EndpointDelivery).nullable(),
  /** The earliest time any endpoint's attempt is scheduled (the fan-out time until then). */
  nextAttemptAt: Millis.nullable(),
});

/** Before per-endpoint schedules, one schedule served every endpoint of an event. */
const LegacyDelivery = z
  .object({
    status: z.enum(["pending", "delivered", "failed", "skipped"]),
    attempts: z.array(DeliveryAttempt),
    settledFor: z.array(z.string()).default([]),
    failuresInRow: z.number().int().nonnegative(),
    nextAttemptAt: Millis.nullable(),
  })
  .transform((old): z.infer<typeof CurrentDelivery> => {
    const ids = [
      ...new Set(old.attempts.flatMap((a) => (a.endpointId === null ? [] : [a.endpointId]))),
    ];
    const pending = old.status === "pending";
    if (pending && ids.length === 0) {
      return {
        status: "pending",
        attempts: old.attempts,
        endpoints: null,
        nextAttemptAt: old.nextAttemptAt,
      };
    }
    const endpoints = ids.map((endpointId): EndpointDelivery => {
      const settled = old.settledFor.includes(endpointId);
      const gone = old.attempts.some((a) => a.endpointId === endpointId && a.statusCode === 410);
      return {
        endpointId,
        status: settled ? (gone ? "disabled" : "delivered") : pending ? "pending" : "failed",
        failuresInRow: settled ? 0 : old.failuresInRow,
        nextAttemptAt: settled || !pending ? null : old.nextAttemptAt,
        reason: settled ? (gone ? "answered 410 Gone" : null) : pending ? null : "retries spent",
      };
    });
    return {
      status: old.status,
      attempts: old.attempts,
      endpoints,
      nextAttemptAt: old.nextAttemptAt,
    };
  });

export const Delivery = z.union([CurrentDelivery, LegacyDelivery]);
export type Delivery = z.infer<typeof Delivery>;

/** A webhook event in the session's transactional outbox: stable id, per-session sequence. */
export const OutboxEvent = z.object({
  id: z.string(),
  sequence: z.number().int().positive(),
  type: WebhookEventType,
  createdAt: Millis,
  /** The charge the event is about, for `charge.*` events. */
  chargeId: z.string().nullable(),
  /** The refund the event is about, for `refund.*` events. */
  refundId: z.string().nullable().default(null),
  delivery: Delivery,
});
export type OutboxEvent = z.infer<typeof OutboxEvent>;

export const CheckoutInput = z.object({
  id: z.string().min(1),
  paymentId: z.string().min(1),
  merchantId: z.string().min(1),
  /**
   * Minor units (ISO 4217 exponent), e.g. 1050 = 10.50 EUR. `null`: the payer chooses it, and
   * the first accepted `CONFIRM` fixes it for good (a session's amount, once set, never changes).
   */
  amount: z.number().int().positive().nullable(),
  /** ISO 4217 code, upper case. */
  currency: z.string().regex(/^[A-Z]{3}$/),
  createdAt: Millis,
  expiresAt: Millis,
  returnUrl: z.string().nullable().default(null),
  cancelUrl: z.string().nullable().default(null),
  metadata: z.record(z.string(), z.string()).default({}),
  captureMethod: z.enum(["automatic", "manual"]).default("automatic"),
  /** Ask the provider to authenticate the payer (3DS) whatever its own risk rules say. */
  secureMode: z.boolean().default(false),
  /** Providers in routing order; a retryable failure at one falls back to the next. */
  providers: z.array(z.string().min(1)).min(1).default(["sandbox"]),
  /** Confirms the payer may make before a decline fails the session. */
  maxPaymentAttempts: z.number().int().min(1).max(10).default(3),
  /** How long a provider may stay silent before the watchdog asks for status. */
  providerTimeoutMs: z.number().int().positive().default(30_000),
});
export type CheckoutInput = z.input<typeof CheckoutInput>;

export const CheckoutContext = CheckoutInput.extend({
  updatedAt: Millis,
  openedAt: Millis.nullable(),
  payer: Payer,
  /** The payer's answers to the merchant's custom fields, from the accepted confirm. */
  customFieldValues: z.record(z.string(), z.string()).default({}),
  /** The latest accepted confirm's route; null: `providers`, the default order. */
  route: Route.nullable().default(null),
  /** The latest accepted confirm's risk assessment; null: none was made. */
  risk: RiskAssessment.nullable().default(null),
  paymentAttempts: z.number().int().nonnegative(),
  payment: Payment.nullable(),
  providerCall: ProviderCall.nullable(),
  /** Counts provider calls ever recorded, so each gets a unique id. */
  providerCalls: z.number().int().nonnegative(),
  outbox: z.array(OutboxEvent),
  closedAt: Millis.nullable(),
  closedReason: z.string().nullable(),
});
export type CheckoutContext = z.infer<typeof CheckoutContext>;
