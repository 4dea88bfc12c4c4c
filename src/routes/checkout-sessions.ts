/**
 * Checkout API: the merchant's routes (Bearer secret key) and the payer's routes (the token is
 * the capability; no merchant key, and a token opens exactly one session and no merchant route).
 */

import * as z from "zod";
import type { RouteModule } from "../app.js";
import { DEFAULT_PAYER_FIELDS } from "../core/details.js";
import { urlPolicyErrors } from "../core/redirect-policy.js";
import { unwrap } from "../core/result.js";
import type { SessionSpec } from "../core/spec.js";
import { listSessions, type SessionIndexRow } from "../d1/sessions.js";
import { ProblemError } from "../errors.js";
import { payerToken, sessionOfToken, sessionStub } from "../ids.js";
import { authenticateMerchant, type Merchant, sha256Hex } from "../merchants/merchants.js";
import { challengeReturnResponse } from "../pages/message-page.js";
import { offeredPaymentMethods } from "../providers/payment-methods.js";
import { clientFacts } from "../risk/signals.js";
import {
  ConfirmCheckoutSession,
  CreateCheckoutSession,
  IDEMPOTENCY_KEY,
  ListCheckoutSessions,
  lineItemsTotal,
} from "../schemas.js";
import { json, parseBody, parseQuery } from "./respond.js";

/**
 * The checkout API's create body as the spec every dialect's session is made from. A merchant
 * that offers only one of card and bank transfer (`PATCH /v1/merchant`) restricts its sessions
 * to it; one that offers both takes any card and bank id, as it always has.
 */
function checkoutSpec(
  params: CreateCheckoutSession,
  merchant: Merchant,
  origin: string,
): SessionSpec {
  const restricted = !(["card", "bank_transfer"] as const).every((method) =>
    merchant.paymentMethods.includes(method),
  );
  return {
    ...(restricted && {
      paymentMethods: offeredPaymentMethods(merchant.paymentMethods, merchant, origin),
    }),
    amount: params.amount ?? lineItemsTotal(params.line_items ?? []),
    currency: params.currency,
    merchantUrl: params.url ?? null,
    expiresIn: params.expires_in,
    returnUrl: params.return_url,
    cancelUrl: params.cancel_url ?? null,
    metadata: params.metadata,
    captureMethod: params.capture_method,
    secureMode: params.secure_mode,
    customer: params.customer ?? null,
    lineItems: params.line_items ?? null,
    customFields: params.custom_fields,
    failureUrl: null,
    supportUrl: null,
    ...(params.locale && { locale: params.locale }),
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

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** A view the index stored is data from storage: parsed, never trusted as it stands. */
const StoredView = z.looseObject({
  id: z.string(),
  object: z.literal("checkout_session"),
  url: z.string().nullable(),
  token: z.null(),
});

/**
 * One listed session, the same object a retrieve answers: the view the index holds with the
 * payer's token (recomputed, never stored) while it is open; the object's own view for rows
 * written before the index kept views.
 */
async function listedSession(env: Env, merchantId: string, row: SessionIndexRow) {
  const raw = parseJson(row.view);
  const stored = StoredView.safeParse(raw);
  // The record keeps the stored keys in their order, a retrieve's (the object's parse puts its
  // own keys first).
  const record = z.record(z.string(), z.unknown()).safeParse(raw);
  if (stored.success && record.success) {
    const view = stored.data;
    return { ...record.data, token: view.url === null ? null : await payerToken(env, view.id) };
  }
  return unwrap(await sessionStub(env, row.id).retrieve(merchantId));
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
    const { url, return_url, cancel_url } = params;
    const refused = urlPolicyErrors({ url, return_url, cancel_url }, merchant);
    if (refused.length > 0) {
      throw new ProblemError(
        422,
        "redirect_url_not_allowed",
        "A URL is not one this merchant may send payers to.",
        refused,
      );
    }
    const stub = newSessionObject(env, merchant.id, key);
    const created = unwrap(
      await stub.create({
        merchant,
        spec: checkoutSpec(params, merchant, new URL(request.url).origin),
        fingerprint: await sha256Hex(JSON.stringify(params)),
        origin: new URL(request.url).origin,
        requestId: request.requestId,
      }),
    );
    return json(created.body, created.status);
  });

  router.get("/v1/checkout-sessions", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const { status, created_gte, created_lte, limit, cursor } = parseQuery(
      request,
      ListCheckoutSessions,
    );
    const page = await listSessions(env.DB, merchant.id, {
      status,
      createdGte: created_gte,
      createdLte: created_lte,
      limit,
      cursor,
    });
    const data = await Promise.all(page.data.map((row) => listedSession(env, merchant.id, row)));
    return json({ object: "list", data, next_cursor: page.nextCursor });
  });

  // The payer's token API is called from the merchant's own page (semi-hosted) on its origin:
  // CORS for any origin, without credentials, as the token in the path is the whole capability.
  router.options("/v1/checkout-sessions/token/*", () => {
    return new Response(null, {
      status: 204,
      headers: {
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": "content-type, request-id",
        "access-control-max-age": "600",
      },
    });
  });

  router.get("/v1/checkout-sessions/token/:token", async (request, env) => {
    const id = await sessionOfToken(env, request.params.token ?? "");
    return json({ checkout_session: unwrap(await sessionStub(env, id).open(request.requestId)) });
  });

  router.post("/v1/checkout-sessions/token/:token/confirm", async (request, env) => {
    const id = await sessionOfToken(env, request.params.token ?? "");
    const params = await parseBody(request, ConfirmCheckoutSession);
    const client = clientFacts(request);
    return json(unwrap(await sessionStub(env, id).confirm(params, client, request.requestId)));
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
