/**
 * The server checks a confirm's card with the rules the payer's page checks it with
 * (static/card.js): a number that fails Luhn or has a length its brand does not issue, or a
 * security code of the wrong length for the brand, is a 422 `validation_failed` naming the field,
 * through the token API and the page's own route alike, and changes nothing. A valid card of any
 * brand pays, and the charge keeps the brand the page showed (and last4), never the number.
 */
import { describe, expect, it } from "vitest";
import { CARDS, call, card, createSession, merchant, PAYER } from "./api.js";

type Route = "token API" | "page";

/** A confirm through the token API or the page's route (the frame's `Authorization: Token`). */
function confirmWith(
  route: Route,
  session: { id: string; token: string },
  paymentMethod: unknown,
  extra: Record<string, unknown> = {},
) {
  const body = { payment_method: paymentMethod, payer: PAYER, ...extra };
  return route === "token API"
    ? call("POST", `/v1/checkout-sessions/token/${session.token}/confirm`, body)
    : call("POST", `/pay/${session.id}/confirm`, body, { authorization: `Token ${session.token}` });
}

const withCvc = (number: string, cvc: string) => ({
  type: "card",
  card: { number, exp_month: 12, exp_year: 2030, cvc },
});

/** What the merchant can see of the session: enough to tell that nothing changed. */
async function seenByMerchant(sessionId: string) {
  const got = await merchant("GET", `/v1/checkout-sessions/${sessionId}`);
  const journal = await merchant("GET", `/v1/checkout-sessions/${sessionId}/journal`);
  return {
    status: got.json.checkout_session.status,
    payment: got.json.checkout_session.payment,
    journal: journal.json.data.map((entry: { type: string }) => entry.type),
  };
}

const REFUSED: [string, unknown, string, string][] = [
  [
    "a number whose check digit is wrong",
    card("4242424242424241"),
    "payment_method.card.number",
    "Not a valid card number: its check digit is wrong (Luhn).",
  ],
  [
    "a Luhn-valid 16-digit number in American Express's range",
    withCvc("3411111111111110", "1234"),
    "payment_method.card.number",
    "Not a valid card number: American Express card numbers have 15 digits.",
  ],
  [
    "a Luhn-valid 15-digit Visa number",
    card("424242424242424"),
    "payment_method.card.number",
    "Not a valid card number: Visa card numbers have 13, 16 or 19 digits.",
  ],
  [
    "an American Express card with a 3-digit code",
    withCvc("378282246310005", "123"),
    "payment_method.card.cvc",
    "American Express security codes have 4 digits.",
  ],
  [
    "a Visa card with a 4-digit code",
    withCvc(CARDS.success, "1234"),
    "payment_method.card.cvc",
    "Visa security codes have 3 digits.",
  ],
  [
    "a Troy card with a 4-digit code",
    withCvc("9792030394440796", "1234"),
    "payment_method.card.cvc",
    "Troy security codes have 3 digits.",
  ],
];

describe.each<Route>(["token API", "page"])("a confirm through the %s", (route) => {
  it.each(REFUSED)(
    "refuses %s, naming the field, and changes nothing",
    async (_, method, field, message) => {
      const session = await createSession();
      const before = await seenByMerchant(session.id);
      const refused = await confirmWith(route, session, method);
      expect(refused.status).toBe(422);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(refused.json).toMatchObject({
        status: 422,
        code: "validation_failed",
        errors: [{ field, message }],
      });
      expect(refused.json.errors).toHaveLength(1);
      expect(await seenByMerchant(session.id)).toEqual(before);
      // The same session still takes a good card afterwards.
      const paid = await confirmWith(route, session, card(CARDS.success));
      expect(paid.json.checkout_session.status).toBe("COMPLETED");
    },
  );
});

describe("a valid card of each brand", () => {
  it.each([
    ["amex", "378282246310005", "1234", "EUR", "0005"],
    ["mastercard", "2223003122003222", "123", "EUR", "3222"],
    ["discover", "6011111111111117", "123", "USD", "1117"],
    ["jcb", "3566002020360505", "123", "EUR", "0505"],
    ["troy", "9792030394440796", "123", "TRY", "0796"],
    // A brand static/card.js does not name: held to 12–19 digits, Luhn and a 3 or 4 digit code.
    ["unknown", "6759649826438453", "1234", "EUR", "8453"],
  ])(
    "%s pays, and its charge keeps brand and last4 only",
    async (brand, number, cvc, currency, last4) => {
      const session = await createSession({ currency });
      const paid = await confirmWith("token API", session, withCvc(number, cvc));
      expect(paid.status).toBe(200);
      expect(paid.json.checkout_session.status).toBe("COMPLETED");
      expect(paid.json.confirmResult.payment.charges[0].payment_method).toEqual({
        type: "card",
        card: { brand, last4 },
      });
      const got = await merchant("GET", `/v1/checkout-sessions/${session.id}`);
      expect(JSON.stringify(got.json)).not.toContain(number);
    },
  );

  it("is read as typed: spaces and dashes between the digits", async () => {
    const session = await createSession();
    const paid = await confirmWith("token API", session, withCvc("3782 822463-10005", "1234"));
    expect(paid.json.confirmResult.payment.charges[0].payment_method.card).toEqual({
      brand: "amex",
      last4: "0005",
    });
  });
});
