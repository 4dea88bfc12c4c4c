/**
 * Events API: every webhook event with its delivery attempts (from the D1 events index), one
 * event with its body (from its session object), and redelivery, to one endpoint or all, at any
 * time.
 */
import type { RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { listEvents } from "../d1/events.js";
import { ProblemError } from "../errors.js";
import { sessionStub } from "../ids.js";
import { authenticateMerchant } from "../merchants/merchants.js";
import { ListEvents, RedeliverEvent } from "../schemas.js";
import { getEndpoint } from "../webhooks/endpoints.js";
import { json, parseBody, parseQuery } from "./respond.js";

export const eventRoutes: RouteModule = (router) => {
  router.get("/v1/events", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const query = parseQuery(request, ListEvents);
    const page = await listEvents(env.DB, merchant.id, {
      sessionId: query.checkout_session_id,
      type: query.type,
      deliveryStatus: query.delivery_status,
      limit: query.limit,
      cursor: query.cursor,
    });
    return json({ object: "list", data: page.data, next_cursor: page.nextCursor });
  });

  router.get("/v1/events/:id", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const id = request.params.id ?? "";
    const stub = sessionStub(env, id, "event");
    return json({ event: unwrap(await stub.event(merchant.id, id)) });
  });

  router.post("/v1/events/:id/redeliver", async (request, env) => {
    const merchant = await authenticateMerchant(request, env);
    const id = request.params.id ?? "";
    const { endpoint_id: endpointId } = await parseBody(request, RedeliverEvent, {
      optional: true,
    });
    if (endpointId !== undefined) {
      const endpoint = await getEndpoint(env, merchant.id, endpointId);
      if (endpoint.disabledAt !== null) {
        throw new ProblemError(
          409,
          "endpoint_disabled",
          `This endpoint is disabled (${endpoint.disabledReason ?? "by hand"}); enable it first.`,
        );
      }
    }
    const stub = sessionStub(env, id, "event");
    const event = await stub.redeliver(merchant.id, id, endpointId, request.requestId);
    return json({ event: unwrap(event) }, 202);
  });
};
