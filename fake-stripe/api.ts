/**
 * The fake Stripe's wire format: the part of Stripe's v1 API that edge-checkout's Stripe adapter
 * (src/providers/stripe.ts) depends on, shaped as Stripe shapes it (docs.stripe.com/api), and
 * its control plane for tests. The fake stands for something outside our system; where we
 * depend on Stripe's behaviour, it behaves like Stripe.
 *
 * | request                                   | answer                                                |
 * |-------------------------------------------|-------------------------------------------------------|
 * | POST /v1/payment_intents                  | 200 PaymentIntent (requires_payment_method)           |
 * | GET  /v1/payment_intents/:id              | 200 PaymentIntent; 404 resource_missing               |
 * | GET  /v1/payment_intents/search?query=    | 200 search_result; only `metadata['key']:'value'`     |
 * | POST /v1/payment_intents/:id/confirm      | 200 PaymentIntent; 402 card_error (with the intent);  |
 * |                                           | 400 payment_intent_unexpected_state                   |
 * | POST /v1/payment_intents/:id/capture      | 200 PaymentIntent; 400 payment_intent_unexpected_state|
 * | POST /v1/refunds                          | 200 Refund; 400 charge_already_refunded,              |
 * |                                           | amount_too_large, charge_not_refundable               |
 * | GET  /v1/refunds?payment_intent=          | 200 list of the intent's refunds                      |
 * | GET / POST /3ds/:id                       | the issuer's challenge page; approve or fail, then a  |
 * |                                           | 303 to the confirm's return_url                       |
 * | POST /__faults, DELETE /__faults          | queue (or clear) wire faults, one per request         |
 * | GET  /__books?charge_id=                  | what was really done for one of our charges           |
 * | POST /__idempotency/expire                | forget keys, as Stripe does after 24 hours            |
 *
 * Every `/v1` request carries `Authorization: Bearer sk_test_…` (or `rk_test_…`); bodies are
 * form-encoded (fake-stripe/form.ts); a POST may carry an `Idempotency-Key`, scoped to the API
 * key: the same key and parameters replay the first answer (`Idempotent-Replayed: true`), other
 * parameters or another endpoint are a 400 `idempotency_error`. As at Stripe (API v1), an answer
 * is remembered once the endpoint began executing, an error included; a request refused before
 * (bad parameters, no such object, a 429 or 503) is not.
 */
import * as z from "zod";

/** A form value that must be a whole number (form values are strings). */
const integer = z
  .string()
  .regex(/^\d{1,12}$/, "must be an integer")
  .transform(Number);

/** Stripe's metadata: at most 50 keys of up to 40 characters, values of up to 500. */
const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((metadata) => Object.keys(metadata).length <= 50, "at most 50 keys");

export const CreateIntent = z.strictObject({
  amount: integer.pipe(z.number().min(1)),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/)
    .transform((currency) => currency.toLowerCase()),
  capture_method: z.enum(["automatic", "automatic_async", "manual"]).default("automatic_async"),
  metadata: Metadata.optional(),
  description: z.string().max(1000).optional(),
});
export type CreateIntent = z.infer<typeof CreateIntent>;

export const CardData = z.strictObject({
  number: z.string().regex(/^\d{12,19}$/),
  exp_month: integer.pipe(z.number().min(1).max(12)),
  exp_year: integer,
  cvc: z
    .string()
    .regex(/^\d{3,4}$/)
    .optional(),
});
export type CardData = z.infer<typeof CardData>;

export const ConfirmIntent = z.strictObject({
  payment_method_data: z.strictObject({ type: z.literal("card"), card: CardData }),
  return_url: z.url().optional(),
  payment_method_options: z
    .strictObject({
      card: z
        .strictObject({ request_three_d_secure: z.enum(["automatic", "any", "challenge"]) })
        .partial(),
    })
    .partial()
    .optional(),
});
export type ConfirmIntent = z.infer<typeof ConfirmIntent>;

export const CaptureIntent = z.strictObject({ amount_to_capture: integer.optional() });

export const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

export const CreateRefund = z.strictObject({
  payment_intent: z.string().min(1),
  amount: integer.pipe(z.number().min(1)).optional(),
  reason: z.enum(REFUND_REASONS).optional(),
  metadata: Metadata.optional(),
});
export type CreateRefund = z.infer<typeof CreateRefund>;

export const IntentStatus = z.enum([
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "requires_capture",
  "canceled",
  "succeeded",
]);

/** What the card's issuer or Stripe said about the last attempt, as the intent carries it. */
export const PaymentError = z.object({
  type: z.enum(["card_error", "invalid_request_error"]),
  code: z.string(),
  decline_code: z.string().optional(),
  message: z.string(),
  charge: z.string().optional(),
});
export type PaymentError = z.infer<typeof PaymentError>;

/** A PaymentIntent, with the fields Stripe sends that the adapter may read. */
export const PaymentIntent = z.object({
  id: z.string().startsWith("pi_"),
  object: z.literal("payment_intent"),
  amount: z.number().int(),
  amount_capturable: z.number().int(),
  amount_received: z.number().int(),
  capture_method: z.enum(["automatic", "automatic_async", "manual"]),
  client_secret: z.string(),
  confirmation_method: z.literal("automatic"),
  created: z.number().int(),
  currency: z.string(),
  last_payment_error: PaymentError.nullable(),
  latest_charge: z.string().nullable(),
  livemode: z.literal(false),
  metadata: z.record(z.string(), z.string()),
  next_action: z
    .object({
      type: z.literal("redirect_to_url"),
      redirect_to_url: z.object({ url: z.string(), return_url: z.string() }),
    })
    .nullable(),
  payment_method: z.string().nullable(),
  payment_method_types: z.array(z.string()),
  status: IntentStatus,
});
export type PaymentIntent = z.infer<typeof PaymentIntent>;

export const Refund = z.object({
  id: z.string().startsWith("re_"),
  object: z.literal("refund"),
  amount: z.number().int(),
  charge: z.string(),
  created: z.number().int(),
  currency: z.string(),
  metadata: z.record(z.string(), z.string()),
  payment_intent: z.string(),
  reason: z.enum(REFUND_REASONS).nullable(),
  status: z.enum(["pending", "requires_action", "succeeded", "failed", "canceled"]),
});
export type Refund = z.infer<typeof Refund>;

/** Stripe's error body: `{ error: { type, code?, decline_code?, message, param? } }`. */
export interface StripeErrorBody {
  type: "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  payment_intent?: PaymentIntent;
  charge?: string;
}

/** An answer as the API sends it, and what an Idempotency-Key replays. */
export interface Answer {
  status: number;
  body: string;
}

export const errorAnswer = (status: number, error: StripeErrorBody): Answer => ({
  status,
  body: JSON.stringify({ error }),
});

/** One misbehaviour of the wire, for the next request (on `path`, when given). */
export const Fault = z.strictObject({
  /** The request path it waits for; `*` stands for one segment (the intent's id in a confirm). */
  path: z.string().startsWith("/").optional(),
  status: z.number().int().min(400).max(599).optional(),
  /** Seconds, sent as `Retry-After`. */
  retry_after: z.number().int().min(0).optional(),
  /** Do the work (and remember it under the key), then answer `status` (500 by default): the
   * answer lost on its way back, after Stripe acted. */
  after_processing: z.boolean().optional(),
  /** Hold the answer this long (after the work, unless the fault refuses it first). */
  delay_ms: z.number().int().min(0).max(60_000).optional(),
});
export type Fault = z.infer<typeof Fault>;

export const Faults = z.strictObject({ faults: z.array(Fault).min(1).max(20) });

export const Expire = z.strictObject({ key_prefix: z.string().min(1) });

/** What the fake really did for one of our charges (PaymentIntents with `metadata[charge_id]`). */
export const Books = z.object({
  payment_intents: z.array(
    z.object({
      id: z.string(),
      status: IntentStatus,
      amount: z.number().int(),
      amount_received: z.number().int(),
      capture_method: z.string(),
    }),
  ),
  /** Confirmations the fake executed (replays not counted): how many times a card was tried. */
  confirmations: z.number().int(),
  captures: z.number().int(),
  refunds: z.array(
    z.object({
      id: z.string(),
      payment_intent: z.string(),
      amount: z.number().int(),
      reason: z.string().nullable(),
      metadata: z.record(z.string(), z.string()),
    }),
  ),
});
export type Books = z.infer<typeof Books>;
