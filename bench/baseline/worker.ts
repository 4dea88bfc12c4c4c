/**
 * The baseline Worker: the service's four lifecycle routes, each one RPC to a SQLite-backed
 * Durable Object that makes one storage write and answers. The service's figures divided by
 * these are what edge-checkout costs over the runtime.
 */
import { DurableObject } from "cloudflare:workers";

interface BaselineEnv {
  BASELINE_OBJECTS: DurableObjectNamespace<BaselineObject>;
}

export class BaselineObject extends DurableObject<BaselineEnv> {
  constructor(ctx: DurableObjectState, env: BaselineEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS steps (seq INTEGER PRIMARY KEY, step TEXT NOT NULL, body TEXT)",
    );
  }

  /** One storage write per round trip. */
  step(name: string, body: string | null): string {
    this.ctx.storage.sql.exec("INSERT INTO steps (step, body) VALUES (?, ?)", name, body);
    return this.ctx.id.toString();
  }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** `cs_<hex>` and `cs_<hex>.<anything>` (the token) both name the object `<hex>`. */
const objectOf = (env: BaselineEnv, id: string) =>
  env.BASELINE_OBJECTS.get(env.BASELINE_OBJECTS.idFromString(id.slice(3, 67)));

export default {
  async fetch(request, env): Promise<Response> {
    const path = new URL(request.url).pathname.split("/").filter(Boolean);
    const body = request.method === "POST" ? await request.text() : null;
    // POST /v1/checkout-sessions
    if (path.length === 2 && request.method === "POST") {
      const id = env.BASELINE_OBJECTS.newUniqueId();
      const hex = await env.BASELINE_OBJECTS.get(id).step("create", body);
      return json({ checkout_session: { id: `cs_${hex}`, token: `cs_${hex}.t` } }, 201);
    }
    // GET /v1/checkout-sessions/token/:token and POST …/token/:token/confirm
    if (path[2] === "token" && path[3] !== undefined) {
      const confirm = path[4] === "confirm";
      const hex = await objectOf(env, path[3]).step(confirm ? "confirm" : "open", body);
      return json({
        checkout_session: { id: `cs_${hex}`, status: confirm ? "COMPLETED" : "PENDING" },
      });
    }
    // GET /v1/checkout-sessions/:id
    if (path.length === 3 && path[2] !== undefined) {
      const hex = await objectOf(env, path[2]).step("retrieve", null);
      return json({ checkout_session: { id: `cs_${hex}`, status: "COMPLETED" } });
    }
    return json({ code: "route_not_found" }, 404);
  },
} satisfies ExportedHandler<BaselineEnv>;
