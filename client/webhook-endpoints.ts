/** `client.webhookEndpoints` and `client.events`: where webhooks go, and what was sent. */
import { pages } from "./pagination.js";
import { type RequestOptions, segment, send, type TransportConfig } from "./transport.js";
import type { List, Page } from "./types.js";
import type {
  CreateWebhookEndpointParams,
  DeletedWebhookEndpoint,
  Event,
  EventWithData,
  ListEventsParams,
  RedeliverEventParams,
  RotateWebhookSecretParams,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "./webhook.types.js";

type Wrapped<T> = { webhook_endpoint: T };

export class WebhookEndpoints {
  // A private field, so that logging the client never prints its secret key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /**
   * `POST /v1/webhook-endpoints` (at most 16 per merchant). Keep the answer's `secret`: it is
   * shown only here and on rotation, and `verifyWebhook` needs it.
   */
  async create(
    params: CreateWebhookEndpointParams,
    options?: RequestOptions,
  ): Promise<WebhookEndpointWithSecret> {
    const call = { method: "POST", path: "/v1/webhook-endpoints", body: params, options } as const;
    return (await send<Wrapped<WebhookEndpointWithSecret>>(this.#config, call)).webhook_endpoint;
  }

  /** `GET /v1/webhook-endpoints`: every endpoint (no secrets). */
  list(options?: RequestOptions): Promise<List<WebhookEndpoint>> {
    return send(this.#config, { method: "GET", path: "/v1/webhook-endpoints", options });
  }

  /** `GET /v1/webhook-endpoints/:id`. */
  async retrieve(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    const path = `/v1/webhook-endpoints/${segment(id)}`;
    return (await send<Wrapped<WebhookEndpoint>>(this.#config, { method: "GET", path, options }))
      .webhook_endpoint;
  }

  /** `DELETE /v1/webhook-endpoints/:id`. */
  delete(id: string, options?: RequestOptions): Promise<DeletedWebhookEndpoint> {
    const path = `/v1/webhook-endpoints/${segment(id)}`;
    return send(this.#config, { method: "DELETE", path, options });
  }

  /**
   * `POST /v1/webhook-endpoints/:id/rotate-secret`: a new secret; the old one keeps signing
   * beside it for `overlap_seconds` (24 h by default), so pass both to `verifyWebhook` meanwhile.
   */
  async rotateSecret(
    id: string,
    params?: RotateWebhookSecretParams,
    options?: RequestOptions,
  ): Promise<WebhookEndpointWithSecret> {
    const path = `/v1/webhook-endpoints/${segment(id)}/rotate-secret`;
    const call = { method: "POST", path, body: params, options } as const;
    return (await send<Wrapped<WebhookEndpointWithSecret>>(this.#config, call)).webhook_endpoint;
  }

  /** `POST /v1/webhook-endpoints/:id/enable`: delivery on again after it was disabled. */
  async enable(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    const path = `/v1/webhook-endpoints/${segment(id)}/enable`;
    return (await send<Wrapped<WebhookEndpoint>>(this.#config, { method: "POST", path, options }))
      .webhook_endpoint;
  }
}

export class Events {
  // A private field, so that logging the client never prints its secret key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /** `GET /v1/events`: one page, newest first, each event with its delivery attempts. */
  list(params: ListEventsParams = {}, options?: RequestOptions): Promise<Page<Event>> {
    return send(this.#config, { method: "GET", path: "/v1/events", query: { ...params }, options });
  }

  /** Every page of `list(params)`, from `params.cursor` on. */
  pages(params: ListEventsParams = {}, options?: RequestOptions) {
    return pages((cursor) => this.list({ ...params, cursor }, options), params.cursor);
  }

  /** `GET /v1/events/:id`: the event with the `data` it is sent with. */
  async retrieve(id: string, options?: RequestOptions): Promise<EventWithData> {
    const path = `/v1/events/${segment(id)}`;
    return (await send<{ event: EventWithData }>(this.#config, { method: "GET", path, options }))
      .event;
  }

  /**
   * `POST /v1/events/:id/redeliver`: sends the event again now (same `webhook-id`), to
   * `params.endpoint_id` alone or to every endpoint subscribed to it.
   */
  async redeliver(
    id: string,
    params?: RedeliverEventParams,
    options?: RequestOptions,
  ): Promise<Event> {
    const path = `/v1/events/${segment(id)}/redeliver`;
    const call = { method: "POST", path, body: params, options } as const;
    return (await send<{ event: Event }>(this.#config, call)).event;
  }
}
