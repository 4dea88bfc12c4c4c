/**
 * The Stripe adapter (src/providers/stripe.ts) against the fake Stripe (fake-stripe/), a Worker
 * of its own behind the STRIPE_UPSTREAM service binding, speaking Stripe's wire format and
 * keeping its own books: Stripe's test cards, 3-D Secure, capture and refunds, and what the
 * wire does to a payment (an answer lost, a timeout, a 429, a 503, a refused key), with the
 * fake's books proving that no charge was made twice.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { Books, type Fault } from "../../fake-stripe/api.js";
import type { AuthorizeRequest, RefundRequest } from "../../src/providers/provider.js";
import { type StripeProviderOptions, stripeProvider } from "../../src/providers/stripe.js";
import { cardRequest } from "./charge-requests.js";

const STRIPE = "https://stripe.fake";
const KEY = "sk_test_edge_checkout_4x7Qz9";
const CONFIRM = "/v1/payment_intents/*/confirm";

const CARDS = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  expired: "4000000000000069",
  incorrectCvc: "4000000000000127",
  challenge: "4000000000003220",
  challengeFails: "4000000000003063",
};

/** The fake, as the Worker is bound to it in tests (the binding is test-only: src/secrets.d.ts). */
function upstream(): Fetcher {
  const bound: Env = env;
  if (bound.STRIPE_UPSTREAM === undefined)
    throw new Error("vitest.config.ts binds STRIPE_UPSTREAM");
  return bound.STRIPE_UPSTREAM;
}

/** The fake, with every request that went through kept: method, path, key, body. */
function recorded() {
  const sent: Array<{ method: string; path: string; key: string | null; body: string }> = [];
  const fetcher = {
    async fetch(input: RequestInfo | URL, init?: RequestInit) {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      const key = request.headers.get("idempotency-key");
      const body = new TextDecoder().decode(await request.clone().arrayBuffer());
      sent.push({ method: request.method, path, key, body });
      return upstream().fetch(request);
    },
  };
  return { sent, fetcher };
}

/** The Stripe provider for the charge of this authorize request. */
function stripeFor(request: AuthorizeRequest, options: Partial<StripeProviderOptions> = {}) {
  const { chargeId, amount, currency, captureMethod } = request;
  return stripeProvider({
    apiKey: KEY,
    fetcher: upstream(),
    baseUrl: STRIPE,
    timeoutMs: 2_000,
    charge: { chargeId, amount, currency, captureMethod },
    ...options,
  });
}

const control = (path: string, method: string, body?: unknown) =>
  upstream().fetch(`${STRIPE}${path}`, {
    method,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

/** What the fake really did for our charge. */
async function books(chargeId: string) {
  const answer = await control(`/__books?charge_id=${encodeURIComponent(chargeId)}`, "GET");
  return Books.parse(await answer.json());
}

async function queueFaults(...faults: Fault[]) {
  expect((await control("/__faults", "POST", { faults })).status).toBe(200);
}

/** The payer's answer on the fake issuer's 3-D Secure page; where it sends them back. */
async function decide(url: string, decision: "approve" | "fail") {
  const answer = await upstream().fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `decision=${decision}`,
  });
  expect(answer.status).toBe(303);
  return new URL(answer.headers.get("location") ?? "");
}

const refundOf = (request: AuthorizeRequest, amount: number, reason: string | null = null) =>
  ({
    chargeId: request.chargeId,
    refundId: `${request.chargeId}_re${crypto.randomUUID().slice(0, 8)}`,
    amount,
    currency: request.currency,
    reason,
  }) satisfies RefundRequest;

beforeEach(async () => {
  expect((await control("/__faults", "DELETE")).status).toBe(200);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Stripe's test cards at authorize", () => {
  it("4242 succeeds: one PaymentIntent, confirmed once, the amount received", async () => {
    const request = cardRequest(CARDS.success);
    expect(await stripeFor(request).authorize(request)).toEqual({ type: "succeeded" });
    expect(await books(request.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded", amount: 1050, amount_received: 1050 }],
      confirmations: 1,
    });
  });

  it("with manual capture it authorizes, and capture takes the money once", async () => {
    const request = cardRequest(CARDS.success, { captureMethod: "manual" });
    const stripe = stripeFor(request);
    expect(await stripe.authorize(request)).toEqual({ type: "authorized" });
    expect(await stripe.status(request.chargeId)).toEqual({ type: "authorized" });
    expect(await stripe.capture(request.chargeId)).toEqual({ type: "succeeded" });
    expect(await stripe.capture(request.chargeId)).toEqual({ type: "succeeded" });
    expect(await books(request.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded", capture_method: "manual", amount_received: 1050 }],
      captures: 1,
    });
  });

  it.each([
    [CARDS.declined, "card_declined", "Your card was declined."],
    [CARDS.insufficientFunds, "insufficient_funds", "Your card has insufficient funds."],
    [CARDS.expired, "expired_card", "Your card has expired."],
    [CARDS.incorrectCvc, "incorrect_cvc", "Your card's security code is incorrect."],
  ])("%s is declined %s, with Stripe's words", async (number, code, message) => {
    const request = cardRequest(number);
    const stripe = stripeFor(request);
    expect(await stripe.authorize(request)).toEqual({ type: "declined", code, message });
    // Asked again later, the charge is still that decline.
    expect(await stripe.status(request.chargeId)).toEqual({ type: "declined", code, message });
  });

  it("a bank transfer is not something this adapter does: no request is made", async () => {
    const request: AuthorizeRequest = {
      ...cardRequest(CARDS.success),
      paymentMethod: { type: "bank_transfer", bankId: "bank_1" },
    };
    const { sent, fetcher } = recorded();
    expect(await stripeFor(request, { fetcher }).authorize(request)).toMatchObject({
      type: "failed",
      code: "payment_method_not_supported",
    });
    expect(sent).toEqual([]);
  });

  it("makes the PaymentIntent without the card (keyed <charge>:intent), then confirms it with the card (keyed by the charge)", async () => {
    const request = cardRequest(CARDS.success);
    const { sent, fetcher } = recorded();
    await stripeFor(request, { fetcher }).authorize(request);
    expect(
      sent.map(({ method, path, key }) => [method, path.replace(/pi_\w+/, "pi"), key]),
    ).toEqual([
      ["POST", "/v1/payment_intents", `${request.chargeId}:intent`],
      ["POST", "/v1/payment_intents/pi/confirm", request.chargeId],
    ]);
    expect(sent[0]?.body).not.toContain(CARDS.success);
    expect(new URLSearchParams(sent[0]?.body)).toEqual(
      new URLSearchParams({
        amount: "1050",
        currency: "eur",
        capture_method: "automatic",
        "metadata[charge_id]": request.chargeId,
      }),
    );
    expect(new URLSearchParams(sent[1]?.body).get("payment_method_data[card][number]")).toBe(
      CARDS.success,
    );
  });
});

describe("3-D Secure on the fake issuer's page", () => {
  it("4000…3220 asks for it; approved, the charge succeeds", async () => {
    const request = cardRequest(CARDS.challenge);
    const stripe = stripeFor(request);
    const asked = await stripe.authorize(request);
    expect(asked).toEqual({
      type: "requires_action",
      url: expect.stringMatching(/^https:\/\/stripe\.fake\/3ds\/pi_\w+$/),
    });
    // Not answered yet: still waiting for the payer.
    expect(await stripe.completeAction(request.chargeId)).toEqual(asked);
    const url = asked.type === "requires_action" ? asked.url : "";
    const back = await decide(url, "approve");
    expect(back.origin + back.pathname).toBe(request.challengeReturnUrl.split("?")[0]);
    expect(back.searchParams.get("charge_id")).toBe("x");
    expect(back.searchParams.get("redirect_status")).toBe("succeeded");
    expect(await stripe.completeAction(request.chargeId)).toEqual({ type: "succeeded" });
    expect(await books(request.chargeId)).toMatchObject({ confirmations: 1 });
  });

  it("failed by the payer, or by the issuer (4000…3063), it is declined authentication_failed", async () => {
    for (const [number, decision] of [
      [CARDS.challenge, "fail"],
      [CARDS.challengeFails, "approve"],
    ] as const) {
      const request = cardRequest(number);
      const stripe = stripeFor(request);
      const asked = await stripe.authorize(request);
      expect(asked.type).toBe("requires_action");
      const back = await decide(asked.type === "requires_action" ? asked.url : "", decision);
      expect(back.searchParams.get("redirect_status")).toBe("failed");
      expect(await stripe.completeAction(request.chargeId)).toMatchObject({
        type: "declined",
        code: "authentication_failed",
      });
    }
  });

  it("secure mode asks for it on a card that would succeed without", async () => {
    const request = cardRequest(CARDS.success, { secureMode: true });
    expect(await stripeFor(request).authorize(request)).toMatchObject({ type: "requires_action" });
  });
});

describe("refunds", () => {
  it("gives money back in parts, up to what was taken, Stripe's reasons as reasons and ours in metadata", async () => {
    const request = cardRequest(CARDS.success);
    const stripe = stripeFor(request);
    await stripe.authorize(request);
    const first = refundOf(request, 500, "requested_by_customer");
    const rest = refundOf(request, 550, "the parcel came back");
    expect(await stripe.refund(first)).toEqual({ type: "succeeded" });
    expect(await stripe.refund(rest)).toEqual({ type: "succeeded" });
    expect(await stripe.refund(refundOf(request, 1))).toMatchObject({
      type: "declined",
      code: "charge_already_refunded",
    });
    expect((await books(request.chargeId)).refunds).toEqual([
      {
        id: expect.stringMatching(/^re_/),
        payment_intent: expect.stringMatching(/^pi_/),
        amount: 500,
        reason: "requested_by_customer",
        metadata: { refund_id: first.refundId },
      },
      {
        id: expect.stringMatching(/^re_/),
        payment_intent: expect.stringMatching(/^pi_/),
        amount: 550,
        reason: null,
        metadata: { refund_id: rest.refundId, reason: "the parcel came back" },
      },
    ]);
  });

  it("refuses more than is left, and a charge that took nothing; a refund retried refunds once", async () => {
    const request = cardRequest(CARDS.success);
    const stripe = stripeFor(request);
    await stripe.authorize(request);
    expect(await stripe.refund(refundOf(request, 2_000))).toMatchObject({
      type: "declined",
      code: "amount_too_large",
    });
    const once = refundOf(request, 300);
    expect(await stripe.refund(once)).toEqual({ type: "succeeded" });
    expect(await stripe.refund(once)).toEqual({ type: "succeeded" });
    expect((await books(request.chargeId)).refunds).toHaveLength(1);

    const declined = cardRequest(CARDS.declined);
    await stripeFor(declined).authorize(declined);
    expect(await stripeFor(declined).refund(refundOf(declined, 100))).toMatchObject({
      type: "declined",
      code: "charge_not_refundable",
    });
  });

  it("still finds the charge once Stripe has forgotten its keys (after 24 hours)", async () => {
    const request = cardRequest(CARDS.success);
    await stripeFor(request).authorize(request);
    const forgotten = await control("/__idempotency/expire", "POST", {
      key_prefix: request.chargeId,
    });
    expect(await forgotten.json()).toEqual({ expired: 2 });
    expect(await stripeFor(request).refund(refundOf(request, 1_050))).toEqual({
      type: "succeeded",
    });
    const made = await books(request.chargeId);
    // Step 1 replayed without its key made an empty PaymentIntent; the refund went to the paid one.
    expect(made.payment_intents.map((intent) => intent.status)).toEqual([
      "succeeded",
      "requires_payment_method",
    ]);
    expect(made.refunds).toMatchObject([
      { payment_intent: made.payment_intents[0]?.id, amount: 1_050 },
    ]);
  });
});

describe("what the wire does to a payment", () => {
  it("an answer lost after Stripe acted is retried once under the same key: one PaymentIntent, one confirmation", async () => {
    const request = cardRequest(CARDS.success);
    await queueFaults(
      { path: "/v1/payment_intents", status: 500, after_processing: true },
      { path: CONFIRM, status: 500, after_processing: true },
    );
    const { sent, fetcher } = recorded();
    expect(await stripeFor(request, { fetcher }).authorize(request)).toEqual({ type: "succeeded" });
    expect(sent.map((r) => r.key)).toEqual([
      `${request.chargeId}:intent`,
      `${request.chargeId}:intent`,
      request.chargeId,
      request.chargeId,
    ]);
    expect(await books(request.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded" }],
      confirmations: 1,
    });
  });

  it("still unclear after the retry, it is silent: Stripe may have charged, so no fallback", async () => {
    const request = cardRequest(CARDS.success);
    await queueFaults(
      { path: CONFIRM, status: 500, after_processing: true },
      { path: CONFIRM, status: 502 },
    );
    expect(await stripeFor(request).authorize(request)).toEqual({ type: "silent" });
    // The watchdog asks, and finds the charge Stripe made.
    expect(await stripeFor(request).status(request.chargeId)).toEqual({ type: "succeeded" });
  });

  it("authorize twice for one charge (a crash between our call and our commit) makes one PaymentIntent", async () => {
    const request = cardRequest(CARDS.success);
    expect(await stripeFor(request).authorize(request)).toEqual({ type: "succeeded" });
    expect(await stripeFor(request).authorize(request)).toEqual({ type: "succeeded" });
    expect(await books(request.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded" }],
      confirmations: 1,
    });
  });

  it("a timeout is silent at once, and status afterwards finds the charge", async () => {
    const request = cardRequest(CARDS.success);
    await queueFaults({ path: CONFIRM, delay_ms: 1_500 });
    const started = Date.now();
    expect(await stripeFor(request, { timeoutMs: 400 }).authorize(request)).toEqual({
      type: "silent",
    });
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(await stripeFor(request).status(request.chargeId)).toEqual({ type: "succeeded" });
    expect(await books(request.chargeId)).toMatchObject({ confirmations: 1 });
  });

  it("status for a charge that never reached Stripe: not_charged, and the charge can still be made", async () => {
    const request = cardRequest(CARDS.success);
    expect(await stripeFor(request).status(request.chargeId)).toMatchObject({
      type: "failed",
      code: "not_charged",
    });
    expect(await books(request.chargeId)).toMatchObject({ confirmations: 0 });
    expect(await stripeFor(request).authorize(request)).toEqual({ type: "succeeded" });
    expect(await books(request.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded" }],
      confirmations: 1,
    });
  });

  it("a 429 with a short Retry-After is waited out and retried once; a long one fails over", async () => {
    const waited = cardRequest(CARDS.success);
    await queueFaults({ status: 429, retry_after: 1 });
    const started = Date.now();
    expect(await stripeFor(waited).authorize(waited)).toEqual({ type: "succeeded" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await books(waited.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded" }],
      confirmations: 1,
    });

    const refused = cardRequest(CARDS.success);
    await queueFaults({ status: 429, retry_after: 30 });
    const { sent, fetcher } = recorded();
    expect(await stripeFor(refused, { fetcher }).authorize(refused)).toMatchObject({
      type: "failed",
      code: "provider_rate_limited",
    });
    expect(sent).toHaveLength(1);
    expect((await books(refused.chargeId)).payment_intents).toEqual([]);
  });

  it("a 503 says nothing was done: provider_unavailable at once, so the next provider may try", async () => {
    const request = cardRequest(CARDS.success);
    await queueFaults({ status: 503 });
    const { sent, fetcher } = recorded();
    expect(await stripeFor(request, { fetcher }).authorize(request)).toMatchObject({
      type: "failed",
      code: "provider_unavailable",
    });
    expect(sent).toHaveLength(1);
    expect((await books(request.chargeId)).payment_intents).toEqual([]);
  });

  it("a refused key, or a restricted key without the permission, is provider_auth_failed", async () => {
    for (const apiKey of ["pk_test_publishable_4x7Qz9", "rk_test_no_payment_intents_4x7Qz9"]) {
      const request = cardRequest(CARDS.success);
      expect(await stripeFor(request, { apiKey }).authorize(request)).toMatchObject({
        type: "failed",
        code: "provider_auth_failed",
      });
      expect((await books(request.chargeId)).payment_intents).toEqual([]);
    }
  });

  it("the same key with other parameters is silent, never a second charge", async () => {
    const request = cardRequest(CARDS.success);
    expect(await stripeFor(request).authorize(request)).toEqual({ type: "succeeded" });
    const otherCard = { ...request, paymentMethod: cardRequest(CARDS.declined).paymentMethod };
    expect(await stripeFor(request).authorize(otherCard)).toEqual({ type: "silent" });
    expect(await books(request.chargeId)).toMatchObject({
      payment_intents: [{ status: "succeeded" }],
      confirmations: 1,
    });
  });

  it("a request that is not for the provider's charge is refused without a request", async () => {
    const request = cardRequest(CARDS.success);
    const { sent, fetcher } = recorded();
    const other = cardRequest(CARDS.success);
    expect(await stripeFor(request, { fetcher }).authorize(other)).toMatchObject({
      type: "failed",
      code: "provider_rejected",
    });
    expect(sent).toEqual([]);
  });

  it("with the global fetch as its fetcher, as in production, it goes out on the network", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const request = cardRequest(CARDS.success);
    // Not Stripe: a local HTTP server that answers 404 with no body, so nothing it says is trusted.
    const outcome = await stripeFor(request, {
      fetcher: { fetch },
      baseUrl: inject("receiverUrl"),
    }).authorize(request);
    expect(outcome).toEqual({ type: "silent" });
    const logged = warn.mock.calls.flat().join("\n");
    expect(logged).toContain('"problem":"unreadable"');
    expect(logged).not.toContain("network_error");
  });

  it("logs what went wrong and where, never the key, the card or a body", async () => {
    const lines: unknown[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args) => lines.push(...args));
    }
    const request = cardRequest(CARDS.success);
    await queueFaults({ path: CONFIRM, status: 500 }, { status: 429, retry_after: 0 });
    await stripeFor(request).authorize(request);
    const declined = cardRequest(CARDS.declined);
    await stripeFor(declined).authorize(declined);
    const badKey = cardRequest(CARDS.success);
    await stripeFor(badKey, { apiKey: "sk_live_wrong_mode_4x7Qz9" }).authorize(badKey);
    const logged = lines.map(String).join("\n");
    expect(logged).toContain('"call":"POST /v1/payment_intents/:id/confirm"');
    expect(logged).toContain('"problem":"500"');
    expect(logged).toContain('"problem":"429"');
    expect(logged).not.toMatch(/4x7Qz9|4242424242424242|4000000000000002|cvc|card\]/);
  });
});
