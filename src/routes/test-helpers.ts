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
 */
import type { RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { ProblemError } from "../errors.js";
import { sessionStub } from "../ids.js";
import { authenticateMerchant, type Merchant } from "../merchants/merchants.js";
import { ProviderAnswer, TestClockAdvance } from "../schemas.js";
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
};
