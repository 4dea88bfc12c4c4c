/**
 * StableMint dialect: a merchant integrated with the StableMint session API switches to us by
 * changing its base URL. Its sessions are the checkout API's sessions (same object, machine,
 * payer token, payments and webhooks); only the request, its signature and the answers differ.
 *
 * | route                          | answer                                                              |
 * |--------------------------------|---------------------------------------------------------------------|
 * | `POST /session/hosted`         | `{ url, expiresAt, reference }`                                     |
 * | `POST /session/embedded`       | `{ sessionId, expiresAt, allowedPaymentMethods, savedBanks, reference }` |
 * | `GET /banks/:bankId/logo.svg`  | a bank's logo, as `savedBanks[].logo` and the payer's view link it  |
 *
 * Order of checks: signing headers, clock and API key (401); the body is JSON (4xx); the
 * signature over its `userId` (401); the merchant's rate limit (429); then every field at once
 * (422 `validation_failed`).
 */
import * as z from "zod";
import type { AppRequest, RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { savedBanks } from "../d1/saved-banks.js";
import { amountLimits, type Flow, parseStablemintBody } from "../dialects/stablemint/body.js";
import { stablemintSpec } from "../dialects/stablemint/session.js";
import { stablemintCaller, verifySignature } from "../dialects/stablemint/signature.js";
import { notFound, ProblemError } from "../errors.js";
import { newStablemintSessionId, stablemintObjectId } from "../ids.js";
import { sha256Hex } from "../merchants/merchants.js";
import { bankLogoSvg, offeredPaymentMethods, SANDBOX_BANKS } from "../providers/payment-methods.js";
import { enforceRateLimit } from "../rate-limit.js";
import { json, parseBody } from "./respond.js";

/**
 * The session's object, named by its StableMint `sessionId` (src/ids.ts): random, or derived
 * from (merchant, idempotency key) so a retry lands on the same object. The `stablemint:` prefix
 * keeps these keys apart from the checkout API's `<merchant id>:<key>`.
 */
async function sessionObject(env: Env, merchantId: string, idempotencyKey: string | null) {
  const sessionId = await newStablemintSessionId(
    env,
    idempotencyKey === null ? null : `stablemint:${merchantId}:${idempotencyKey}`,
  );
  return { sessionId, stub: env.CHECKOUT_SESSIONS.get(stablemintObjectId(env, sessionId)) };
}

async function createSession(request: AppRequest, env: Env, flow: Flow): Promise<Response> {
  const caller = await stablemintCaller(request, env, Date.now());
  const raw = await parseBody(request, z.unknown());
  const userId =
    typeof raw === "object" && raw !== null && "userId" in raw && typeof raw.userId === "string"
      ? raw.userId
      : "";
  await verifySignature(env, caller, userId);
  // Counted only once signed: the `api_key` is public, so an unsigned request with it must not
  // spend its merchant's allowance (src/rate-limit.ts).
  await enforceRateLimit(env, "merchant", `stablemint:${caller.merchant.id}`);

  const { merchant } = caller;
  const parsed = parseStablemintBody(raw, flow, {
    sandbox: merchant.sandbox,
    allowedOrigins: merchant.allowedOrigins,
  });
  if (!parsed.ok) {
    throw new ProblemError(422, "validation_failed", "The request is not valid.", parsed.errors);
  }
  // An embedded request without `amount` makes a session whose payer chooses it (within `limits`).
  const body = parsed.request;
  const limits = amountLimits(body.currency, merchant.sandbox);
  const origin = new URL(request.url).origin;
  const offered = offeredPaymentMethods(caller.paymentMethods, merchant, origin);
  const { sessionId, stub } = await sessionObject(env, merchant.id, body.idempotencyKey);
  const created = unwrap(
    await stub.create({
      merchant,
      spec: stablemintSpec(body, offered, limits, sessionId),
      savedBanks: await savedBanks(env.DB, merchant.id, body.userId),
      fingerprint: await sha256Hex(JSON.stringify(body)),
      origin,
      requestId: request.requestId,
    }),
  );
  return json(created.body, created.status);
}

export const stablemintRoutes: RouteModule = (router) => {
  router.post("/session/hosted", (request, env) => createSession(request, env, "hosted"));
  router.post("/session/embedded", (request, env) => createSession(request, env, "embedded"));

  router.get("/banks/:bankId/logo.svg", (request) => {
    const bank = SANDBOX_BANKS.find((b) => b.id === request.params.bankId);
    if (bank === undefined) throw notFound("bank");
    return new Response(bankLogoSvg(bank), {
      headers: {
        "content-type": "image/svg+xml",
        "x-content-type-options": "nosniff",
        // An SVG opened on its own is a document: it may run nothing and load nothing.
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
        "cross-origin-resource-policy": "cross-origin",
      },
    });
  });
};
