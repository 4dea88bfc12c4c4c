/** Payments API: a payment with its charges, the capture of an authorized one, and refunds. */
import type { RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { ProblemError } from "../errors.js";
import { sessionStub } from "../ids.js";
import { authenticateMerchant, sha256Hex } from "../merchants/merchants.js";
import { CreateRefund, IDEMPOTENCY_KEY } from "../schemas.js";
import { json, parseBody } from "./respond.js";

/**
 * The refund's id: from the Idempotency-Key (so a retry names the same refund), else random.
 * Scoped to the payment, so two payments' keys never meet.
 */
async function refundIdOf(paymentId: string, key: string | null): Promise<string> {
  const seed = key === null ? crypto.randomUUID() : `${paymentId}:${key}`;
  return `re_${(await sha256Hex(seed)).slice(0, 32)}`;
}

export const paymentRoutes: RouteModule = (router) => {
  router.get("/v1/payments/:id", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const stub = sessionStub(env, request.params.id ?? "", "payment");
    return json({ payment: unwrap(await stub.retrievePayment(merchant.id)) });
  });

  router.post("/v1/payments/:id/capture", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const stub = sessionStub(env, request.params.id ?? "", "payment");
    return json({ payment: unwrap(await stub.capture(merchant.id, request.requestId)) });
  });

  router.post("/v1/payments/:id/refunds", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const key = request.headers.get("idempotency-key");
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      const message = "Idempotency-Key must be 1-255 visible ASCII characters.";
      throw new ProblemError(422, "invalid_idempotency_key", message);
    }
    const params = await parseBody(request, CreateRefund, { optional: true });
    const paymentId = request.params.id ?? "";
    const stub = sessionStub(env, paymentId, "payment");
    const refundId = await refundIdOf(paymentId, key);
    const { status, refund } = unwrap(
      await stub.refund(merchant.id, { ...params, refundId }, request.requestId),
    );
    return json({ refund }, status);
  });

  router.get("/v1/payments/:id/refunds", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const stub = sessionStub(env, request.params.id ?? "", "payment");
    return json({ object: "list", data: unwrap(await stub.refunds(merchant.id)) });
  });
};
