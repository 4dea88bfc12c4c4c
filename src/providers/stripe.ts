/**
 * The Stripe provider: PaymentIntents through Stripe's own client (the `stripe` package, its
 * fetch client), sent through a fetcher: the global fetch to api.stripe.com in production, the
 * fake Stripe (fake-stripe/) behind the STRIPE_UPSTREAM binding in tests.
 *
 * A charge is two calls, so that it can always be found again without the card:
 * 1. create the PaymentIntent from the charge alone (amount, currency, capture method, our
 *    charge id in metadata), keyed `<charge id>:intent`. Replayed with the same key and
 *    parameters, Stripe hands back the same PaymentIntent: that is how status, completeAction,
 *    capture and refund find it, from the charge id alone;
 * 2. confirm it with the card, keyed by the charge id.
 * Stripe forgets a key after 24 hours; a replay then makes a fresh, empty PaymentIntent, so an
 * empty one is looked for again by its metadata (Stripe's search) before it is believed.
 *
 * The answers mean what they mean for every provider (src/providers/http-provider.ts): a decline
 * is `declined`; a refusal that did nothing is `failed` (the next provider gets a chance); an
 * answer nobody can trust is `silent` (Stripe may have acted: the watchdog asks for status).
 * The retry policy is http-provider.ts's too, kept by `policyFetch` below rather than by the
 * package: its own retries would retry a timeout and a 503 and ignore `Retry-After`.
 *
 * Nothing of a request or answer body is logged, nor the key: the card travels in the bodies.
 */
import Stripe from "stripe";
import { ATTEMPTS, LONGEST_RETRY_AFTER_MS, retryAfterMs, sleep } from "./http-provider.js";
import type { AuthorizeRequest, Provider, ProviderOutcome, RefundRequest } from "./provider.js";

export interface StripeCharge {
  chargeId: string;
  amount: number;
  currency: string;
  captureMethod: "automatic" | "manual";
}

export interface StripeProviderOptions {
  /** `sk_…` or `rk_…`; sent as `Authorization: Bearer`, never logged. */
  apiKey: string;
  /** A service binding in tests; `{ fetch }`, the global fetch, in production. */
  fetcher: Pick<Fetcher, "fetch">;
  /** https://api.stripe.com unless told. */
  baseUrl?: string;
  /** How long one provider call (all its requests together) may take. */
  timeoutMs: number;
  /** The one charge this provider acts on: what step 1 is made of, every time. */
  charge: StripeCharge;
}

/** Stripe's decline and error codes that we keep; any other decline is `card_declined`. */
const DECLINE_CODES: Record<string, string> = {
  payment_intent_authentication_failure: "authentication_failed",
  insufficient_funds: "insufficient_funds",
  expired_card: "expired_card",
  incorrect_cvc: "incorrect_cvc",
};

/** Why Stripe would not refund, in its codes (which become ours): refused for good. */
const REFUND_REFUSALS = new Set([
  "amount_too_large",
  "charge_already_refunded",
  "charge_disputed",
  "charge_not_refundable",
  "refund_disputed_payment",
]);

/** Stripe's own refund reasons; ours, when free text, goes into the refund's metadata. */
const REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);

const NOT_CHARGED: ProviderOutcome = {
  type: "failed",
  code: "not_charged",
  message: "The charge never reached Stripe; nothing was charged.",
};

function log(chargeId: string, call: string, attempt: number, problem: string) {
  console.warn(JSON.stringify({ provider: "stripe", call, chargeId, attempt, problem }));
}

/**
 * The fetch the package sends through, with http-provider.ts's policy, since the package (with
 * its own retries off) does none: a network error, a 5xx other than 503 or a body that does not
 * parse is retried once at once (the same headers again, so the same Idempotency-Key), a 429
 * with a short `Retry-After` is waited out and retried once; a timeout (the package's signal)
 * and a 503 are answered at once. Stripe's `Stripe-Should-Retry` header, when sent, decides.
 * The package's timeout spans the whole of it, both attempts and the wait between.
 */
function policyFetch(fetcher: Pick<Fetcher, "fetch">, chargeId: string): typeof fetch {
  // Production passes the global fetch, and workerd refuses it as another object's method
  // (`{ fetch }.fetch()` is an "Illegal invocation"): it is called on its own.
  const send: typeof fetch =
    fetcher.fetch === globalThis.fetch
      ? (input, init) => fetch(input, init)
      : (input, init) => fetcher.fetch(input, init);
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    // Where, without whose: `POST /v1/payment_intents/:id/confirm`.
    const path = url.pathname.replace(/\/(?:pi|re|ch|pm)_[0-9A-Za-z]+/g, "/:id");
    const call = `${init?.method ?? "GET"} ${path}`;
    for (let attempt = 1; ; attempt++) {
      const last = attempt === ATTEMPTS;
      let response: Response;
      try {
        response = await send(input, init);
      } catch (error) {
        const timedOut = init?.signal?.aborted === true;
        log(chargeId, call, attempt, timedOut ? "timeout" : "network_error");
        if (timedOut || last) throw error;
        continue;
      }
      const advice = response.headers.get("stripe-should-retry");
      if (response.status === 429) {
        log(chargeId, call, attempt, "429");
        const wait = retryAfterMs(response.headers.get("retry-after"));
        if (last || advice === "false" || wait === null || wait > LONGEST_RETRY_AFTER_MS) {
          return response;
        }
        await response.body?.cancel();
        await sleep(wait);
        continue;
      }
      const text = await response.text();
      const unreadable = !parses(text);
      const retry =
        advice === "true" ||
        (advice !== "false" && response.status !== 503 && (response.status >= 500 || unreadable));
      if (!retry || last) {
        const { status, statusText, headers } = response;
        return new Response(text, { status, statusText, headers });
      }
      log(chargeId, call, attempt, unreadable ? "unreadable" : String(response.status));
    }
  };
}

function parses(text: string) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function declined(code: string | undefined, declineCode: string | undefined, message?: string) {
  const ours = DECLINE_CODES[declineCode ?? ""] ?? DECLINE_CODES[code ?? ""] ?? "card_declined";
  return { type: "declined", code: ours, message: message || "The payment was declined." } as const;
}

/** What a PaymentIntent's status means for our charge. */
function intentOutcome(intent: Stripe.PaymentIntent): ProviderOutcome {
  switch (intent.status) {
    case "succeeded":
      return { type: "succeeded" };
    case "requires_capture":
      return { type: "authorized" };
    case "processing":
      return { type: "pending" };
    case "requires_action": {
      // A challenge the payer can reach is a redirect; any other next action (none is asked
      // for: every confirm carries a return_url) leaves the payer nothing to do but wait.
      const url = intent.next_action?.redirect_to_url?.url;
      return url ? { type: "requires_action", url } : { type: "pending" };
    }
    case "canceled":
      return { type: "declined", code: "canceled", message: "The payment was canceled." };
    case "requires_payment_method":
    case "requires_confirmation": {
      const error = intent.last_payment_error;
      return error ? declined(error.code, error.decline_code, error.message) : NOT_CHARGED;
    }
    default:
      return { type: "silent" };
  }
}

/** Never confirmed: made now, or by a step 1 whose confirmation never reached Stripe. */
const isEmpty = (intent: Stripe.PaymentIntent) =>
  (intent.status === "requires_payment_method" || intent.status === "requires_confirmation") &&
  intent.last_payment_error === null;

type Step = "authorize" | "status" | "capture" | "refund";

/**
 * The card as `payment_method_data` carries it (`payment_method_data[card][number]=…`). The
 * package types that hash without `card`: Stripe takes raw card numbers only from accounts it
 * has enabled for them (PCI DSS SAQ D), so the card is typed as PaymentMethods.create types it.
 */
type CardPaymentMethodData = Stripe.PaymentIntentConfirmParams.PaymentMethodData & {
  card: Stripe.PaymentMethodCreateParams.Card;
};

/** What an error the package threw means; anything that is not Stripe's answer is thrown on. */
function errorOutcome(error: unknown, step: Step): ProviderOutcome {
  const E = Stripe.errors;
  if (error instanceof E.StripeCardError) {
    return declined(error.code, error.decline_code, error.message);
  }
  if (error instanceof E.StripeRateLimitError) {
    const message = "Stripe is rate limiting; nothing was charged.";
    return { type: "failed", code: "provider_rate_limited", message };
  }
  if (error instanceof E.StripeAuthenticationError || error instanceof E.StripePermissionError) {
    // Our words: Stripe's name the key it refused.
    const message = "Stripe refused the API key, or its permissions; nothing was charged.";
    return { type: "failed", code: "provider_auth_failed", message };
  }
  // The key was used for other parameters: whatever the first request did stands, so ask later.
  if (error instanceof E.StripeIdempotencyError) return { type: "silent" };
  if (error instanceof E.StripeInvalidRequestError) {
    const { code = "", message } = error;
    if (step === "refund" && REFUND_REFUSALS.has(code)) return { type: "declined", code, message };
    // Confirming or capturing an intent past that point: the intent it carries tells where it is.
    const intent = error.payment_intent;
    if (code === "payment_intent_unexpected_state" && intent !== undefined) {
      const outcome = intentOutcome(intent);
      return step !== "capture" || outcome.type === "succeeded"
        ? outcome
        : { type: "failed", code: "not_capturable", message };
    }
    if (code === "resource_missing") return { type: "failed", code: "unknown_charge", message };
    return { type: "failed", code: "provider_rejected", message };
  }
  if (error instanceof E.StripeAPIError && error.statusCode === 503) {
    return { type: "failed", code: "provider_unavailable", message: error.message };
  }
  // A 5xx after the retry, a timeout, a lost connection: Stripe may have acted.
  if (error instanceof E.StripeError) return { type: "silent" };
  throw error;
}

class StripeProvider implements Provider {
  private readonly stripe: Stripe;
  private readonly charge: StripeCharge;
  private readonly timeoutMs: number;

  constructor(options: StripeProviderOptions) {
    const base = new URL(options.baseUrl ?? "https://api.stripe.com");
    const protocol = base.protocol === "http:" ? "http" : "https";
    this.charge = options.charge;
    this.timeoutMs = options.timeoutMs;
    this.stripe = new Stripe(options.apiKey, {
      httpClient: Stripe.createFetchHttpClient(policyFetch(options.fetcher, this.charge.chargeId)),
      // Off: policyFetch retries, as every provider is retried (see there).
      maxNetworkRetries: 0,
      timeout: options.timeoutMs,
      telemetry: false,
      host: base.hostname,
      protocol,
      port: base.port || (protocol === "http" ? 80 : 443),
    });
  }

  authorize(request: AuthorizeRequest): Promise<ProviderOutcome> {
    const method = request.paymentMethod;
    if (method.type !== "card") {
      const message = "Stripe takes cards here, not bank transfers.";
      return Promise.resolve({ type: "failed", code: "payment_method_not_supported", message });
    }
    const { chargeId, amount, currency, captureMethod } = this.charge;
    if (
      request.chargeId !== chargeId ||
      request.amount !== amount ||
      request.currency.toLowerCase() !== currency.toLowerCase() ||
      request.captureMethod !== captureMethod
    ) {
      return Promise.resolve(this.notThisCharge());
    }
    return this.call("authorize", async (timeout) => {
      const intent = await this.intent(timeout);
      const { number, expMonth, expYear, cvc } = method.card;
      const cardData: CardPaymentMethodData = {
        type: "card",
        card: { number: number.replace(/[\s-]/g, ""), exp_month: expMonth, exp_year: expYear, cvc },
      };
      const confirmed = await this.stripe.paymentIntents.confirm(
        intent.id,
        {
          payment_method_data: cardData,
          return_url: request.challengeReturnUrl,
          payment_method_options: {
            card: { request_three_d_secure: request.secureMode ? "any" : "automatic" },
          },
        },
        { idempotencyKey: chargeId, timeout: timeout() },
      );
      return intentOutcome(confirmed);
    });
  }

  completeAction(chargeId: string) {
    return this.status(chargeId);
  }

  status(chargeId: string): Promise<ProviderOutcome> {
    if (chargeId !== this.charge.chargeId) return Promise.resolve(this.notThisCharge());
    return this.call("status", async (timeout) => intentOutcome(await this.find(timeout)));
  }

  capture(chargeId: string): Promise<ProviderOutcome> {
    if (chargeId !== this.charge.chargeId) return Promise.resolve(this.notThisCharge());
    return this.call("capture", async (timeout) => {
      const intent = await this.find(timeout);
      if (intent.status === "succeeded") return { type: "succeeded" };
      if (intent.status !== "requires_capture") {
        const message = `A ${intent.status} PaymentIntent cannot be captured.`;
        return { type: "failed", code: "not_capturable", message };
      }
      const captured = await this.stripe.paymentIntents.capture(
        intent.id,
        {},
        { idempotencyKey: `${chargeId}:capture`, timeout: timeout() },
      );
      return intentOutcome(captured);
    });
  }

  refund(request: RefundRequest): Promise<ProviderOutcome> {
    const { chargeId, currency } = this.charge;
    if (
      request.chargeId !== chargeId ||
      request.currency.toLowerCase() !== currency.toLowerCase()
    ) {
      return Promise.resolve(this.notThisCharge());
    }
    return this.call("refund", async (timeout) => {
      const intent = await this.find(timeout);
      const reason = request.reason;
      const stripeReason = reason !== null && REFUND_REASONS.has(reason) ? reason : undefined;
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: intent.id,
          amount: request.amount,
          ...(stripeReason && { reason: stripeReason }),
          metadata: {
            refund_id: request.refundId,
            ...(reason !== null && stripeReason === undefined && { reason: reason.slice(0, 500) }),
          },
        },
        { idempotencyKey: request.refundId, timeout: timeout() },
      );
      if (refund.status === "succeeded") return { type: "succeeded" };
      if (refund.status === "pending" || refund.status === "requires_action") {
        return { type: "pending" };
      }
      const message = "Stripe did not refund.";
      return { type: "declined", code: "refund_failed", message };
    });
  }

  /** One provider call: its requests share one deadline, and Stripe's errors become outcomes. */
  private async call(
    step: Step,
    run: (timeout: () => number) => Promise<ProviderOutcome>,
  ): Promise<ProviderOutcome> {
    const deadline = Date.now() + this.timeoutMs;
    // What is left of the call's time, for the next request; at least 1 ms (0 means "default").
    const timeout = () => Math.max(1, Math.floor(deadline - Date.now()));
    try {
      return await run(timeout);
    } catch (error) {
      return errorOutcome(error, step);
    }
  }

  /** Step 1, made or replayed: the charge's PaymentIntent as it was made. */
  private intent(timeout: () => number) {
    const { chargeId, amount, currency, captureMethod } = this.charge;
    return this.stripe.paymentIntents.create(
      {
        amount,
        currency: currency.toLowerCase(),
        capture_method: captureMethod,
        metadata: { charge_id: chargeId },
      },
      { idempotencyKey: `${chargeId}:intent`, timeout: timeout() },
    );
  }

  /** The charge's PaymentIntent as it is now. */
  private async find(timeout: () => number): Promise<Stripe.PaymentIntent> {
    const made = await this.intent(timeout);
    const intent = await this.stripe.paymentIntents.retrieve(made.id, {}, { timeout: timeout() });
    if (!isEmpty(intent)) return intent;
    // Empty: never confirmed, or step 1 made anew because Stripe forgot the key after 24 hours.
    // Search is eventually consistent, which is enough for an intent that is a day old.
    const query = `metadata['charge_id']:'${this.charge.chargeId.replace(/['\\]/g, "\\$&")}'`;
    const found = await this.stripe.paymentIntents.search({ query }, { timeout: timeout() });
    return found.data.find((other) => other.id !== intent.id && !isEmpty(other)) ?? intent;
  }

  private notThisCharge(): ProviderOutcome {
    const message = "This Stripe provider was made for another charge; nothing was sent.";
    return { type: "failed", code: "provider_rejected", message };
  }
}

/**
 * A provider for one charge at Stripe.
 *
 * @example
 * const provider = stripeProvider({
 *   apiKey: env.STRIPE_SECRET_KEY,
 *   fetcher: env.STRIPE_UPSTREAM ?? { fetch },
 *   timeoutMs: upstreamTimeoutMs(env),
 *   charge: { chargeId: "pay_…_ch1", amount: 1050, currency: "EUR", captureMethod: "automatic" },
 * });
 * await provider.authorize({ chargeId: "pay_…_ch1", paymentMethod: { type: "card", card }, … });
 * // { type: "succeeded" }
 */
export function stripeProvider(options: StripeProviderOptions): Provider {
  return new StripeProvider(options);
}
