/** `client.checkoutSessions` and `client.payments`: the sessions and their payments. */
import { pages } from "./pagination.js";
import { randomUUID } from "./platform.js";
import {
  type CreateOptions,
  type RequestOptions,
  segment,
  send,
  type TransportConfig,
} from "./transport.js";
import type {
  CheckoutSession,
  CreateCheckoutSessionParams,
  CreateRefundParams,
  JournalEntry,
  List,
  ListCheckoutSessionsParams,
  Page,
  Payment,
  Refund,
} from "./types.js";

type Wrapped = { checkout_session: CheckoutSession };

export class CheckoutSessions {
  // A private field, so that logging the client never prints its secret key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /**
   * Creates a session (`POST /v1/checkout-sessions`), under an idempotency key: a fresh UUID
   * unless `options.idempotencyKey` gives one, so a retry with that key answers the same session.
   *
   * @example
   * const session = await client.checkoutSessions.create(
   *   { amount: 1050, currency: "EUR", return_url: "https://shop.example/return" },
   *   { idempotencyKey: `order-${orderId}` },
   * );
   * redirect(`${session.url}?token=${session.token}`);
   */
  async create(
    params: CreateCheckoutSessionParams,
    options: CreateOptions = {},
  ): Promise<CheckoutSession> {
    const { idempotencyKey = randomUUID(), ...rest } = options;
    const answer = await send<Wrapped>(this.#config, {
      method: "POST",
      path: "/v1/checkout-sessions",
      body: params,
      headers: { "idempotency-key": idempotencyKey },
      options: rest,
    });
    return answer.checkout_session;
  }

  /** `GET /v1/checkout-sessions/:id`: the session with its payment and charges. */
  async retrieve(id: string, options?: RequestOptions): Promise<CheckoutSession> {
    const path = `/v1/checkout-sessions/${segment(id)}`;
    return (await send<Wrapped>(this.#config, { method: "GET", path, options })).checkout_session;
  }

  /** `GET /v1/checkout-sessions`: one page, newest first (the D1 index, a moment behind). */
  list(
    params: ListCheckoutSessionsParams = {},
    options?: RequestOptions,
  ): Promise<Page<CheckoutSession>> {
    const path = "/v1/checkout-sessions";
    return send(this.#config, { method: "GET", path, query: { ...params }, options });
  }

  /** Every page of `list(params)`, from `params.cursor` on. */
  pages(params: ListCheckoutSessionsParams = {}, options?: RequestOptions) {
    return pages((cursor) => this.list({ ...params, cursor }, options), params.cursor);
  }

  /** `POST /v1/checkout-sessions/:id/cancel`: a pending session, cancelled. */
  async cancel(id: string, options?: RequestOptions): Promise<CheckoutSession> {
    const path = `/v1/checkout-sessions/${segment(id)}/cancel`;
    return (await send<Wrapped>(this.#config, { method: "POST", path, options })).checkout_session;
  }

  /** `GET /v1/checkout-sessions/:id/journal`: every accepted event with its cause, in order. */
  journal(id: string, options?: RequestOptions): Promise<List<JournalEntry>> {
    const path = `/v1/checkout-sessions/${segment(id)}/journal`;
    return send(this.#config, { method: "GET", path, options });
  }
}

export class Payments {
  // A private field, so that logging the client never prints its secret key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /** `GET /v1/payments/:id`: the payment with its charges. */
  async retrieve(id: string, options?: RequestOptions): Promise<Payment> {
    const path = `/v1/payments/${segment(id)}`;
    return (await send<{ payment: Payment }>(this.#config, { method: "GET", path, options }))
      .payment;
  }

  /** `POST /v1/payments/:id/capture`: an authorized payment (`capture_method: "manual"`), captured. */
  async capture(id: string, options?: RequestOptions): Promise<Payment> {
    const path = `/v1/payments/${segment(id)}/capture`;
    return (await send<{ payment: Payment }>(this.#config, { method: "POST", path, options }))
      .payment;
  }

  /**
   * Refunds a paid payment (`POST /v1/payments/:id/refunds`), all that is left or `amount`,
   * under an idempotency key: a fresh UUID unless `options.idempotencyKey` gives one.
   *
   * @example
   * const refund = await client.payments.refund(paymentId, { amount: 500 }, { idempotencyKey: `refund-${orderId}` });
   * if (refund.status === "failed") console.log(refund.failure_message);
   */
  async refund(
    id: string,
    params: CreateRefundParams = {},
    options: CreateOptions = {},
  ): Promise<Refund> {
    const { idempotencyKey = randomUUID(), ...rest } = options;
    const answer = await send<{ refund: Refund }>(this.#config, {
      method: "POST",
      path: `/v1/payments/${segment(id)}/refunds`,
      body: params,
      headers: { "idempotency-key": idempotencyKey },
      options: rest,
    });
    return answer.refund;
  }

  /** `GET /v1/payments/:id/refunds`: every refund of the payment, oldest first. */
  async refunds(id: string, options?: RequestOptions): Promise<Refund[]> {
    const path = `/v1/payments/${segment(id)}/refunds`;
    return (await send<List<Refund>>(this.#config, { method: "GET", path, options })).data;
  }
}
