/** The client: one object per secret key, with a property per resource of the checkout API. */
import { CheckoutSessions, Payments } from "./checkout-sessions.js";
import { MerchantSettings } from "./merchant.js";
import { type Fetch, globalFetch } from "./platform.js";
import { Events, WebhookEndpoints } from "./webhook-endpoints.js";

export interface EdgeCheckoutOptions {
  /** `sk_test_…` or `sk_live_…`, sent as `Authorization: Bearer …`. */
  secretKey: string;
  /** The service's origin (and path prefix, if any), e.g. `https://checkout.example`. */
  baseUrl: string;
  /** The global `fetch` unless given: a service binding's, a test's, an instrumented one. */
  fetch?: Fetch;
}

/**
 * The checkout API for one merchant.
 *
 * @example
 * import { EdgeCheckout } from "edge-checkout/client";
 *
 * const client = new EdgeCheckout({ secretKey: "sk_test_sandbox", baseUrl: "http://127.0.0.1:8787" });
 * const session = await client.checkoutSessions.create({
 *   amount: 1050,
 *   currency: "EUR",
 *   return_url: "https://shop.example/return",
 * });
 */
export class EdgeCheckout {
  readonly checkoutSessions: CheckoutSessions;
  readonly payments: Payments;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly events: Events;
  readonly merchant: MerchantSettings;

  constructor(options: EdgeCheckoutOptions) {
    if (typeof options.secretKey !== "string" || options.secretKey === "") {
      throw new TypeError("EdgeCheckout needs a secretKey.");
    }
    if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(options.baseUrl ?? "")) {
      throw new TypeError(
        `baseUrl must be an absolute http(s) URL, not ${String(options.baseUrl)}.`,
      );
    }
    const config = {
      secretKey: options.secretKey,
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      fetch: options.fetch ?? globalFetch(),
    };
    this.checkoutSessions = new CheckoutSessions(config);
    this.payments = new Payments(config);
    this.webhookEndpoints = new WebhookEndpoints(config);
    this.events = new Events(config);
    this.merchant = new MerchantSettings(config);
  }
}
