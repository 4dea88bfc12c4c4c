/**
 * The Worker: routes by resource, validation at the edge, one error stage that turns every
 * failure into RFC 9457 problem+json, and a `request-id` on every response.
 */
import { Router } from "itty-router";
import type { AppRequest } from "./app.js";
import { ProblemError, toProblemResponse } from "./errors.js";
import { brandAssetRoutes } from "./routes/brand-assets.js";
import { checkoutSessionRoutes } from "./routes/checkout-sessions.js";
import { demoRoutes } from "./routes/demo.js";
import { eventRoutes } from "./routes/events.js";
import { liveRoutes } from "./routes/live.js";
import { merchantRoutes } from "./routes/merchant.js";
import { opsRoutes } from "./routes/ops.js";
import { pageRoutes } from "./routes/pages.js";
import { limitPayerRequest } from "./routes/payer-limits.js";
import { paymentRoutes } from "./routes/payments.js";
import { sandboxRoutes } from "./routes/sandbox.js";
import { stablemintRoutes } from "./routes/stablemint.js";
import { testHelperRoutes } from "./routes/test-helpers.js";
import { webhookEndpointRoutes } from "./routes/webhook-endpoints.js";

export { ProviderHealth } from "./providers/health.js";
export { RiskCounters } from "./risk/velocity.js";
export { SessionObject } from "./session/session-object.js";

/** The payer's token API: answered to any origin (see src/routes/checkout-sessions.ts). */
const PAYER_API = "/v1/checkout-sessions/token/";

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * HTTPS only from now on, for two years, on this host and below it (RFC 6797); sent only on an
 * https answer, as a browser ignores it on plain http. No `preload`: that is the domain owner's
 * commitment to make.
 */
const HSTS = "max-age=63072000; includeSubDomains";

/** For every answer that is not a page of ours: opened as a document, it may run, load and frame nothing. */
const ANSWER_CSP = "default-src 'none'; frame-ancestors 'none'";

function withRequestId(request: AppRequest): void {
  const given = request.headers.get("request-id");
  request.requestId =
    given !== null && REQUEST_ID.test(given) ? given : `req_${crypto.randomUUID()}`;
}

/** Exported for test/worker/openapi.test.ts, which holds its routes against the OpenAPI description. */
export const router = Router<AppRequest, [Env, ExecutionContext]>({
  before: [withRequestId, limitPayerRequest],
  catch: (error, request) => toProblemResponse(error, request.requestId),
  finally: [
    (response: Response, request: AppRequest) => {
      const headed = new Response(response.body, response);
      headed.headers.set("request-id", request.requestId);
      headed.headers.set("cache-control", "no-store");
      // No page or answer of ours may leak a token or session URL through Referer.
      headed.headers.set("referrer-policy", "no-referrer");
      // No answer of ours is to be sniffed into another type (JSON read as HTML, say).
      headed.headers.set("x-content-type-options", "nosniff");
      if (!headed.headers.has("content-security-policy")) {
        headed.headers.set("content-security-policy", ANSWER_CSP);
      }
      // JSON is for fetch (CORS where it is shared, which this does not affect): no other
      // site's page may pull it in as a script or image.
      if (/json/.test(headed.headers.get("content-type") ?? "")) {
        headed.headers.set("cross-origin-resource-policy", "same-origin");
      }
      const url = new URL(request.url);
      if (url.protocol === "https:") headed.headers.set("strict-transport-security", HSTS);
      if (url.pathname.startsWith(PAYER_API)) {
        headed.headers.set("access-control-allow-origin", "*");
        // The merchant's page reads which request it was, and how long to wait after a 429.
        headed.headers.set("access-control-expose-headers", "request-id, retry-after");
      }
      return headed;
    },
  ],
});

for (const routes of [
  checkoutSessionRoutes,
  paymentRoutes,
  webhookEndpointRoutes,
  eventRoutes,
  merchantRoutes,
  brandAssetRoutes,
  sandboxRoutes,
  testHelperRoutes,
  stablemintRoutes,
  pageRoutes,
  liveRoutes,
  demoRoutes,
  opsRoutes,
]) {
  routes(router);
}

router.all("*", (request) => {
  throw new ProblemError(
    404,
    "route_not_found",
    `No route for ${request.method} ${new URL(request.url).pathname}.`,
  );
});

export default { fetch: router.fetch } satisfies ExportedHandler<Env>;
