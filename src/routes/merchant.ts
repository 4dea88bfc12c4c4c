/**
 * The merchant's own settings API: read and change its settings, roll its secret key, and read
 * the audit log of both. Every route takes the secret key (`Authorization: Bearer …`).
 *
 * | route                            | what                                                      |
 * |----------------------------------|-----------------------------------------------------------|
 * | `GET /v1/merchant`               | the settings                                              |
 * | `PATCH /v1/merchant`             | change any of them (audited); answers the settings        |
 * | `POST /v1/merchant/keys/roll`    | `{ overlap_seconds? }` → a new secret key, shown once      |
 * | `GET /v1/merchant/audit-log`     | who changed what, newest first: `limit`, `cursor`         |
 */
import type { RouteModule } from "../app.js";
import { iso } from "../core/views.js";
import { ListAuditLog, listAuditLog } from "../merchants/audit.js";
import { RollMerchantKey, rollKey } from "../merchants/keys.js";
import { authenticateCaller, forgetMerchant } from "../merchants/merchants.js";
import { merchantView, PatchMerchant, settingsRow, updateSettings } from "../merchants/settings.js";
import { json, parseBody, parseQuery } from "./respond.js";

export const merchantRoutes: RouteModule = (router) => {
  router.get("/v1/merchant", async (request, env) => {
    const now = Date.now();
    const caller = await authenticateCaller(request, env, now);
    const row = await settingsRow(env, caller.merchant.id);
    return json({ merchant: merchantView(row, now) });
  });

  router.patch("/v1/merchant", async (request, env) => {
    const now = Date.now();
    const caller = await authenticateCaller(request, env, now);
    const patch = await parseBody(request, PatchMerchant);
    const row = await settingsRow(env, caller.merchant.id);
    const by = { keyHash: caller.keyHash, requestId: request.requestId, now };
    const updated = await updateSettings(env, row, patch, by);
    forgetMerchant(caller.merchant.id); // new sessions in this isolate see the change at once
    return json({ merchant: merchantView(updated, now) });
  });

  router.post("/v1/merchant/keys/roll", async (request, env) => {
    const now = Date.now();
    const caller = await authenticateCaller(request, env, now);
    const params = await parseBody(request, RollMerchantKey, { optional: true });
    const row = await settingsRow(env, caller.merchant.id);
    const rolled = await rollKey(env, caller, row, {
      overlapMs: params.overlap_seconds * 1000,
      requestId: request.requestId,
      now,
    });
    forgetMerchant(caller.merchant.id);
    return json({
      object: "secret_key",
      secret_key: rolled.secretKey,
      previous_key_expires_at: iso(rolled.previousKeyExpiresAt),
    });
  });

  router.get("/v1/merchant/audit-log", async (request, env) => {
    const caller = await authenticateCaller(request, env);
    const query = parseQuery(request, ListAuditLog);
    const page = await listAuditLog(env.DB, caller.merchant.id, query);
    return json({ object: "list", data: page.data, next_cursor: page.nextCursor });
  });
};
