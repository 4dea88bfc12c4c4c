/** Payments API: a payment with its charges, and the capture of an authorized one. */
import type { RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { sessionStub } from "../ids.js";
import { authenticateMerchant } from "../merchants/merchants.js";
import { json } from "./respond.js";

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
};
