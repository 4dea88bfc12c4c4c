/**
 * What the payer is answered (`publicView` in src/core/views.ts, the session object's `confirm`
 * and `exit`, and `checkoutState` in src/routes/pages.ts): enough to pay, nothing the merchant
 * keeps to itself. Checked against real answers by test/worker/openapi-answers.test.ts.
 */
import * as z from "zod";
import { PaymentStatus, SessionStatus } from "../../machines/index.js";
import { component, Timestamp } from "./registry.js";
import { CustomFields, LastError, LineItems, NextAction, Payment } from "./session.responses.js";

const Nullable = z.string().nullable();

const FieldRequirement = z.enum(["required", "optional", "hidden"]);

const Bank = z.object({
  id: z.string().describe("The `bank_id` to confirm with."),
  name: z.string(),
  country: z.string(),
  logo_url: z.string(),
  last_used_at: Nullable.describe("Set when this payer paid through the bank before."),
});

export const PublicCheckoutSession = component(
  "PublicCheckoutSession",
  z
    .object({
      id: z.string(),
      object: z.literal("checkout_session.public"),
      status: SessionStatus,
      amount: z.number().int().nullable().describe("Minor units; null until the payer chooses it."),
      amount_limits: z
        .object({ min: z.number(), max: z.number() })
        .nullable()
        .describe("What the payer may choose (minor units) while `amount` is null; else null."),
      currency: z.string(),
      merchant: z.object({ name: z.string(), logo_url: Nullable, brand_color: Nullable }),
      line_items: LineItems,
      custom_fields: CustomFields,
      payer_fields: z
        .object({
          name: FieldRequirement,
          email: FieldRequirement,
          phone: FieldRequirement,
          billing_address: FieldRequirement,
          shipping_address: FieldRequirement,
        })
        .describe("Which payer details to ask for; a `required` one must be in the confirm."),
      locale: z
        .string()
        .describe(
          "The pages' language: `auto` (the payer's browser's) or the session's, e.g. `tr-TR`.",
        ),
      test_mode: z
        .boolean()
        .describe("A sandbox merchant's session: no real money moves; the pages say so."),
      payer_country: Nullable.describe(
        "The payer's country (ISO 3166-1 alpha-2): StableMint `userCountryCode`, else the billing address of the accepted confirm.",
      ),
      return_url: Nullable,
      cancel_url: Nullable,
      error_url: Nullable,
      support_url: Nullable,
      payment_methods: z
        .array(
          z.discriminatedUnion("type", [
            z.object({ type: z.literal("card"), banks: z.null() }),
            z.object({ type: z.literal("bank_transfer"), banks: z.array(Bank) }),
          ]),
        )
        .nullable()
        .describe("The methods offered; null: any card and any bank id."),
      expires_at: Timestamp,
      payment: z
        .object({
          status: PaymentStatus,
          last_error: LastError,
          attempts_left: z.number().int(),
          payment_method: z
            .discriminatedUnion("type", [
              z.object({ type: z.literal("card"), brand: z.string(), last4: z.string() }),
              z.object({ type: z.literal("bank_transfer"), bank_id: z.string() }),
            ])
            .nullable(),
        })
        .nullable(),
      next_action: NextAction.nullable(),
    })
    .describe("What the payer may see (`publicView`): no metadata, customer or providers."),
);

export const PublicSessionAnswer = component(
  "PublicCheckoutSessionAnswer",
  z.object({ checkout_session: PublicCheckoutSession }),
);
export const ConfirmAnswer = component(
  "ConfirmAnswer",
  z.object({
    checkout_session: PublicCheckoutSession,
    confirmResult: z.object({
      payment: Payment.nullable(),
      paymentNextAction: NextAction.nullable(),
    }),
  }),
);

export const ExitAnswer = component(
  "ExitAnswer",
  z.object({
    checkout_session: PublicCheckoutSession,
    redirect_url: Nullable.describe("`cancel_url` (StableMint `exitUrl`), else `return_url`."),
  }),
);

/** What the payer pages' script reads after any step (`checkoutState` in src/routes/pages.ts). */
export const CheckoutState = component(
  "CheckoutState",
  z.object({
    checkout_session: PublicCheckoutSession,
    html: z.string().describe("The checkout's markup for this state."),
    notice: z.string().describe("The decline notice, or empty."),
    redirect_url: Nullable.describe("Where the hosted page goes next, or null."),
  }),
);

export const ConfirmState = component(
  "ConfirmState",
  CheckoutState.extend({ next_action: NextAction.nullable() }),
);
