/**
 * The fake Stripe as an auxiliary Worker for Miniflare (the Workers Vitest pool): its bundle,
 * built by esbuild as wrangler would, and its one Durable Object. It has no wrangler.toml on
 * purpose: it is a stand-in for Stripe in tests, never something to deploy.
 */
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { bundleWorker } from "../sandbox-psp/build.js";

export const FAKE_STRIPE_NAME = "edge-checkout-fake-stripe";

/**
 * @example
 * const stripe = fakeStripeWorker("/repo", "/repo/.wrangler/test/fake-stripe");
 * new Miniflare({ workers: [main, stripe] }); // main: serviceBindings: { STRIPE_UPSTREAM: FAKE_STRIPE_NAME }
 */
export function fakeStripeWorker(root: string, outdir: string) {
  const scriptPath = join(outdir, "index.js");
  bundleWorker(join(root, "fake-stripe/index.ts"), scriptPath);
  return {
    name: FAKE_STRIPE_NAME,
    modules: true,
    scriptPath,
    // The main Worker's (wrangler.toml), so the fake runs on the runtime the Worker does.
    compatibilityDate: unstable_readConfig({ config: join(root, "wrangler.toml") })
      .compatibility_date,
    durableObjects: { BOOKS: { className: "FakeStripeBooks", useSQLite: true } },
  };
}
