/**
 * The payer's confirm, as every dialect takes it (the token API is the same for all): the
 * payment method with its card, the payer's details and addresses. A card number is checked
 * here (digits and Luhn) and then only travels in memory, to the provider.
 */
import * as z from "zod";
import { isCountryCode } from "../countries.js";

export const Text = (max: number) => z.string().trim().min(1).max(max);

export const Address = z.object({
  line1: Text(200),
  line2: Text(200).optional(),
  city: Text(100),
  postal_code: Text(20),
  state: Text(100).optional(),
  country: z.string().refine(isCountryCode, "Must be an ISO 3166-1 alpha-2 country code, e.g. DE."),
});

export const MAX_AMOUNT = 99_999_999;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export const Card = z
  .object({
    number: z
      .string()
      .transform((n) => n.replace(/[\s-]/g, ""))
      .refine((n) => /^\d{12,19}$/.test(n) && luhn(n), { message: "Not a valid card number." }),
    exp_month: z.number().int().min(1).max(12),
    exp_year: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, "3 or 4 digits."),
  })
  .refine((card) => Date.UTC(card.exp_year, card.exp_month) > Date.now(), {
    message: "The card has expired.",
    path: ["exp_year"],
  });

export const PaymentMethod = z.discriminatedUnion("type", [
  z.object({ type: z.literal("card"), card: Card }),
  z.object({ type: z.literal("bank_transfer"), bank_id: Text(64) }),
]);

export const Payer = z.object({
  name: Text(200).optional(),
  email: z.email().optional(),
  phone: Text(40).optional(),
  billing_address: Address.optional(),
  shipping_address: Address.optional(),
  shipping_same_as_billing: z.boolean().optional(),
});

export const ConfirmCheckoutSession = z
  .object({
    payment_method: PaymentMethod,
    /**
     * Minor units: required when the session has no amount (the payer chooses it), and then
     * fixed for good; on a session with an amount it may only repeat it.
     */
    amount: z.number().int().positive().max(MAX_AMOUNT).optional(),
    payer: Payer.optional(),
    custom_fields: z.record(z.string(), z.string().max(500)).optional(),
  })
  .strict();
export type ConfirmCheckoutSession = z.infer<typeof ConfirmCheckoutSession>;
