/**
 * The payer's confirm, as every dialect takes it (the token API is the same for all): the
 * payment method with its card, the payer's details and addresses. A card is checked here
 * (digits, its brand's lengths, Luhn, its brand's security code length) by static/card.js, the
 * module the payer's page checks it with, and then only travels in memory, to the provider.
 */
import * as z from "zod";
import {
  brandName,
  cardBrand,
  cardNumberProblem,
  cvcLengths,
  digitsOf,
  numberLengths,
} from "../../static/card.js";
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

/** `[13, 16, 19]` as "13, 16 or 19". */
const spelled = (lengths: readonly number[]) =>
  lengths.length === 1
    ? String(lengths[0])
    : `${lengths.slice(0, -1).join(", ")} or ${lengths.at(-1)}`;

/** Why a card number (its digits) is refused, in the words the payer's page shows in English. */
function numberMessage(digits: string): string | null {
  switch (cardNumberProblem(digits)) {
    case null:
      return null;
    case "digits":
      return "Not a valid card number: 12 to 19 digits.";
    case "length": {
      const brand = cardBrand(digits);
      return `Not a valid card number: ${brandName(brand)} card numbers have ${spelled(numberLengths(brand))} digits.`;
    }
    case "checksum":
      return "Not a valid card number: its check digit is wrong (Luhn).";
  }
}

export const Card = z
  .object({
    number: z
      .string()
      .transform(digitsOf)
      .superRefine((digits, ctx) => {
        const message = numberMessage(digits);
        if (message !== null) ctx.addIssue({ code: "custom", message });
      }),
    exp_month: z.number().int().min(1).max(12),
    exp_year: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, "3 or 4 digits."),
  })
  // An object's checks run only once every field passed: the number here is a valid one.
  .superRefine((card, ctx) => {
    const brand = cardBrand(card.number);
    const lengths = cvcLengths(brand);
    if (!lengths.includes(card.cvc.length)) {
      ctx.addIssue({
        code: "custom",
        path: ["cvc"],
        message: `${brandName(brand)} security codes have ${spelled(lengths)} digits.`,
      });
    }
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
