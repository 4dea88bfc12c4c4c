/**
 * A sample webhook event of any type, for the sandbox's trigger helper: the checkout machine is
 * run in memory over a session that is never stored, along the shortest way that emits the
 * type, and the event is rendered exactly as a real one is (`webhookBody`). Its ids are the
 * sample's own (`cs_sample_…`), so a handler that looks them up finds nothing.
 */
import {
  type CheckoutEvent,
  type CheckoutSnapshot,
  checkoutSessionMachine,
  type OutboxEvent,
  pureSteps,
  type WebhookEventType,
} from "../../machines/index.js";
import { newSession, type SessionMerchant } from "../core/spec.js";
import { checkoutDialect } from "../dialects/checkout.js";
import { webhookBody } from "./send.js";

const checkout = pureSteps(checkoutSessionMachine);

const VISA = { type: "card", brand: "visa", last4: "4242" } as const;

/** One step of a way through the machine: the next event, given the session so far. */
type Step = (s: CheckoutSnapshot, at: number) => CheckoutEvent;

const charge = (s: CheckoutSnapshot) => ({ chargeId: s.context.providerCall?.chargeId ?? "" });
const confirm: Step = (_, at) => ({ type: "CONFIRM", at, paymentMethod: VISA });
const succeed: Step = (s, at) => ({ type: "PROVIDER_SUCCEEDED", at, ...charge(s) });
const authorize: Step = (s, at) => ({ type: "PROVIDER_AUTHORIZED", at, ...charge(s) });
const challenge: Step = (s, at) => ({
  type: "PROVIDER_REQUIRES_ACTION",
  at,
  ...charge(s),
  url: "https://acs.example/challenge",
});
const decline: Step = (s, at) => ({
  type: "PROVIDER_DECLINED",
  at,
  ...charge(s),
  code: "card_declined",
  message: "The card was declined.",
});
const refund: Step = (_, at) => ({
  type: "REFUND",
  at,
  refundId: "re_sample",
  amount: 1050,
  reason: "requested_by_customer",
});
const refunded: Step = (_, at) => ({ type: "REFUND_SUCCEEDED", at, refundId: "re_sample" });
const refundFailed: Step = (_, at) => ({
  type: "REFUND_FAILED",
  at,
  refundId: "re_sample",
  code: "refund_not_supported",
  message: "The provider does not refund this payment method.",
});
const expire: Step = (s) => ({ type: "EXPIRE", at: s.context.expiresAt });
const cancel: Step = (_, at) => ({ type: "CANCEL", at });

/** The ways through the machine that, between them, emit every event type. */
const WAYS: Array<{ manual?: boolean; oneAttempt?: boolean; steps: Step[] }> = [
  { steps: [confirm, succeed] },
  { steps: [confirm, succeed, refund, refunded] },
  { steps: [confirm, succeed, refund, refundFailed] },
  { manual: true, steps: [confirm, authorize] },
  { steps: [confirm, challenge] },
  { oneAttempt: true, steps: [confirm, decline] },
  { steps: [expire] },
  { steps: [cancel] },
];

function run(way: (typeof WAYS)[number], merchant: SessionMerchant, origin: string, now: number) {
  const id = `cs_sample_${crypto.randomUUID().replaceAll("-", "")}`;
  const { input, details } = newSession(
    {
      merchant: { ...merchant, providers: merchant.providers.slice(0, 1) },
      spec: {
        amount: 1050,
        currency: "EUR",
        merchantUrl: null,
        expiresIn: 3600,
        returnUrl: `${origin}/demo/return`,
        cancelUrl: null,
        metadata: { order_id: "order_sample" },
        captureMethod: way.manual ? "manual" : "automatic",
        secureMode: false,
        customer: null,
        lineItems: null,
        customFields: [],
        failureUrl: null,
        supportUrl: null,
      },
      fingerprint: "",
      origin,
      requestId: "",
    },
    { id, paymentId: id.replace(/^cs_/, "pay_"), now, providerTimeoutMs: 30_000 },
  );
  let s = checkout.initial({ ...input, ...(way.oneAttempt && { maxPaymentAttempts: 1 }) });
  for (const step of way.steps) s = checkout.next(s, step(s, now));
  return { snapshot: s, details };
}

/** A sample event of `type`, with the body a real one of that type would have. */
export function sampleEvent(
  type: WebhookEventType,
  merchant: SessionMerchant,
  origin: string,
  now: number,
): { event: OutboxEvent; body: string } {
  for (const way of WAYS) {
    const { snapshot, details } = run(way, merchant, origin, now);
    const event = snapshot.context.outbox.find((e) => e.type === type);
    if (event !== undefined) {
      const body = webhookBody(
        event,
        snapshot,
        details,
        checkoutDialect,
        `req_sample_${crypto.randomUUID()}`,
      );
      return { event, body };
    }
  }
  throw new Error(`no way through the machine emits ${type}`);
}
