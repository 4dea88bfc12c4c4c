/**
 * What the checkout API answers about a session, as zod schemas written from the view functions
 * that produce it (src/core/views.ts: `sessionView`, `paymentView`, `nextAction`;
 * src/dialects/stablemint/views.ts: `stablemintSessionView`; src/session/journal-view.ts); the
 * payer's views are payer.responses.ts. These views have no schema of their own;
 * test/worker/openapi-answers.test.ts validates real answers against the spec generated from
 * these, so a view that changes without them fails there.
 */
import * as z from "zod";
import { ChargeStatus, PaymentStatus, SessionStatus } from "../../machines/index.js";
import { component, Timestamp } from "./registry.js";

const Nullable = z.string().nullable();
const CaptureMethod = z.enum(["automatic", "manual"]);

export const LastError = z
  .object({ code: z.string(), message: z.string() })
  .nullable()
  .describe("Why the last attempt failed (e.g. `card_declined`), or null.");

export const NextAction = component(
  "NextAction",
  z
    .object({ type: z.literal("redirect_user_to_url"), url: z.string() })
    .describe("3-D Secure: send the payer to `url` (the issuer's challenge); null otherwise."),
);

const RiskAssessment = component(
  "RiskAssessment",
  z
    .object({
      decision: z
        .enum(["allow", "require_3ds", "block"])
        .describe(
          "`block`: declined `risk_blocked`, nothing sent; `require_3ds`: 3-D Secure asked.",
        ),
      score: z.number().int().describe("0-100: the reasons' scores added up."),
      reasons: z
        .array(
          z.object({
            rule: z
              .string()
              .describe(
                "`card_velocity`, `email_velocity`, `ip_velocity`, `billing_country_mismatch`, `ip_country_mismatch`, `amount_over_threshold` or `session_declines`.",
              ),
            score: z.number().int(),
            reason: z.string(),
          }),
        )
        .describe("Each rule that spoke, with its score and why."),
    })
    .describe('The risk checks before a charge (README "Risk checks").'),
);

export const Charge = component(
  "Charge",
  z
    .object({
      id: z.string().describe("`ch_…`"),
      object: z.literal("charge"),
      provider: z.string().describe("The provider that made this attempt, e.g. `sandbox`."),
      status: ChargeStatus,
      payment_method: z.discriminatedUnion("type", [
        z.object({
          type: z.literal("card"),
          card: z.object({
            brand: z
              .string()
              .describe(
                "`visa`, `mastercard`, `amex`, `discover`, `jcb`, `troy` or `unknown` (static/card.js).",
              ),
            last4: z.string(),
          }),
        }),
        z.object({ type: z.literal("bank_transfer"), bank_id: z.string() }),
      ]),
      failure_code: Nullable,
      failure_message: Nullable,
      next_action_url: Nullable.describe("The 3-D Secure challenge this charge waits on."),
      late: z.boolean().describe("The provider answered success after the session moved on."),
      routing_rule: Nullable.describe(
        "The merchant's routing rule that chose this provider; null: the default order.",
      ),
      risk: RiskAssessment.nullable().describe(
        "What the merchant's risk rules made of the confirm; null: none was made.",
      ),
      created_at: Timestamp,
    })
    .describe("One attempt at one provider: a payment's charges show routing and fallback."),
);

export const Refund = component(
  "Refund",
  z
    .object({
      id: z.string().describe("`re_…`: from your `Idempotency-Key` when you sent one."),
      object: z.literal("refund"),
      payment_id: z.string(),
      charge_id: z.string().describe("The charge the money goes back from."),
      amount: z.number().int().describe("Minor units."),
      status: z
        .enum(["pending", "succeeded", "failed"])
        .describe("`pending` while the provider has not said (the watchdog asks again)."),
      reason: z.enum(["requested_by_customer", "duplicate", "fraudulent"]).nullable(),
      failure_code: Nullable.describe(
        "Why the provider did not refund, e.g. `refund_not_supported`.",
      ),
      failure_message: Nullable,
      created_at: Timestamp,
      updated_at: Timestamp,
    })
    .describe("Money given back through the charge's provider."),
);

export const RefundAnswer = component("RefundAnswer", z.object({ refund: Refund }));

export const RefundList = component(
  "RefundList",
  z.object({ object: z.literal("list"), data: z.array(Refund) }),
);

export const Payment = component(
  "Payment",
  z.object({
    id: z.string().describe("`pay_…`"),
    object: z.literal("payment"),
    checkout_session_id: z.string(),
    status: PaymentStatus,
    amount: z.number().int().describe("Minor units."),
    currency: z.string(),
    capture_method: CaptureMethod,
    last_error: LastError,
    paid_after_close: z
      .boolean()
      .describe("Money arrived after the session expired, was cancelled or failed: refund it."),
    amount_refunded: z.number().int().describe("What succeeded refunds gave back, minor units."),
    charges: z.array(Charge),
    refunds: z.array(Refund).describe("Oldest first."),
    created_at: Timestamp,
    updated_at: Timestamp,
  }),
);

export const LineItems = z
  .array(z.object({ name: z.string(), quantity: z.number(), unit_amount: z.number() }))
  .nullable();

export const CustomFields = z.array(
  z.object({
    key: z.string(),
    label: z.string(),
    type: z.enum(["text", "number"]),
    optional: z.boolean(),
  }),
);

/** `stablemintSessionView`: what a StableMint session adds to the merchant's view. */
const StablemintPart = z
  .object({
    flow: z.enum(["hosted", "embedded"]),
    user_id: z.string(),
    user_email: z.string(),
    user_country_code: z.string(),
    website_reference: Nullable,
    custom_fields: z.record(z.string(), z.unknown()).nullable(),
    success_url: Nullable,
    support_url: Nullable,
    exit_url: Nullable,
    error_url: Nullable,
  })
  .nullable()
  .describe("Sessions created through the StableMint dialect; null for the checkout API's.");

export const CheckoutSession = component(
  "CheckoutSession",
  z
    .object({
      id: z.string().describe("`cs_…`"),
      object: z.literal("checkout_session"),
      status: SessionStatus,
      amount: z
        .number()
        .int()
        .nullable()
        .describe("Minor units; null until the payer chooses it (StableMint embedded, no amount)."),
      currency: z.string().describe("ISO 4217, upper case."),
      url: Nullable.describe(
        "Where the payer goes with `?token=<token>`: our hosted page or the merchant's own; null once closed.",
      ),
      token: Nullable.describe("The payer's token while the session is open; null once closed."),
      return_url: Nullable,
      cancel_url: Nullable,
      metadata: z.record(z.string(), z.string()),
      customer: z
        .object({
          email: z.string().optional(),
          name: z.string().optional(),
          phone: z.string().optional(),
        })
        .nullable(),
      line_items: LineItems,
      capture_method: CaptureMethod,
      secure_mode: z.boolean(),
      custom_fields: CustomFields,
      custom_field_values: z.record(z.string(), z.string()),
      stablemint: StablemintPart,
      payment: Payment.nullable(),
      closed_reason: Nullable.describe(
        "`completed`, `payment_failed`, `payer_exited`, `merchant_cancelled` or `expired`; null while open.",
      ),
      created_at: Timestamp,
      updated_at: Timestamp,
      expires_at: Timestamp,
    })
    .describe("The merchant's view of a session (`sessionView`)."),
);

export const JournalEntry = component(
  "JournalEntry",
  z.object({
    object: z.literal("journal_entry"),
    seq: z.number().int(),
    type: z.string().describe("The machine event, e.g. `CONFIRM`, `PROVIDER_SUCCEEDED`."),
    at: Timestamp,
    cause: z.enum(["merchant", "payer", "provider", "alarm"]),
    request_id: Nullable,
    state: z.string().describe("The machine state it led to, e.g. `processing`."),
    event: z.record(z.string(), z.unknown()).describe("The event's other fields."),
  }),
);

export const SessionAnswer = component(
  "CheckoutSessionAnswer",
  z.object({ checkout_session: CheckoutSession }),
);
export const PaymentAnswer = component("PaymentAnswer", z.object({ payment: Payment }));

export const CheckoutSessionList = component(
  "CheckoutSessionList",
  z.object({
    object: z.literal("list"),
    data: z.array(CheckoutSession),
    next_cursor: Nullable.describe("Pass as `cursor` for the next page; null on the last."),
  }),
);

export const JournalList = component(
  "JournalList",
  z.object({ object: z.literal("list"), data: z.array(JournalEntry) }),
);

export const TestClockAnswer = component(
  "TestClockAnswer",
  z.object({
    checkout_session: CheckoutSession,
    test_clock: z.object({
      now: Timestamp.describe("The session's clock now."),
      ahead_ms: z.number().describe("How far it runs ahead of real time."),
    }),
  }),
);
