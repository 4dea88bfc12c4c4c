/** src/routes/payments.ts and src/routes/test-helpers.ts as OpenAPI. */
import { CreateRefund, ProviderAnswer, TestClockAdvance, TriggerEvent } from "../../schemas.js";
import type { Operation } from "../operation.js";
import { describeFields } from "../registry.js";
import { PaymentAnswer, RefundAnswer, RefundList, TestClockAnswer } from "../session.responses.js";
import { TriggeredAnswer } from "../webhooks.js";
import { SAMPLE } from "./samples.js";

describeFields(ProviderAnswer, {
  outcome: "What the provider answers for the charge.",
  charge_id: "The charge (`pay_…_ch<n>`); the latest when left out.",
});

describeFields(CreateRefund, {
  amount: "Minor units; all that is left to refund when left out.",
  reason: "Why, for your records and the provider's.",
});

const paymentId = {
  name: "id",
  description: "The payment id, `pay_…`.",
  example: SAMPLE.paymentId,
};

export const paymentOperations: Operation[] = [
  {
    id: "retrievePayment",
    method: "get",
    path: "/v1/payments/{id}",
    tag: "Payments",
    summary: "Retrieve a payment",
    description:
      "A session's payment with every charge: one per attempt at a provider, so routing and fallback are visible.",
    access: "secretKey",
    pathParams: [paymentId],
    replies: [{ status: 200, description: "The payment.", schema: PaymentAnswer }],
    errors: ["not_found"],
  },
  {
    id: "capturePayment",
    method: "post",
    path: "/v1/payments/{id}/capture",
    tag: "Payments",
    summary: "Capture an authorized payment",
    description:
      "Takes the money of an `AUTHORIZED` payment (`capture_method: manual`). A capture already on its way answers the payment as it stands.",
    access: "secretKey",
    pathParams: [paymentId],
    replies: [{ status: 200, description: "The payment.", schema: PaymentAnswer }],
    errors: ["not_found", "payment_not_capturable"],
  },
  {
    id: "createRefund",
    method: "post",
    path: "/v1/payments/{id}/refunds",
    tag: "Payments",
    summary: "Refund a payment",
    description:
      "Gives money back from a `SUCCEEDED` payment (one flagged `paid_after_close` too) through the provider of the charge that took it, all that is left or `amount`, never more than was captured. The answer waits for the provider: `succeeded`, `failed` (with its reason), or `pending` when it did not answer in time. Announced by `refund.succeeded` or `refund.failed`. Send an `Idempotency-Key`: a retry with it answers the same refund (200).",
    access: "secretKey",
    pathParams: [paymentId],
    headers: [
      {
        name: "Idempotency-Key",
        description: "1-255 visible ASCII characters: retries with it make one refund.",
        required: false,
        example: "refund-ord_123-1",
      },
    ],
    body: {
      schema: CreateRefund,
      id: "CreateRefundRequest",
      example: { amount: 500, reason: "requested_by_customer" },
      optional: true,
    },
    replies: [
      { status: 201, description: "The refund, as the provider left it.", schema: RefundAnswer },
      {
        status: 200,
        description: "The refund this Idempotency-Key made before.",
        schema: RefundAnswer,
      },
    ],
    errors: [
      "not_found",
      "payment_not_refundable",
      "payment_busy",
      "payment_refunded",
      "amount_too_large",
      "idempotency_key_reused",
      "invalid_idempotency_key",
    ],
  },
  {
    id: "listRefunds",
    method: "get",
    path: "/v1/payments/{id}/refunds",
    tag: "Payments",
    summary: "List a payment's refunds",
    description: "Every refund of the payment, oldest first.",
    access: "secretKey",
    pathParams: [paymentId],
    replies: [{ status: 200, description: "The refunds.", schema: RefundList }],
    errors: ["not_found"],
  },
  {
    id: "advanceTestClock",
    method: "post",
    path: "/v1/test_helpers/checkout-sessions/{id}/advance_clock",
    tag: "Test helpers",
    summary: "Move a session's clock forward",
    description:
      'The session\'s clock moves forward, by `{ "seconds": n }` or `{ "to": "expires_at" | "provider_deadline" | "next_deadline" }`, and whatever falls due by then happens at once (expiry, the provider watchdog, webhook attempts). The clock stays ahead for the rest of the session\'s life. Sandbox merchants only.',
    access: "secretKey",
    pathParams: [
      { name: "id", description: "The checkout session id, `cs_…`.", example: SAMPLE.sessionId },
    ],
    body: {
      schema: TestClockAdvance,
      id: "AdvanceTestClockRequest",
      example: { to: "expires_at" },
    },
    replies: [{ status: 200, description: "The session, and its clock.", schema: TestClockAnswer }],
    errors: ["sandbox_only", "not_found", "nothing_due"],
  },
  {
    id: "answerForProvider",
    method: "post",
    path: "/v1/test_helpers/payments/{id}/provider_answer",
    tag: "Test helpers",
    summary: "Answer for the provider",
    description:
      "The provider's answer for a charge arrives now, however late: after the watchdog gave up on it, or after the session closed (a success is then `paid_after_close`). Sandbox merchants only.",
    access: "secretKey",
    pathParams: [paymentId],
    body: {
      schema: ProviderAnswer,
      id: "ProviderAnswerRequest",
      example: { outcome: "succeeded" },
    },
    replies: [{ status: 200, description: "The payment.", schema: PaymentAnswer }],
    errors: ["sandbox_only", "not_found", "charge_settled"],
  },
  {
    id: "triggerWebhookEvent",
    method: "post",
    path: "/v1/test_helpers/webhook-endpoints/{id}/trigger",
    tag: "Test helpers",
    summary: "Send a sample event to an endpoint",
    description:
      "A sample event of `type`, with the body a real one of that type has, signed and sent now to this endpoint alone, and what it answered: to test a receiver. It is no session's event. Sandbox merchants only.",
    access: "secretKey",
    pathParams: [
      { name: "id", description: "The endpoint id, `we_…`.", example: SAMPLE.endpointId },
    ],
    body: {
      schema: TriggerEvent,
      id: "TriggerEventRequest",
      example: { type: "checkout_session.completed" },
    },
    replies: [
      { status: 200, description: "The event sent and the attempt.", schema: TriggeredAnswer },
    ],
    errors: ["sandbox_only", "not_found", "endpoint_disabled"],
  },
];
