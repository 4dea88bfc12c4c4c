/**
 * edge-checkout/client: a typed client for the checkout API and the verifier of its webhooks,
 * for any runtime with `fetch` (Node 18+, Workers, Deno, a browser's server side). It depends on
 * `standardwebhooks` alone; its declarations name no runtime's types.
 *
 * @example
 * import { EdgeCheckout, verifyWebhook } from "edge-checkout/client";
 */
export type { CheckoutSessions, Payments } from "./checkout-sessions.js";
export { EdgeCheckout, type EdgeCheckoutOptions } from "./edge-checkout.js";
export {
  ApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  EdgeCheckoutError,
  type EdgeCheckoutErrorInit,
  type FieldError,
  IdempotencyError,
  NotFoundError,
  PermissionError,
  type Problem,
  RateLimitError,
  ValidationError,
} from "./errors.js";
export type { MerchantAuditLog, MerchantKeys, MerchantSettings } from "./merchant.js";
export type * from "./merchant.types.js";
export type { Fetch, FetchInit, FetchResponse } from "./platform.js";
export type { CreateOptions, RequestOptions } from "./transport.js";
export type * from "./types.js";
export {
  verifyWebhook,
  type WebhookHeaders,
  type WebhookVerificationCode,
  WebhookVerificationError,
} from "./verify-webhook.js";
export type * from "./webhook.types.js";
export type { Events, WebhookEndpoints } from "./webhook-endpoints.js";
