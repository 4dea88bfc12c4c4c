/**
 * Webhook endpoints API: register a URL (the signing secret is shown once, here), list, read,
 * delete, rotate the secret with an overlap, and enable again after a 410 disabled it.
 */
import type { RouteModule } from "../app.js";
import { iso } from "../core/views.js";
import { authenticateMerchant } from "../merchants/merchants.js";
import { CreateWebhookEndpoint, RotateWebhookSecret } from "../schemas.js";
import {
  createEndpoint,
  deleteEndpoint,
  enableEndpoint,
  getEndpoint,
  listEndpoints,
  rotateSecret,
  type WebhookEndpoint,
} from "../webhooks/endpoints.js";
import { json, parseBody } from "./respond.js";

function endpointView(endpoint: WebhookEndpoint, now: number) {
  return {
    id: endpoint.id,
    object: "webhook_endpoint",
    url: endpoint.url,
    events: endpoint.events,
    status: endpoint.disabledAt === null ? "enabled" : "disabled",
    disabled_reason: endpoint.disabledReason,
    previous_secret_expires_at:
      endpoint.previousSecretExpiresAt !== null && endpoint.previousSecretExpiresAt > now
        ? iso(endpoint.previousSecretExpiresAt)
        : null,
    created_at: iso(endpoint.createdAt),
  };
}

export const webhookEndpointRoutes: RouteModule = (router) => {
  router.post("/v1/webhook-endpoints", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const params = await parseBody(request, CreateWebhookEndpoint);
    const now = Date.now();
    const { endpoint, secret } = await createEndpoint(env, merchant.id, params, now);
    return json({ webhook_endpoint: { ...endpointView(endpoint, now), secret } }, 201);
  });

  router.get("/v1/webhook-endpoints", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const now = Date.now();
    const endpoints = await listEndpoints(env, merchant.id);
    return json({ object: "list", data: endpoints.map((e) => endpointView(e, now)) });
  });

  router.get("/v1/webhook-endpoints/:id", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const endpoint = await getEndpoint(env, merchant.id, request.params.id ?? "");
    return json({ webhook_endpoint: endpointView(endpoint, Date.now()) });
  });

  router.delete("/v1/webhook-endpoints/:id", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const id = request.params.id ?? "";
    await deleteEndpoint(env, merchant.id, id);
    return json({ id, object: "webhook_endpoint", deleted: true });
  });

  router.post("/v1/webhook-endpoints/:id/rotate-secret", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const params = await parseBody(request, RotateWebhookSecret, { optional: true });
    const now = Date.now();
    const id = request.params.id ?? "";
    const { endpoint, secret } = await rotateSecret(
      env,
      merchant.id,
      id,
      params.overlap_seconds * 1000,
      now,
    );
    return json({ webhook_endpoint: { ...endpointView(endpoint, now), secret } });
  });

  router.post("/v1/webhook-endpoints/:id/enable", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const endpoint = await enableEndpoint(env, merchant.id, request.params.id ?? "");
    return json({ webhook_endpoint: endpointView(endpoint, Date.now()) });
  });
};
