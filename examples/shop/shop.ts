/**
 * The example shop: a merchant doing HSRC's checkout flow with `edge-checkout/client`.
 *
 *   GET  /             the product, and a Buy button (a form)
 *   POST /buy          an order, its checkout session (idempotent by order), 303 to the hosted page
 *   GET  /return       the payer is back: the outcome as the API answers it, never as the URL says
 *   POST /webhooks     verified, deduplicated by webhook-id, matched by payment id and request id
 *   GET  /orders/:id   the order as the shop recorded it (JSON, for the demo and its test)
 *   GET  /style.css    the one stylesheet
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  ApiError,
  type CheckoutSession,
  ConnectionError,
  type EdgeCheckout,
  EdgeCheckoutError,
  type Payment,
  RateLimitError,
  verifyWebhook,
  type WebhookEvent,
  WebhookVerificationError,
} from "edge-checkout/client";
import { type Order, Orders, statusAfter, type Trace } from "./orders.ts";
import {
  type Checked,
  messagePage,
  PRODUCT,
  productPage,
  returnPage,
  type Verdict,
} from "./pages.ts";

export interface ShopOptions {
  client: EdgeCheckout;
  /** The service's base URL: its origin is where Buy sends the payer (CSP `form-action`). */
  serviceUrl: string;
  port: number;
  /** 127.0.0.1 unless given. */
  host?: string;
  /** How the payer's browser and the service reach the shop; `http://<host>:<port>` unless given. */
  publicUrl?: string | undefined;
  /** How long to wait for the service at startup (it may still be starting); 60 s by default. */
  waitSeconds?: number;
  log?: (line: string) => void;
}

export interface RunningShop {
  origin: string;
  webhookEndpointId: string;
  close(): Promise<void>;
}

const STYLESHEET = readFileSync(new URL("./style.css", import.meta.url), "utf8");

class TooLarge extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TooLarge(`body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The way in to the hosted page, exactly as README and HSRC's guide write it. */
const payerLink = (session: CheckoutSession): string | null =>
  session.url === null || session.token === null
    ? null
    : `${session.url}?token=${encodeURIComponent(session.token)}`;

/** Decides what the return page says, from the session and the payment as the API answers. */
function verdictOf(session: CheckoutSession, payment: Payment | null, order: Order): Verdict {
  const settled = payment?.status === "SUCCEEDED" || payment?.status === "AUTHORIZED";
  if (payment !== null && settled) {
    if (payment.amount === order.amount && payment.currency === order.currency) {
      return { kind: "paid" };
    }
    return {
      kind: "failed",
      message: "The payment does not match this order; we will be in touch.",
    };
  }
  if (session.status === "FAILED" || payment?.status === "FAILED") {
    return { kind: "failed", message: payment?.last_error?.message ?? null };
  }
  if (session.status === "EXPIRED") return { kind: "expired" };
  if (session.status === "CANCELLED") return { kind: "cancelled" };
  if (session.status === "PENDING") {
    const continueUrl = payerLink(session);
    if (payment?.status === "REQUIRES_PAYMENT_METHOD" && payment.last_error !== null) {
      return { kind: "declined", message: payment.last_error.message, continueUrl };
    }
    return { kind: "unpaid", continueUrl };
  }
  // PROCESSING (a provider call in flight, or the bank's check), or COMPLETED a moment before
  // the payment reads so.
  return { kind: "processing" };
}

class Shop {
  readonly orders = new Orders();
  readonly #client: EdgeCheckout;
  readonly #origin: string;
  readonly #serviceOrigin: string;
  readonly #log: (line: string) => void;
  /** The webhook ids already applied: a redelivery (same `webhook-id`) changes nothing. */
  readonly #applied = new Set<string>();
  /** Shown only when the endpoint is created or its secret rotated: kept in memory only. */
  #secret: string | null = null;
  /** Webhooks are applied one at a time, so a delivery and its duplicate never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    client: EdgeCheckout,
    origin: string,
    serviceUrl: string,
    log: (line: string) => void,
  ) {
    this.#client = client;
    this.#origin = origin;
    this.#serviceOrigin = new URL(serviceUrl).origin;
    this.#log = log;
  }

  // ---- startup: the webhook endpoint ---------------------------------------------------------

  /**
   * Registers `<origin>/webhooks` with the service, or reuses the endpoint the service already
   * has for it (from this shop's last run). A secret is shown only at creation and on rotation,
   * so a reused endpoint gets a fresh one now, the old one ending at once (it died with the last
   * run's memory). Duplicates for the same URL are deleted: each would sign with its own secret.
   */
  async registerWebhookEndpoint(waitSeconds: number): Promise<string> {
    const url = `${this.#origin}/webhooks`;
    const deadline = Date.now() + waitSeconds * 1000;
    let endpoints: Awaited<ReturnType<EdgeCheckout["webhookEndpoints"]["list"]>>;
    for (;;) {
      try {
        endpoints = await this.#client.webhookEndpoints.list();
        break;
      } catch (error) {
        if (!(error instanceof ConnectionError) || Date.now() > deadline) throw error;
        this.#log(
          `waiting for edge-checkout at ${this.#serviceOrigin} (is \`npm start\` running?)`,
        );
        await sleep(2000);
      }
    }
    const [existing, ...extra] = endpoints.data.filter((endpoint) => endpoint.url === url);
    for (const duplicate of extra) {
      await this.#client.webhookEndpoints.delete(duplicate.id);
      this.#log(`deleted a duplicate webhook endpoint ${duplicate.id} for ${url}`);
    }
    if (existing === undefined) {
      const created = await this.#client.webhookEndpoints.create({ url });
      this.#secret = created.secret;
      this.#log(`registered webhook endpoint ${created.id} for ${url}`);
      return created.id;
    }
    if (existing.status === "disabled") {
      await this.#client.webhookEndpoints.enable(existing.id);
      this.#log(
        `enabled webhook endpoint ${existing.id} (${existing.disabled_reason ?? "disabled"})`,
      );
    }
    const rotated = await this.#client.webhookEndpoints.rotateSecret(existing.id, {
      overlap_seconds: 0,
    });
    this.#secret = rotated.secret;
    this.#log(`reusing webhook endpoint ${existing.id} for ${url}, with a rotated secret`);
    return existing.id;
  }

  // ---- requests ------------------------------------------------------------------------------

  /** Answers one request; never rejects (a failure is logged and answered 500). */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", this.#origin);
    const route = `${request.method} ${url.pathname}`;
    try {
      if (route === "GET /") return this.#page(response, 200, productPage());
      if (route === "GET /style.css") return this.#send(response, 200, "text/css", STYLESHEET);
      if (route === "POST /buy") return await this.#buy(request, response);
      if (route === "GET /return") return await this.#return(url, response);
      if (route === "POST /webhooks") return await this.#webhook(request, response);
      const order = /^\/orders\/([\w-]+)$/.exec(url.pathname)?.[1];
      if (request.method === "GET" && order !== undefined) return this.#orderJson(order, response);
      const known = ["/", "/style.css", "/buy", "/return", "/webhooks"].includes(url.pathname);
      if (known) return this.#send(response, 405, "text/plain", "method not allowed");
      return this.#page(response, 404, messagePage("Page not found", "There is nothing here."));
    } catch (error) {
      if (error instanceof TooLarge) return this.#send(response, 413, "text/plain", "too large");
      this.#log(
        `${route} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`,
      );
      if (response.headersSent) {
        response.end();
        return;
      }
      if (route === "POST /webhooks") return this.#send(response, 500, "text/plain", "error");
      const text =
        error instanceof EdgeCheckoutError
          ? "The payment service did not answer as expected. Nothing was charged twice: try again in a moment."
          : "Something went wrong on our side. Try again in a moment.";
      return this.#page(response, 502, messagePage("Something went wrong", text));
    }
  }

  /** `POST /buy`: an order, its checkout session, and the payer sent to the hosted page. */
  async #buy(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The shop's own form only. Its pages say `Referrer-Policy: no-referrer`, under which the
    // browser sends `Origin: null` on a POST, so the fetch metadata header decides.
    const site = request.headers["sec-fetch-site"];
    const origin = request.headers.origin;
    const ours =
      site === undefined
        ? origin === undefined || origin === this.#origin
        : site === "same-origin" || site === "none";
    if (!ours)
      return this.#page(response, 403, messagePage("Not allowed", "Buy from our own page."));
    const form = new URLSearchParams(await readBody(request, 4096));
    if (form.get("product") !== PRODUCT.id) {
      return this.#page(response, 400, messagePage("No such product", "Pick one from the shop."));
    }
    const order = this.orders.create({
      product: PRODUCT.name,
      amount: PRODUCT.amount,
      currency: PRODUCT.currency,
    });
    const session = await this.#createSession(order);
    this.orders.linkSession(order, session.id);
    if (session.payment !== null) this.orders.linkPayment(order, session.payment.id);
    const link = payerLink(session);
    if (link === null) throw new Error(`session ${session.id} answered without url or token`);
    this.#log(
      `order ${order.id}: checkout session ${session.id} (request ${order.createRequestId})`,
    );
    response.writeHead(303, { ...this.#headers("text/plain"), location: link });
    response.end();
  }

  /**
   * The session for an order, under an idempotency key derived from the order: when the answer
   * is lost (no connection, a 5xx, a 429), the same create again answers the same session.
   */
  async #createSession(order: Order): Promise<CheckoutSession> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#client.checkoutSessions.create(
          {
            amount: order.amount,
            currency: order.currency,
            return_url: `${this.#origin}/return`,
            metadata: { order_id: order.id },
            line_items: [{ name: order.product, quantity: 1, unit_amount: order.amount }],
          },
          { idempotencyKey: order.idempotencyKey, requestId: order.createRequestId },
        );
      } catch (error) {
        const again =
          error instanceof ConnectionError ||
          error instanceof ApiError ||
          error instanceof RateLimitError;
        if (!again || attempt === 3) throw error;
        const wait = error instanceof RateLimitError ? (error.retryAfter ?? 1) * 1000 : 500;
        this.#log(`order ${order.id}: create failed (${error.code}), retrying with the same key`);
        await sleep(Math.min(wait, 5000));
      }
    }
  }

  /**
   * `GET /return?session_id=…`: the query string only names which order to look up (ours, or
   * nothing is shown); what the page says comes from `GET /v1/payments/:id` and the session.
   */
  async #return(url: URL, response: ServerResponse): Promise<void> {
    const order = this.orders.bySession(url.searchParams.get("session_id") ?? "");
    if (order === undefined || order.sessionId === null) {
      const text =
        "This link names no order of ours. If you paid, your receipt has the order number.";
      return this.#page(response, 404, messagePage("We have no such order", text));
    }
    return this.#page(response, 200, returnPage(await this.#check(order, order.sessionId)));
  }

  async #check(order: Order, sessionId: string): Promise<Checked> {
    const session = await this.#client.checkoutSessions.retrieve(sessionId);
    if (session.metadata.order_id !== order.id) {
      throw new Error(`session ${sessionId} is not order ${order.id}'s`);
    }
    const paymentId = session.payment?.id ?? order.paymentId;
    if (paymentId !== null) this.orders.linkPayment(order, paymentId);
    // The verification itself: the payment as the payment service has it now.
    const payment = paymentId === null ? null : await this.#client.payments.retrieve(paymentId);
    if (payment !== null && payment.checkout_session_id !== sessionId) {
      throw new Error(`payment ${payment.id} is not session ${sessionId}'s`);
    }
    return {
      order,
      verdict: verdictOf(session, payment, order),
      paymentStatus: payment?.status ?? null,
      sessionStatus: session.status,
    };
  }

  // ---- webhooks ------------------------------------------------------------------------------

  /**
   * `POST /webhooks`: 2xx once the event is applied (or known already, or not ours), 400 for a
   * delivery that is not the service's, 5xx to have the service retry (not ready, or failed).
   */
  async #webhook(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const secret = this.#secret;
    if (secret === null) return this.#send(response, 503, "text/plain", "not ready");
    const body = await readBody(request, 1024 * 1024);
    let event: WebhookEvent;
    try {
      event = verifyWebhook(body, request.headers, secret);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      this.#log(`webhook refused: ${error.code}`);
      return this.#send(response, 400, "text/plain", error.code);
    }
    const outcome = await this.#serially(() => this.#apply(event));
    this.#send(response, 200, "application/json", JSON.stringify({ outcome }));
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(event: WebhookEvent): Promise<"applied" | "duplicate" | "ignored"> {
    const receivedAt = new Date().toISOString();
    // Matched by payment id (HSRC's guide); the first event of a payment links it by the
    // session the shop created, which the event names too.
    const order =
      (event.paymentId === null ? undefined : this.orders.byPayment(event.paymentId)) ??
      this.orders.bySession(event.checkoutSessionId);
    if (order === undefined || order.sessionId === null) {
      this.#log(`webhook ${event.id} ${event.type}: no order of ours, ignored`);
      return "ignored";
    }
    if (event.metadata.order_id !== order.id) {
      this.#log(
        `webhook ${event.id}: metadata.order_id ${event.metadata.order_id} is not ${order.id}, ignored`,
      );
      return "ignored";
    }
    const deliveries = this.orders.deliveries(order);
    if (this.#applied.has(event.id)) {
      deliveries.push({ webhookId: event.id, type: event.type, outcome: "duplicate", receivedAt });
      this.#log(
        `webhook ${event.id} ${event.type} for ${order.id}: delivered again, nothing to do`,
      );
      return "duplicate";
    }
    if (event.paymentId !== null) {
      if (order.paymentId !== null && order.paymentId !== event.paymentId) {
        this.#log(`webhook ${event.id}: payment ${event.paymentId} is not ${order.id}'s, ignored`);
        return "ignored";
      }
      this.orders.linkPayment(order, event.paymentId);
    }
    const { trace, journalSeq } = await this.#trace(order, order.sessionId, event.requestId);
    const how = {
      create_request: "the request that created the session",
      journal: `a later request, journal entry ${journalSeq}`,
      unmatched: "NOT FOUND in the session's journal",
    }[trace];
    this.#log(
      `webhook ${event.id} ${event.type} for ${order.id} (payment ${event.paymentId}): requestId ${event.requestId}; order created by ${order.createRequestId}; ${how}`,
    );
    const statusBefore = order.status;
    order.status = statusAfter(statusBefore, event.type);
    order.events.push({
      webhookId: event.id,
      type: event.type,
      requestId: event.requestId,
      trace,
      journalSeq,
      statusBefore,
      statusAfter: order.status,
      receivedAt,
    });
    order.updatedAt = receivedAt;
    deliveries.push({ webhookId: event.id, type: event.type, outcome: "applied", receivedAt });
    this.#applied.add(event.id);
    if (order.status !== statusBefore)
      this.#log(`order ${order.id}: ${statusBefore} → ${order.status}`);
    return "applied";
  }

  /**
   * The trace check: the event's `requestId` is the request that created the session, or one
   * the session's journal recorded after it (the payer's confirm, the bank's answer, a provider
   * answer, an alarm `alarm_…`).
   */
  async #trace(
    order: Order,
    sessionId: string,
    requestId: string | null,
  ): Promise<{ trace: Trace; journalSeq: number | null }> {
    if (requestId === order.createRequestId) return { trace: "create_request", journalSeq: null };
    if (requestId === null) return { trace: "unmatched", journalSeq: null };
    const journal = await this.#client.checkoutSessions.journal(sessionId);
    const created = journal.data.find((entry) => entry.request_id === order.createRequestId);
    const later = journal.data.find(
      (entry) => entry.request_id === requestId && created !== undefined && entry.seq > created.seq,
    );
    return later === undefined
      ? { trace: "unmatched", journalSeq: null }
      : { trace: "journal", journalSeq: later.seq };
  }

  // ---- answers -------------------------------------------------------------------------------

  #orderJson(id: string, response: ServerResponse): void {
    const order = this.orders.get(id);
    const body =
      order === undefined
        ? { error: "not_found" }
        : { order, deliveries: this.orders.deliveries(order) };
    const status = order === undefined ? 404 : 200;
    this.#send(response, status, "application/json", JSON.stringify(body, null, 2));
  }

  #headers(type: string): Record<string, string> {
    const page = type === "text/html";
    return {
      "content-type": `${type}; charset=utf-8`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      // No script at all; forms post to the shop, whose 303 goes on to the service's hosted
      // page: `form-action` governs that redirect too, so it names the service's origin.
      "content-security-policy": page
        ? `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${this.#serviceOrigin}; base-uri 'none'; frame-ancestors 'none'`
        : "default-src 'none'; frame-ancestors 'none'",
    };
  }

  #send(response: ServerResponse, status: number, type: string, body: string): void {
    response.writeHead(status, this.#headers(type));
    response.end(body);
  }

  #page(response: ServerResponse, status: number, body: string): void {
    this.#send(response, status, "text/html", body);
  }
}

/** Starts the shop: listens, registers its webhook endpoint, and answers once it is ready. */
export async function startShop(options: ShopOptions): Promise<RunningShop> {
  const log = options.log ?? ((line: string) => console.log(`[shop] ${line}`));
  const host = options.host ?? "127.0.0.1";
  let shop: Shop | undefined;
  const server = createServer((request, response) => {
    if (shop === undefined) {
      response.writeHead(503, { "content-type": "text/plain" });
      response.end("starting");
      return;
    }
    shop.handle(request, response).catch((error: unknown) => log(`unhandled: ${String(error)}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  const origin = (options.publicUrl ?? `http://${host}:${port}`).replace(/\/+$/, "");
  shop = new Shop(options.client, origin, options.serviceUrl, log);
  try {
    const webhookEndpointId = await shop.registerWebhookEndpoint(options.waitSeconds ?? 60);
    return { origin, webhookEndpointId, close };
  } catch (error) {
    await close();
    throw error;
  }
}
