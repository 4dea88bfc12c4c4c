/**
 * The service with the sandbox PSP in-process: exactly what src/index.ts exports, except that
 * `SANDBOX_PSP` in the env it is handed (the Worker's and every session object's) calls the
 * PSP's own fetch handler (sandbox-psp/index.ts) in this isolate instead of crossing the service
 * binding. The PSP's ledger is a Durable Object of this Worker (wrangler.toml here). Built and
 * run only by `npm run bench`, to time what the binding hop costs a confirm.
 */
import psp from "../../sandbox-psp/index.ts";
import type { PspEnv } from "../../sandbox-psp/ledger.ts";
import service, { SessionObject as ServiceObject } from "../../src/index.ts";

export { SandboxLedger } from "../../sandbox-psp/index.ts";
export * from "../../src/index.ts";

/** This Worker's env: the service's, less the binding, plus what the PSP's wrangler.toml binds. */
type UpstreamEnv = Omit<Env, "SANDBOX_PSP"> & PspEnv;

/** The PSP's fetch handler as a service binding would reach it, with the PSP's own env. */
function inProcess(env: UpstreamEnv): Env["SANDBOX_PSP"] {
  const pspEnv: PspEnv = {
    LEDGER: env.LEDGER,
    SLOW_ANSWER_MS: env.SLOW_ANSWER_MS,
    HANG_MS: env.HANG_MS,
  };
  return {
    // Typed as an incoming request (with Cloudflare's `cf`), which the PSP never reads.
    fetch: (input, init) =>
      psp.fetch(new Request(input, init) as Request<unknown, IncomingRequestCfProperties>, pspEnv),
    connect: () => {
      throw new Error("the sandbox PSP takes no sockets");
    },
  };
}

// One wrapped env per env the runtime hands over: no copy per request.
const wrapped = new WeakMap<UpstreamEnv, Env>();
const withPsp = (env: UpstreamEnv): Env => {
  let found = wrapped.get(env);
  if (found === undefined) {
    found = { ...env, SANDBOX_PSP: inProcess(env) };
    wrapped.set(env, found);
  }
  return found;
};

// A Durable Object keeps the env it was constructed with: hand it the in-process one there.
export class SessionObject extends ServiceObject {
  constructor(ctx: DurableObjectState, env: UpstreamEnv) {
    super(ctx, withPsp(env));
  }
}

// Every handler src/index.ts's Worker has (a new one fails the type-check until wrapped here).
export default {
  fetch: (request, env, ctx) => service.fetch(request, withPsp(env), ctx),
} satisfies ExportedHandler<UpstreamEnv> & Record<keyof typeof service, unknown>;
