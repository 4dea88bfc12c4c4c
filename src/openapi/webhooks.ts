/**
 * The webhook bodies merchants receive (`webhookBody` in src/webhooks/send.ts), one schema per
 * event type (machines/checkout-session.schema.ts `WebhookEventType`), for the OpenAPI 3.1
 * `webhooks` section. Every one is POSTed as JSON and signed per Standard Webhooks.
 */
import * as z from "zod";
import { WebhookEventType as EventTypes, type WebhookEventType } from "../../machines/index.js";
import { component } from "./registry.js";
import { CheckoutSession, Payment } from "./session.responses.js";

const WHAT: Record<WebhookEventType, string> = {
  "checkout_session.completed": "The session is paid: fulfil the order.",
  "checkout_session.expired": "The session expired unpaid.",
  "checkout_session.cancelled": "The merchant cancelled the session, or the payer left it.",
  "checkout_session.failed": "The last payment attempt was declined: the session has failed.",
  "payment.requires_action": "The payer must pass a 3-D Secure challenge.",
  "payment.authorized": "The payment is authorized (`capture_method: manual`): capture it.",
  "payment.succeeded": "The money is taken.",
  "payment.failed": "The payment failed for good.",
  "charge.declined": "One attempt was declined; the payer may try again.",
  "charge.succeeded": "One attempt succeeded.",
  "refund.succeeded": "A refund was made: the money is on its way back to the payer.",
  "refund.failed": "The provider did not make a refund; `refunds[]` says why.",
};

function bodyOf(type: WebhookEventType) {
  const charge = type.startsWith("charge.");
  const refund = type.startsWith("refund.");
  const object = type.startsWith("checkout_session.") ? CheckoutSession : Payment;
  return z
    .object({
      id: z
        .string()
        .describe("`evt_…`: the same in every attempt (`webhook-id`); deduplicate on it."),
      type: z.literal(type),
      created: z.number().int().describe("Unix seconds."),
      sequence: z
        .number()
        .int()
        .describe("1, 2, 3… per session; each endpoint gets them in order."),
      checkoutSessionId: z.string(),
      paymentId: z.string().nullable(),
      requestId: z
        .string()
        .nullable()
        .describe("The request that caused it (your `request-id`), or `alarm_…` for a deadline."),
      metadata: z.record(z.string(), z.string()).describe("The session's `metadata`."),
      reference: z.string().optional().describe("StableMint sessions: the session id."),
      websiteReference: z
        .string()
        .nullable()
        .optional()
        .describe("StableMint sessions: as sent at create."),
      customFields: z
        .record(z.string(), z.unknown())
        .nullable()
        .optional()
        .describe("StableMint sessions: as sent at create."),
      data: charge
        ? z.object({ object: object, charge_id: z.string().describe("The charge it is about.") })
        : refund
          ? z.object({ object: object, refund_id: z.string().describe("The refund it is about.") })
          : z.object({ object: object }),
    })
    .describe(WHAT[type]);
}

/** `checkout_session.completed` → `CheckoutSessionCompletedEvent`. */
const componentName = (type: string) =>
  `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("")}Event`;

export const WEBHOOK_EVENTS = EventTypes.options.map((type) => ({
  type,
  summary: WHAT[type],
  schema: component(componentName(type), bodyOf(type)),
}));

/** `POST /v1/test_helpers/webhook-endpoints/{id}/trigger`: the sample sent, and how it went. */
export const TriggeredAnswer = component(
  "TriggeredEvent",
  z.object({
    event: z.object({
      id: z.string(),
      type: EventTypes,
      body: z.union(WEBHOOK_EVENTS.map((event) => event.schema)).describe("The body sent."),
    }),
    attempt: z.object({
      endpoint_id: z.string(),
      status_code: z.number().int().nullable().describe("The receiver's status; null: no answer."),
      latency_ms: z.number().nullable(),
      error: z.string().nullable(),
    }),
  }),
);
