/**
 * The sandbox PSP's HTTP API, as a provider publishes its wire format: JSON in and out, the
 * account named by its API key (`Authorization: Bearer psk_test_…`), every POST carrying an
 * `Idempotency-Key`, charges addressed by the merchant's own `reference` (ours: the charge id).
 *
 * | request                               | answer                                                   |
 * |---------------------------------------|----------------------------------------------------------|
 * | POST /v1/charges                      | 200 Charge; 402 card_error (a decline, with the charge); |
 * |                                       | 400 invalid_request_error / idempotency_error; 401;      |
 * |                                       | 429 rate_limit_error + Retry-After; 503 api_error        |
 * | GET  /v1/charges/:reference           | 200 Charge (the latest under that reference); 404        |
 * | POST /v1/charges/:reference/complete  | 200 Charge, after the payer's 3-D Secure challenge       |
 * | POST /v1/charges/:reference/capture   | 200 Charge; 409 not_capturable                           |
 * | POST /v1/charges/:reference/refunds   | 200 Refund; 400 amount_too_large / refund_not_supported; |
 * |                                       | 409 charge_not_refundable                                |
 * | GET  /acs/:reference                  | the issuer's challenge: what the payer is asked          |
 * | POST /acs/:reference                  | { decision: "approve" | "deny" }: the first one stands   |
 * | GET  /sandbox/charges?payment=pay_…   | every charge of a payment at every account (for tests)   |
 *
 * Replays follow the usual rules: the same key with the same parameters answers what the first
 * request answered (`Idempotent-Replayed: true`), with other parameters it is a 400
 * `idempotency_error`; an answer that never completed (a 5xx, a 429) is not remembered.
 */
import * as z from "zod";

/** The sandbox's two accounts, as two providers in a merchant's routing list, and their keys. */
export const SANDBOX_ACCOUNTS = ["sandbox", "sandbox_backup"] as const;
export type SandboxAccount = (typeof SANDBOX_ACCOUNTS)[number];

/** Test keys, published as every provider publishes its test keys: they move no money. */
export const accountKey = (account: SandboxAccount) => `psk_test_${account}`;

export const CreateCharge = z.object({
  reference: z.string().min(1).max(200),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  capture: z.enum(["automatic", "manual"]),
  /** `required`: challenge every card (the merchant's secure mode). */
  three_d_secure: z.enum(["automatic", "required"]),
  payment_method: z.discriminatedUnion("type", [
    z.object({
      type: z.literal("card"),
      card: z.object({
        number: z.string().regex(/^\d{12,19}$/),
        exp_month: z.number().int().min(1).max(12),
        exp_year: z.number().int(),
        cvc: z.string().regex(/^\d{3,4}$/),
      }),
    }),
    z.object({ type: z.literal("bank_transfer"), bank_id: z.string().min(1).max(100) }),
  ]),
  /** Where the payer goes after a challenge; the challenge page is served on its origin. */
  return_url: z.url(),
});
export type CreateCharge = z.infer<typeof CreateCharge>;

export const ChargeStatus = z.enum(["succeeded", "authorized", "requires_action", "declined"]);

export const Charge = z.object({
  id: z.string(),
  reference: z.string(),
  status: ChargeStatus,
  amount: z.number().int(),
  currency: z.string(),
  next_action: z.object({ type: z.literal("redirect"), url: z.string() }).nullable(),
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type Charge = z.infer<typeof Charge>;

export const ApiError = z.object({
  error: z.object({
    type: z.enum([
      "card_error",
      "invalid_request_error",
      "idempotency_error",
      "authentication_error",
      "rate_limit_error",
      "api_error",
    ]),
    code: z.string(),
    message: z.string(),
    charge: Charge.optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export const CreateRefund = z.object({
  amount: z.number().int().positive(),
  reason: z.string().max(100).nullable(),
});
export type CreateRefund = z.infer<typeof CreateRefund>;

export const RefundObject = z.object({
  id: z.string(),
  charge: z.string(),
  reference: z.string(),
  amount: z.number().int(),
  status: z.enum(["succeeded", "pending", "failed"]),
});
export type RefundObject = z.infer<typeof RefundObject>;

/** The issuer's challenge, as the challenge page shows it. */
export const Challenge = z.object({
  reference: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  decision: z.enum(["approved", "denied"]).nullable(),
});
export type Challenge = z.infer<typeof Challenge>;

export const Decision = z.object({ decision: z.enum(["approve", "deny"]) });

/** A charge as the sandbox's own books hold it: what tests read to see what the provider did. */
export const LedgerCharge = z.object({
  id: z.string(),
  reference: z.string(),
  account: z.enum(SANDBOX_ACCOUNTS),
  scenario: z.string(),
  status: ChargeStatus,
  amount: z.number().int(),
  currency: z.string(),
  capture_method: z.enum(["automatic", "manual"]),
  challenge: z.enum(["approved", "denied"]).nullable(),
  /** What refunds have given back of it. */
  refunded: z.number().int(),
  created_at: z.number(),
});
export type LedgerCharge = z.infer<typeof LedgerCharge>;
