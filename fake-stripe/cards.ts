/**
 * Stripe's test cards (docs.stripe.com/testing), as far as the fake plays them. The number is
 * read here, in memory, to pick what happens, and goes no further: the books keep the card's
 * brand and last four, as Stripe shows them, never the number.
 *
 * | card number        | the fake                                                                  |
 * |--------------------|---------------------------------------------------------------------------|
 * | 4242424242424242   | succeeds (requires_capture with manual capture)                           |
 * | 5555555555554444   | succeeds (a Mastercard)                                                   |
 * | 4000000000000002   | 402 card_declined, decline_code generic_decline                           |
 * | 4000000000009995   | 402 card_declined, decline_code insufficient_funds                        |
 * | 4000000000000069   | 402 expired_card                                                          |
 * | 4000000000000127   | 402 incorrect_cvc                                                         |
 * | 4000000000003220   | requires_action: 3-D Secure on /3ds/:id; approve → succeeds, fail → fails |
 * | 4000000000003063   | requires_action, and the issuer fails the authentication whatever the     |
 * |                    | payer does (at Stripe this card only requires 3DS: the fake's choice, so  |
 * |                    | a failing issuer can be tested without a payer)                           |
 * | any other number   | 402 card_declined, decline_code test_mode_live_card, as Stripe answers a  |
 * |                    | real card in test mode                                                    |
 *
 * `payment_method_options[card][request_three_d_secure]=any` (or `challenge`) asks for 3-D
 * Secure on every card; the card's own outcome comes after the challenge, as at Stripe.
 */
import type { PaymentError } from "./api.js";

export interface TestCard {
  brand: "visa" | "mastercard";
  /** Whether the card asks for 3-D Secure, and whether its issuer then fails it. */
  challenge: "none" | "required" | "fails";
  /** What the issuer answers once authentication, if any, is over. */
  decline: Omit<PaymentError, "type" | "charge"> | null;
}

const declined = (decline_code: string, message: string) => ({
  code: "card_declined",
  decline_code,
  message,
});

const CARDS: Record<string, TestCard> = {
  "4242424242424242": { brand: "visa", challenge: "none", decline: null },
  "5555555555554444": { brand: "mastercard", challenge: "none", decline: null },
  "4000000000000002": {
    brand: "visa",
    challenge: "none",
    decline: declined("generic_decline", "Your card was declined."),
  },
  "4000000000009995": {
    brand: "visa",
    challenge: "none",
    decline: declined("insufficient_funds", "Your card has insufficient funds."),
  },
  "4000000000000069": {
    brand: "visa",
    challenge: "none",
    decline: { code: "expired_card", message: "Your card has expired." },
  },
  "4000000000000127": {
    brand: "visa",
    challenge: "none",
    decline: { code: "incorrect_cvc", message: "Your card's security code is incorrect." },
  },
  "4000000000003220": { brand: "visa", challenge: "required", decline: null },
  "4000000000003063": { brand: "visa", challenge: "fails", decline: null },
};

const LIVE_CARD: TestCard = {
  brand: "visa",
  challenge: "none",
  decline: declined(
    "test_mode_live_card",
    "Your card was declined. Your request was in test mode, but used a non test card.",
  ),
};

export const testCard = (number: string): TestCard => CARDS[number] ?? LIVE_CARD;

/** The failure an intent records when 3-D Secure did not pass (Stripe's own code). */
export const AUTHENTICATION_FAILURE: PaymentError = {
  type: "invalid_request_error",
  code: "payment_intent_authentication_failure",
  message: "The PaymentMethod failed 3-D Secure authentication; provide another one to try again.",
};
