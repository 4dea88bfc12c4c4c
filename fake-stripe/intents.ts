/**
 * What the fake Stripe does to a PaymentIntent, as pure functions of the intent and the request:
 * fake-stripe/books.ts loads, calls one of these, and stores what comes out, in one transaction.
 * Each answers what Stripe answers, and whether the answer is remembered under an
 * Idempotency-Key (once an endpoint began executing, as at Stripe; not for a request refused
 * before it).
 */
import {
  type Answer,
  type ConfirmIntent,
  type CreateIntent,
  type CreateRefund,
  errorAnswer,
  type PaymentError,
  type PaymentIntent,
  type Refund,
} from "./api.js";
import { AUTHENTICATION_FAILURE, type TestCard, testCard } from "./cards.js";

export interface Executed {
  answer: Answer;
  remember: boolean;
}

/** The card behind an intent's last confirmation, without its number: what 3-D Secure resumes. */
export type CardPlay = Pick<TestCard, "challenge" | "decline">;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** An id as Stripe writes them: a prefix and 24 base62 characters (`pi_3Mt…`). */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `${prefix}_${[...bytes].map((b) => BASE62[b % 62]).join("")}`;
}

export const ok = (object: unknown): Executed => ({
  answer: { status: 200, body: JSON.stringify(object) },
  remember: true,
});

/** A refusal before the endpoint acted: nothing to remember under the key. */
export const refused = (status: number, error: Parameters<typeof errorAnswer>[1]): Executed => ({
  answer: errorAnswer(status, error),
  remember: false,
});

export const noSuchIntent = (id: string, param = "intent") =>
  refused(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    param,
    message: `No such payment_intent: '${id}'`,
  });

/** Stripe's refusal of an action the intent's status does not allow; it carries the intent. */
function unexpectedState(intent: PaymentIntent, action: string, allowed: string): Executed {
  return {
    answer: errorAnswer(400, {
      type: "invalid_request_error",
      code: "payment_intent_unexpected_state",
      message: `This PaymentIntent could not be ${action} because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${action}: ${allowed}.`,
      payment_intent: intent,
    }),
    remember: true,
  };
}

export function createIntent(params: CreateIntent, now: number): PaymentIntent {
  const id = newId("pi");
  return {
    id,
    object: "payment_intent",
    amount: params.amount,
    amount_capturable: 0,
    amount_received: 0,
    capture_method: params.capture_method,
    client_secret: `${id}_secret_${newId("s").slice(2)}`,
    confirmation_method: "automatic",
    created: Math.floor(now / 1000),
    currency: params.currency,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: params.metadata ?? {},
    next_action: null,
    payment_method: null,
    payment_method_types: ["card"],
    status: "requires_payment_method",
  };
}

/** The issuer's answer once authentication (if any) is over: a charge made, or declined. */
export function settle(intent: PaymentIntent, decline: CardPlay["decline"]) {
  const charge = newId("ch");
  if (decline !== null) {
    const error: PaymentError = { type: "card_error", ...decline, charge };
    const failed: PaymentIntent = {
      ...intent,
      status: "requires_payment_method",
      last_payment_error: error,
      latest_charge: charge,
      next_action: null,
      payment_method: null,
    };
    const answer = errorAnswer(402, { ...error, payment_intent: failed });
    return { intent: failed, executed: { answer, remember: true } };
  }
  const manual = intent.capture_method === "manual";
  const made: PaymentIntent = {
    ...intent,
    status: manual ? "requires_capture" : "succeeded",
    amount_capturable: manual ? intent.amount : 0,
    amount_received: manual ? 0 : intent.amount,
    last_payment_error: null,
    latest_charge: charge,
    next_action: null,
  };
  return { intent: made, executed: ok(made) };
}

/** A confirmation with the card: a charge, a decline, or 3-D Secure first. */
export function confirmIntent(intent: PaymentIntent, params: ConfirmIntent, origin: string) {
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
    const executed = unexpectedState(
      intent,
      "confirmed",
      "requires_payment_method, requires_confirmation",
    );
    return { intent, card: null, executed };
  }
  const { challenge, decline } = testCard(params.payment_method_data.card.number);
  const card: CardPlay = { challenge, decline };
  const asked = params.payment_method_options?.card?.request_three_d_secure ?? "automatic";
  const withPaymentMethod = { ...intent, payment_method: newId("pm") };
  if (challenge === "none" && asked === "automatic") {
    return { ...settle(withPaymentMethod, decline), card };
  }
  if (params.return_url === undefined) {
    const executed = refused(400, {
      type: "invalid_request_error",
      code: "parameter_missing",
      param: "return_url",
      message: "This card needs 3-D Secure: confirm with a return_url to redirect the payer to.",
    });
    return { intent, card: null, executed };
  }
  const waiting: PaymentIntent = {
    ...withPaymentMethod,
    status: "requires_action",
    last_payment_error: null,
    next_action: {
      type: "redirect_to_url",
      redirect_to_url: {
        url: `${origin}/3ds/${intent.id}`,
        return_url: params.return_url,
      },
    },
  };
  return { intent: waiting, card, executed: ok(waiting) };
}

/** The payer's answer on the challenge page, or the issuer's own when the card fails it. */
export function authenticate(intent: PaymentIntent, card: CardPlay, decision: "approve" | "fail") {
  if (decision === "fail" || card.challenge === "fails") {
    return {
      ...intent,
      status: "requires_payment_method" as const,
      last_payment_error: AUTHENTICATION_FAILURE,
      next_action: null,
      payment_method: null,
    };
  }
  return settle(intent, card.decline).intent;
}

export function captureIntent(intent: PaymentIntent, amountToCapture: number | undefined) {
  if (intent.status !== "requires_capture") {
    return { intent, executed: unexpectedState(intent, "captured", "requires_capture") };
  }
  const amount = amountToCapture ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    const executed = refused(400, {
      type: "invalid_request_error",
      code: "amount_too_large",
      param: "amount_to_capture",
      message: `Only ${intent.amount_capturable} can be captured.`,
    });
    return { intent, executed };
  }
  const captured: PaymentIntent = {
    ...intent,
    status: "succeeded",
    amount_capturable: 0,
    amount_received: amount,
  };
  return { intent: captured, executed: ok(captured) };
}

/** Money back from a succeeded intent, at most what it took less what was refunded before. */
export function refundIntent(
  intent: PaymentIntent,
  refunded: number,
  params: CreateRefund,
  now: number,
): { refund: Refund | null; executed: Executed } {
  const refusal = (code: string, message: string, param?: string) => ({
    refund: null,
    executed: {
      answer: errorAnswer(400, {
        type: "invalid_request_error",
        code,
        message,
        ...(param && { param }),
      }),
      remember: true,
    },
  });
  const charge = intent.latest_charge;
  if (intent.status !== "succeeded" || charge === null) {
    return refusal(
      "charge_not_refundable",
      "This PaymentIntent has no successful charge to refund.",
    );
  }
  const left = intent.amount_received - refunded;
  if (left <= 0)
    return refusal("charge_already_refunded", `Charge ${charge} has already been refunded.`);
  const amount = params.amount ?? left;
  if (amount > left) {
    const message = `Refund amount (${amount}) is greater than unrefunded amount on charge (${left}).`;
    return refusal("amount_too_large", message, "amount");
  }
  const refund: Refund = {
    id: newId("re"),
    object: "refund",
    amount,
    charge,
    created: Math.floor(now / 1000),
    currency: intent.currency,
    metadata: params.metadata ?? {},
    payment_intent: intent.id,
    reason: params.reason ?? null,
    status: "succeeded",
  };
  return { refund, executed: ok(refund) };
}
