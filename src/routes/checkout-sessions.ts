/**
 * Checkout API: the merchant's routes (Bearer secret key) and the payer's routes (the token is
 * the capability; no merchant key, and a token opens exactly one session and no merchant route).
 */

import type { RouteModule } from "../app.js";
import { ProblemError, validationProblem } from "../errors.js";
import { sessionOfToken, sessionStub } from "../ids.js";
import { authenticateMerchant, sha256Hex } from "../merchants.js";
import { challengeReturnResponse } from "../pages/message-page.js";
import {
  ConfirmCheckoutSession,
  CreateCheckoutSession,
  IDEMPOTENCY_KEY,
  ListCheckoutSessions,
} from "../schemas.js";
import { listSessions } from "../session-index.js";
import type { SessionSpec } from "../session-object.js";
import { DEFAULT_PAYER_FIELDS } from "../views.js";
import { json, parseBody, unwrap } from "./respond.js";

/** The checkout API's create body as the spec every dialect's session is made from. */
function checkoutSpec(params: CreateCheckoutSession): SessionSpec {
  return {
    amount: params.amount,
    currency: params.currency,
    expiresIn: params.expires_in,
    returnUrl: params.return_url,
    cancelUrl: params.cancel_url ?? null,
    metadata: params.metadata,
    captureMethod: params.capture_method,
    secureMode: params.secure_mode,
    customer: params.customer ?? null,
    lineItems: params.line_items ?? null,
    customFields: params.custom_fields,
    ...(params.payer_fields && {
      payerFields: { ...DEFAULT_PAYER_FIELDS, ...params.payer_fields },
    }),
  };
}

/** The session's object: named by (merchant, key) when the request is idempotent, else fresh. */
function newSessionObject(env: Env, merchantId: string, idempotencyKey: string | null) {
  const ns = env.CHECKOUT_SESSIONS;
  return ns.get(
    idempotencyKey === null ? ns.newUniqueId() : ns.idFromName(`${merchantId}:${idempotencyKey}`),
  );
}

export const checkoutSessionRoutes: RouteModule = (router) => {
  router.post("/v1/checkout-sessions", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const key = request.headers.get("idempotency-key");
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      throw new ProblemError(
        422,
        "invalid_idempotency_key",
        "Idempotency-Key must be 1-255 visible ASCII characters.",
      );
    }
    const params = await parseBody(request, CreateCheckoutSession);
    if (merchant.allowedOrigins.length > 0) {
      for (const field of ["return_url", "cancel_url"] as const) {
        const url = params[field];
        if (url !== undefined && !merchant.allowedOrigins.includes(new URL(url).origin)) {
          throw new ProblemError(
            422,
            "redirect_url_not_allowed",
            `${field} is not on one of your allowed origins.`,
            [{ field, message: `Allowed origins: ${merchant.allowedOrigins.join(", ")}.` }],
          );
        }
      }
    }
    const stub = newSessionObject(env, merchant.id, key);
    const created = unwrap(
      await stub.create({
        merchant,
        spec: checkoutSpec(params),
        fingerprint: await sha256Hex(JSON.stringify(params)),
        origin: new URL(request.url).origin,
        requestId: request.requestId,
      }),
    );
    return json(created.body, created.status);
  });

  router.get("/v1/checkout-sessions", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const query = ListCheckoutSessions.safeParse(request.query);
    if (!query.success) throw validationProblem(query.error, "The query is not valid.");
    const { status, created_gte, created_lte, limit, cursor } = query.data;
    const page = await listSessions(env.DB, merchant.id, {
      status,
      createdGte: created_gte,
      createdLte: created_lte,
      limit,
      cursor,
    });
    return json({ object: "list", data: page.data, next_cursor: page.nextCursor });
  });

  router.get("/v1/checkout-sessions/token/:token", async (request, env) => {
    const id = await sessionOfToken(env, request.params.token ?? "");
    return json({ checkout_session: unwrap(await sessionStub(env, id).open(request.requestId)) });
  });

  router.post("/v1/checkout-sessions/token/:token/confirm", async (request, env) => {
    const id = await sessionOfToken(env, request.params.token ?? "");
    const params = await parseBody(request, ConfirmCheckoutSession);
    return json(unwrap(await sessionStub(env, id).confirm(params, request.requestId)));
  });

  // The payer leaves without paying: the session is cancelled; `redirect_url` is the way back.
  router.post("/v1/checkout-sessions/token/:token/exit", async (request, env) => {
    const id = await sessionOfToken(env, request.params.token ?? "");
    return json(unwrap(await sessionStub(env, id).exit(request.requestId)));
  });

  router.get("/v1/checkout-sessions/challenge-return", async (request, env) => {
    const chargeId = typeof request.query.charge_id === "string" ? request.query.charge_id : "";
    const result = unwrap(
      await sessionStub(env, chargeId, "charge").challengeReturned(chargeId, request.requestId),
    );
    // A page, not a bare 303, when a redirect would be blocked: see challengeReturnResponse.
    return challengeReturnResponse(request, env, chargeId, result.redirect);
  });

  router.get("/v1/checkout-sessions/:id", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const stub = sessionStub(env, request.params.id ?? "");
    return json({ checkout_session: unwrap(await stub.retrieve(merchant.id)) });
  });

  router.get("/v1/checkout-sessions/:id/journal", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const stub = sessionStub(env, request.params.id ?? "");
    return json({ object: "list", data: unwrap(await stub.journal(merchant.id)) });
  });

  router.post("/v1/checkout-sessions/:id/cancel", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const stub = sessionStub(env, request.params.id ?? "");
    return json({ checkout_session: unwrap(await stub.cancel(merchant.id, request.requestId)) });
  });
};
