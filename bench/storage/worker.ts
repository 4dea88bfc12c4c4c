/**
 * The instrumented build for the storage figures: the service exactly as src/index.ts exports
 * it, each session object's storage counting in place and a counting wrapper of D1 handed to
 * the object and the Worker (counting.ts). Built with the project's wrangler.toml and this file
 * as the entry point; never deployed, never used for the timing figures.
 * `GET /__bench/counters` reads and resets the counts; what the harness reads to see a step
 * settle (journals, lists: requests with `x-bench-observer`) is not counted.
 */
import service, { SessionObject as ServiceObject } from "../../src/index.ts";
import { counters, countingD1, instrumentState, resetCounters } from "./counting.ts";

export * from "../../src/index.ts";

const counted = (env: Env): Env => ({ ...env, DB: countingD1(env.DB) });

export class SessionObject extends ServiceObject {
  constructor(ctx: DurableObjectState, env: Env) {
    instrumentState(ctx);
    super(ctx, counted(env));
  }
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/counters") {
      const body = JSON.stringify(counters);
      resetCounters();
      return new Response(body, { headers: { "content-type": "application/json" } });
    }
    // The harness looks (journals, lists) to see when a step has settled: not part of its cost.
    const observing = request.headers.has("x-bench-observer");
    return service.fetch(request, observing ? env : counted(env), ctx);
  },
} satisfies ExportedHandler<Env>;
