/**
 * The merchant's webhook endpoints on the ops screen: list (disabled and failing first), add,
 * disable, enable, rotate the signing secret. Each calls the same functions the API's routes
 * call (src/webhooks/endpoints.ts). A new secret is answered in the page of the POST that made
 * it (never in a URL, never again).
 */
import type { AppRouter } from "../app.js";
import { listEvents } from "../d1/events.js";
import { ProblemError } from "../errors.js";
import type { OpsSession } from "../pages/ops/auth.js";
import { type Notice, seeOther } from "../pages/ops/layout.js";
import { endpointHealth, type WebhooksPageData, webhooksPage } from "../pages/ops/webhooks-page.js";
import { CreateWebhookEndpoint, OverlapSeconds } from "../schemas.js";
import {
  createEndpoint,
  disableEndpoint,
  enableEndpoint,
  getEndpoint,
  listEndpoints,
  rotateSecret,
} from "../webhooks/endpoints.js";
import { auditOpsAction, opsGet, opsPost } from "./ops-guard.js";

/** How many of the merchant's latest events tell which endpoints are failing. */
const RECENT_EVENTS = 100;

async function pageData(
  env: Env,
  session: OpsSession,
  extra: Partial<WebhooksPageData> = {},
): Promise<WebhooksPageData> {
  const [endpoints, recent] = await Promise.all([
    listEndpoints(env, session.merchantId),
    listEvents(env.DB, session.merchantId, { limit: RECENT_EVENTS }),
  ]);
  const health = endpointHealth(recent.data.map((event) => event.delivery));
  return { session, endpoints, health, ...extra };
}

const DONE: Record<string, string> = {
  disabled: "The endpoint is disabled: nothing is sent to it until it is enabled.",
  enabled: "The endpoint is enabled again.",
};

function doneNotice(request: Request): Notice | null {
  const text = DONE[new URL(request.url).searchParams.get("done") ?? ""];
  return text === undefined ? null : { kind: "success", text };
}

export function opsWebhookRoutes(router: AppRouter): void {
  router.get(
    "/ops/webhooks",
    opsGet(async (request, env, session) =>
      webhooksPage(await pageData(env, session, { notice: doneNotice(request) })),
    ),
  );

  router.post(
    "/ops/webhooks",
    opsPost(async (request, env, session, form) => {
      const raw = { url: form.get("url") ?? "", events: form.getAll("events") };
      const parsed = CreateWebhookEndpoint.safeParse(raw);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({
          field: issue.path.map(String).join("."),
          message: issue.path[0] === "events" ? "Choose at least one known event." : issue.message,
        }));
        return webhooksPage(await pageData(env, session, { form: { raw, errors } }), 422);
      }
      const now = Date.now();
      try {
        const { endpoint, secret } = await createEndpoint(
          env,
          session.merchantId,
          parsed.data,
          now,
        );
        await auditOpsAction(request, env, session, "webhook_endpoint.created", {
          endpoint_id: endpoint.id,
        });
        const shown = { endpointId: endpoint.id, secret, what: "created" as const };
        return webhooksPage(await pageData(env, session, { secret: shown }), 201);
      } catch (error) {
        if (!(error instanceof ProblemError) || error.status !== 422) throw error;
        const notice = { kind: "error" as const, text: error.message };
        return webhooksPage(
          await pageData(env, session, { form: { raw, errors: [] }, notice }),
          422,
        );
      }
    }),
  );

  router.post(
    "/ops/webhooks/:id/disable",
    opsPost(async (request, env, session) => {
      const endpoint = await getEndpoint(env, session.merchantId, request.params.id ?? "");
      const reason = "disabled by hand on the ops screen";
      await disableEndpoint(env, session.merchantId, endpoint.id, reason, Date.now());
      await auditOpsAction(request, env, session, "webhook_endpoint.disabled", {
        endpoint_id: endpoint.id,
      });
      return seeOther("/ops/webhooks?done=disabled");
    }),
  );

  router.post(
    "/ops/webhooks/:id/enable",
    opsPost(async (request, env, session) => {
      const endpoint = await enableEndpoint(env, session.merchantId, request.params.id ?? "");
      await auditOpsAction(request, env, session, "webhook_endpoint.enabled", {
        endpoint_id: endpoint.id,
      });
      return seeOther("/ops/webhooks?done=enabled");
    }),
  );

  router.post(
    "/ops/webhooks/:id/rotate",
    opsPost(async (request, env, session, form) => {
      const given = form.get("overlap_seconds") ?? "";
      const overlap = OverlapSeconds.safeParse(
        /^\d{1,7}$/.test(given) ? Number(given) : Number.NaN,
      );
      if (!overlap.success) {
        throw new ProblemError(
          422,
          "validation_failed",
          "Choose how long the old secret keeps signing: 0 to 7 days.",
        );
      }
      const now = Date.now();
      const id = request.params.id ?? "";
      const { endpoint, secret } = await rotateSecret(
        env,
        session.merchantId,
        id,
        overlap.data * 1000,
        now,
      );
      await auditOpsAction(request, env, session, "webhook_endpoint.secret_rotated", {
        endpoint_id: endpoint.id,
      });
      const shown = { endpointId: endpoint.id, secret, what: "rotated" as const };
      return webhooksPage(await pageData(env, session, { secret: shown }));
    }),
  );
}
