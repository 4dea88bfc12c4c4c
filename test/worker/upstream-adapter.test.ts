/**
 * The HTTP adapter every provider goes through (src/providers/http-provider.ts), first against
 * scripted upstream answers (every classification, with what it sends), then against the sandbox
 * PSP itself (sandbox-psp/), a Worker of its own behind the SANDBOX_PSP service binding: the
 * rate-limited card, the card whose answer is lost, and the upstream's idempotency rules.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  HttpProvider,
  retryAfterMs,
  upstreamTimeoutMs,
} from "../../src/providers/http-provider.js";
import { sandboxProvider, sandboxWire } from "../../src/providers/sandbox.js";
import { CARDS, confirm, createSession } from "./api.js";
import { cardRequest, newChargeId, paymentOf } from "./charge-requests.js";
import { sandboxBooks } from "./sandbox-books.js";

const RATE_LIMITED_CARD = "4000000000000424";
const ANSWER_LOST_CARD = "4000000000000507";
const PSP = "https://sandbox-psp.internal";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

const charge = (status: string, extra: Record<string, unknown> = {}) =>
  json(200, {
    id: "ch_1",
    reference: "r",
    status,
    amount: 1050,
    currency: "EUR",
    next_action: null,
    failure: null,
    ...extra,
  });

const apiError = (status: number, type: string, code: string, headers = {}) =>
  json(status, { error: { type, code, message: `${type}: ${code}` } }, headers);

/** An upstream that answers as scripted (a Response, or an Error to throw), and what it was sent. */
function scripted(...answers: Array<Response | Error | "hang">) {
  const requests: Request[] = [];
  const fetcher = {
    fetch: (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      requests.push(request);
      const next = answers.shift();
      if (next === "hang") {
        return new Promise((_, reject) =>
          request.signal.addEventListener("abort", () => reject(request.signal.reason)),
        );
      }
      if (next === undefined) throw new Error("the script ran out");
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
  const provider = new HttpProvider(
    {
      name: "upstream",
      fetcher,
      baseUrl: "https://upstream.test",
      authorization: "Bearer sk_up_secret",
      timeoutMs: 300,
    },
    sandboxWire,
  );
  return { provider, requests };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the HTTP adapter classifies every answer", () => {
  it("sends the charge id as the Idempotency-Key, the key as Authorization, the body as JSON", async () => {
    const { provider, requests } = scripted(charge("succeeded"));
    const request = cardRequest(CARDS.success);
    expect(await provider.authorize(request)).toEqual({ type: "succeeded" });
    const [sent] = requests;
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe("https://upstream.test/v1/charges");
    expect(sent?.headers.get("idempotency-key")).toBe(request.chargeId);
    expect(sent?.headers.get("authorization")).toBe("Bearer sk_up_secret");
    expect(await sent?.json()).toMatchObject({
      reference: request.chargeId,
      amount: 1050,
      capture: "automatic",
    });
  });

  it.each([
    ["authorized", {}, { type: "authorized" }],
    [
      "requires_action",
      { next_action: { type: "redirect", url: "https://acs.test/c" } },
      { type: "requires_action", url: "https://acs.test/c" },
    ],
    [
      "declined",
      { failure: { code: "authentication_failed", message: "3DS failed." } },
      { type: "declined", code: "authentication_failed", message: "3DS failed." },
    ],
  ])("a %s charge is %o", async (status, extra, outcome) => {
    const { provider } = scripted(charge(status, extra));
    expect(await provider.status(newChargeId())).toEqual(outcome);
  });

  it("a card error is a decline, its code mapped to ours (unknown codes are card_declined)", async () => {
    const { provider } = scripted(
      apiError(402, "card_error", "insufficient_funds"),
      apiError(402, "card_error", "bank_declined"),
    );
    expect(await provider.authorize(cardRequest(CARDS.success))).toMatchObject({
      type: "declined",
      code: "card_declined",
    });
    expect(await provider.authorize(cardRequest(CARDS.success))).toMatchObject({
      type: "declined",
      code: "bank_declined",
    });
  });

  it("a 500 or a network error is retried once under the same key", async () => {
    const lost = scripted(apiError(500, "api_error", "internal"), charge("succeeded"));
    expect(await lost.provider.authorize(cardRequest(CARDS.success))).toEqual({
      type: "succeeded",
    });
    const keys = lost.requests.map((r) => r.headers.get("idempotency-key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);

    const cut = scripted(new TypeError("Network connection lost."), charge("authorized"));
    expect(await cut.provider.authorize(cardRequest(CARDS.success))).toEqual({
      type: "authorized",
    });
    expect(cut.requests).toHaveLength(2);
  });

  it("still unclear after the retry, it is silent (the upstream may have charged: no fallback)", async () => {
    for (const answers of [
      [apiError(502, "api_error", "bad_gateway"), apiError(504, "api_error", "timeout")],
      [new TypeError("reset"), new TypeError("reset")],
      [json(200, { unexpected: true }), new Response("<html>oops</html>", { status: 200 })],
    ]) {
      const { provider, requests } = scripted(...answers);
      expect(await provider.authorize(cardRequest(CARDS.success))).toEqual({ type: "silent" });
      expect(requests).toHaveLength(2);
    }
  });

  it("a timeout is silent at once: the watchdog asks later", async () => {
    const { provider, requests } = scripted("hang");
    const started = Date.now();
    expect(await provider.authorize(cardRequest(CARDS.success))).toEqual({ type: "silent" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(requests).toHaveLength(1);
  });

  it("a 503 says nothing was done: a retryable failure, so the next provider may try", async () => {
    const { provider, requests } = scripted(apiError(503, "api_error", "unavailable"));
    expect(await provider.authorize(cardRequest(CARDS.success))).toMatchObject({
      type: "failed",
      code: "provider_unavailable",
    });
    expect(requests).toHaveLength(1);
  });

  it("a 429 with a short Retry-After is waited out and retried; a long or missing one fails over", async () => {
    const short = scripted(
      apiError(429, "rate_limit_error", "rate_limited", { "retry-after": "1" }),
      charge("succeeded"),
    );
    const started = Date.now();
    expect(await short.provider.authorize(cardRequest(CARDS.success))).toEqual({
      type: "succeeded",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

    for (const headers of [{ "retry-after": "30" }, {}]) {
      const { provider, requests } = scripted(
        apiError(429, "rate_limit_error", "rate_limited", headers),
      );
      expect(await provider.authorize(cardRequest(CARDS.success))).toMatchObject({
        type: "failed",
        code: "provider_rate_limited",
      });
      expect(requests).toHaveLength(1);
    }
  });

  it("an idempotency error leaves the first request standing: silent, never a fallback", async () => {
    const { provider } = scripted(apiError(400, "idempotency_error", "idempotency_key_reused"));
    expect(await provider.authorize(cardRequest(CARDS.success))).toEqual({ type: "silent" });
  });

  it("a refused key or request is a retryable failure; an unknown charge is unknown_charge", async () => {
    const { provider } = scripted(
      apiError(401, "authentication_error", "invalid_api_key"),
      apiError(400, "invalid_request_error", "parameter_invalid"),
      apiError(404, "invalid_request_error", "resource_missing"),
    );
    expect(await provider.authorize(cardRequest(CARDS.success))).toMatchObject({
      type: "failed",
      code: "provider_auth_failed",
    });
    expect(await provider.authorize(cardRequest(CARDS.success))).toMatchObject({
      type: "failed",
      code: "provider_rejected",
    });
    expect(await provider.status(newChargeId())).toMatchObject({
      type: "failed",
      code: "unknown_charge",
    });
  });

  it("logs what went wrong and where, never the card, the key or a body", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { provider } = scripted(
      apiError(500, "api_error", "internal"),
      new TypeError("Network connection lost."),
    );
    await provider.authorize(cardRequest(CARDS.success));
    const logged = warn.mock.calls.flat().join("\n");
    expect(logged).toContain('"problem":"500"');
    expect(logged).toContain('"problem":"network_error"');
    expect(logged).not.toMatch(/4242424242424242|sk_up_secret|"cvc"|api_error/);
  });

  it("gives a call at most half the session's watchdog, so it has given up before the watchdog asks", () => {
    expect(upstreamTimeoutMs({ UPSTREAM_TIMEOUT_MS: "10000", PROVIDER_TIMEOUT_MS: "30000" })).toBe(
      10_000,
    );
    expect(upstreamTimeoutMs({ UPSTREAM_TIMEOUT_MS: "10000", PROVIDER_TIMEOUT_MS: "2000" })).toBe(
      1_000,
    );
  });

  it("reads Retry-After in seconds or as an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2_000);
    expect(retryAfterMs("Tue, 01 Dec 2026 12:00:05 GMT", Date.UTC(2026, 11, 1, 12, 0, 0))).toBe(
      5_000,
    );
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs("-1")).toBeNull();
  });
});

/** A raw call to the sandbox PSP's API, as any client of it would make. */
function pspCharge(body: unknown, headers: Record<string, string> = {}) {
  return env.SANDBOX_PSP.fetch(`${PSP}/v1/charges`, {
    method: "POST",
    headers: {
      authorization: "Bearer psk_test_sandbox",
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

const chargeBody = (reference: string, number: string = CARDS.success) => ({
  reference,
  amount: 1050,
  currency: "EUR",
  capture: "automatic",
  three_d_secure: "automatic",
  payment_method: {
    type: "card",
    card: { number, exp_month: 12, exp_year: 2030, cvc: "123" },
  },
  return_url: "http://127.0.0.1:8787/v1/checkout-sessions/challenge-return",
});

describe("the sandbox PSP over its service binding", () => {
  const sandbox = sandboxProvider("sandbox", env);

  it("4000…0424 is rate limited at the first try: the adapter waits Retry-After out, and one charge is made", async () => {
    const request = cardRequest(RATE_LIMITED_CARD);
    const started = Date.now();
    expect(await sandbox.authorize(request)).toEqual({ type: "succeeded" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await sandboxBooks(paymentOf(request.chargeId))).toMatchObject([
      { reference: request.chargeId, status: "succeeded", scenario: "rate_limited" },
    ]);
  });

  it("4000…0507 charges and loses its answer: the retry under the same key gets that charge, one in the books", async () => {
    const request = cardRequest(ANSWER_LOST_CARD);
    expect(await sandbox.authorize(request)).toEqual({ type: "succeeded" });
    const books = await sandboxBooks(paymentOf(request.chargeId));
    expect(books).toHaveLength(1);

    // The double charge the key prevents: the same request sent again without one charges again.
    const unkeyed = await pspCharge(chargeBody(request.chargeId, ANSWER_LOST_CARD));
    expect(unkeyed.status).toBe(502);
    await unkeyed.body?.cancel();
    expect(await sandboxBooks(paymentOf(request.chargeId))).toHaveLength(2);
  });

  it("replays the first answer for the same key and parameters, and refuses other parameters", async () => {
    const reference = newChargeId();
    const first = await pspCharge(chargeBody(reference), { "idempotency-key": reference });
    const again = await pspCharge(chargeBody(reference), { "idempotency-key": reference });
    expect(first.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const [made, replayed] = [await first.json(), await again.json()];
    expect(replayed).toEqual(made);

    const other = await pspCharge(chargeBody(reference, CARDS.declined), {
      "idempotency-key": reference,
    });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({
      error: { type: "idempotency_error", code: "idempotency_key_reused" },
    });
    expect(await sandboxBooks(paymentOf(reference))).toHaveLength(1);
  });

  it("refuses a request without a valid key (401) or with invalid parameters (400), charging nothing", async () => {
    const reference = newChargeId();
    const unauthorized = await pspCharge(chargeBody(reference), { authorization: "Bearer nope" });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ error: { type: "authentication_error" } });
    const invalid = await pspCharge({ ...chargeBody(reference), amount: -5 });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    expect(await sandboxBooks(paymentOf(reference))).toEqual([]);
  });

  it("a payer pays with either card and sees the payment complete; the provider made one charge", async () => {
    for (const number of [RATE_LIMITED_CARD, ANSWER_LOST_CARD]) {
      const session = await createSession();
      const paid = await confirm(session.token, number);
      expect(paid.json.checkout_session.status).toBe("COMPLETED");
      const payment = paid.json.confirmResult.payment;
      expect(payment.charges).toHaveLength(1);
      expect(await sandboxBooks(payment.id)).toHaveLength(1);
    }
  });
});
