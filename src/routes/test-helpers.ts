/**
 * Test helpers, for sandbox merchants only (a merchant whose providers are all sandbox ones):
 * what a merchant's own tests need instead of sleeping. Each goes through the session's object,
 * as the API does, and lands in its journal with the request's id.
 *
 * - `POST /v1/test_helpers/checkout-sessions/:id/advance_clock`: the session's clock moves
 *   forward (`{ "seconds": 3600 }`, or `{ "to": "expires_at" | "provider_deadline" |
 *   "next_deadline" }`) and whatever falls due by then happens at once: expiry, the provider
 *   watchdog, webhook attempts. The clock stays ahead for the rest of the session's life.
 * - `POST /v1/test_helpers/payments/:id/provider_answer`: the provider's answer for a charge
 *   (`{ "outcome": "succeeded" | "declined" | "failed", "charge_id"? }`) arrives now, however
 *   late: after the watchdog gave up on it, or after the session closed (`paid_after_close`).
 * - `POST /v1/test_helpers/webhook-endpoints/:id/trigger`: one sample event of `{ "type" }`,
 *   signed and sent to that endpoint now, once, with the answer it got (src/webhooks/sample-event.ts).
 */
import type { RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { ProblemError } from "../errors.js";
import { sessionStub } from "../ids.js";
import { authenticateMerchant, type Merchant } from "../merchants/merchants.js";
import { ProviderAnswer, TestClockAdvance, TriggerEvent } from "../schemas.js";
import { deliveryTargets, getEndpoint } from "../webhooks/endpoints.js";
import { sampleEvent } from "../webhooks/sample-event.js";
import { DEFAULT_WEBHOOK_TIMEOUT_MS, send } from "../webhooks/send.js";
import { json, parseBody } from "./respond.js";

function sandboxOnly(merchant: Merchant): void {
  if (!merchant.sandbox) {
    throw new ProblemError(
      403,
      "sandbox_only",
      "Test helpers work for sandbox merchants only (every provider a sandbox one).",
    );
  }
}

export const testHelperRoutes: RouteModule = (router) => {
  router.post("/v1/test_helpers/checkout-sessions/:id/advance_clock", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    sandboxOnly(merchant);
    const advance = await parseBody(request, TestClockAdvance);
    const stub = sessionStub(env, request.params.id ?? "");
    return json(unwrap(await stub.advanceClock(merchant.id, advance, request.requestId)));
  });

  router.post("/v1/test_helpers/payments/:id/provider_answer", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    sandboxOnly(merchant);
    const answer = await parseBody(request, ProviderAnswer);
    const stub = sessionStub(env, request.params.id ?? "", "payment");
    return json({
      payment: unwrap(await stub.providerAnswer(merchant.id, answer, request.requestId)),
    });
  });

  router.post("/v1/test_helpers/webhook-endpoints/:id/trigger", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    sandboxOnly(merchant);
    const { type } = await parseBody(request, TriggerEvent);
    const id = request.params.id ?? "";
    const target = (await deliveryTargets(env, merchant.id, Date.now())).find((t) => t.id === id);
    if (target === undefined) {
      // Not among the endpoints that receive events: none of this merchant's, or disabled.
      const endpoint = await getEndpoint(env, merchant.id, id);
      const message = `The endpoint is disabled (${endpoint.disabledReason ?? "by you"}): enable it first.`;
      throw new ProblemError(409, "endpoint_disabled", message);
    }
    const { event, body } = sampleEvent(type, merchant, new URL(request.url).origin, Date.now());
    const timeoutMs = Number(env.WEBHOOK_TIMEOUT_MS ?? DEFAULT_WEBHOOK_TIMEOUT_MS);
    const result = await send(target, { id: event.id, body }, timeoutMs);
    return json({
      event: { id: event.id, type: event.type, body: JSON.parse(body) },
      attempt: {
        endpoint_id: target.id,
        status_code: result.statusCode,
        latency_ms: result.latencyMs,
        error: result.error,
      },
    });
  });
};
