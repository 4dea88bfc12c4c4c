/** `client.merchant`: the merchant's own settings, its secret key and its audit log. */
import type {
  AuditLogEntry,
  ListAuditLogParams,
  Merchant,
  RolledKey,
  RollKeyParams,
  UpdateMerchantParams,
} from "./merchant.types.js";
import { pages } from "./pagination.js";
import { type RequestOptions, send, type TransportConfig } from "./transport.js";
import type { Page } from "./types.js";

export class MerchantKeys {
  // A private field, so that logging the client never prints its secret key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /**
   * `POST /v1/merchant/keys/roll`: a new secret key, shown only here. The key this client holds
   * keeps working until `previous_key_expires_at`; make a new client with the new key.
   */
  roll(params?: RollKeyParams, options?: RequestOptions): Promise<RolledKey> {
    return send(this.#config, {
      method: "POST",
      path: "/v1/merchant/keys/roll",
      body: params,
      options,
    });
  }
}

export class MerchantAuditLog {
  // A private field, so that logging the client never prints its secret key.
  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
  }

  /** `GET /v1/merchant/audit-log`: one page, newest first. */
  list(params: ListAuditLogParams = {}, options?: RequestOptions): Promise<Page<AuditLogEntry>> {
    const path = "/v1/merchant/audit-log";
    return send(this.#config, { method: "GET", path, query: { ...params }, options });
  }

  /** Every page of `list(params)`, from `params.cursor` on. */
  pages(params: ListAuditLogParams = {}, options?: RequestOptions) {
    return pages((cursor) => this.list({ ...params, cursor }, options), params.cursor);
  }
}

export class MerchantSettings {
  readonly keys: MerchantKeys;
  readonly auditLog: MerchantAuditLog;

  readonly #config: TransportConfig;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.keys = new MerchantKeys(config);
    this.auditLog = new MerchantAuditLog(config);
  }

  /** `GET /v1/merchant`: the settings. */
  async retrieve(options?: RequestOptions): Promise<Merchant> {
    const call = { method: "GET", path: "/v1/merchant", options } as const;
    return (await send<{ merchant: Merchant }>(this.#config, call)).merchant;
  }

  /**
   * `PATCH /v1/merchant`: any subset of the settings (audited); new sessions use them at once.
   *
   * @example
   * await client.merchant.update({ brand_color: "#0a7d38", support_url: null });
   */
  async update(params: UpdateMerchantParams, options?: RequestOptions): Promise<Merchant> {
    const call = { method: "PATCH", path: "/v1/merchant", body: params, options } as const;
    return (await send<{ merchant: Merchant }>(this.#config, call)).merchant;
  }
}
