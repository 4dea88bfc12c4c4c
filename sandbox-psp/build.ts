/**
 * The sandbox PSP as an auxiliary Worker for Miniflare (the Workers Vitest pool, the bench): its
 * bundle, built by esbuild as wrangler would, and its wrangler.toml's bindings. `wrangler dev`
 * and `wrangler deploy` need none of this: they read sandbox-psp/wrangler.toml themselves.
 */
import { join } from "node:path";
import { buildSync } from "esbuild";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export const SANDBOX_PSP_NAME = "edge-checkout-sandbox-psp";

/** What this Worker's wrangler.toml declares, as Miniflare options. */
interface PspOptions {
  compatibilityDate: string;
  bindings: Record<string, string>;
  durableObjects: Record<string, { className: string; useSQLite?: boolean }>;
}

/**
 * @example
 * const psp = sandboxPspWorker("/repo", "/repo/.wrangler/psp");
 * new Miniflare({ workers: [main, psp] });
 */
export function sandboxPspWorker(root: string, outdir: string) {
  const scriptPath = join(outdir, "index.js");
  bundleWorker(join(root, "sandbox-psp/index.ts"), scriptPath);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(
    join(root, "sandbox-psp/wrangler.toml"),
  ) as unknown as { workerOptions: PspOptions };
  return {
    name: SANDBOX_PSP_NAME,
    modules: true,
    scriptPath,
    compatibilityDate: workerOptions.compatibilityDate,
    bindings: workerOptions.bindings,
    durableObjects: workerOptions.durableObjects,
  };
}

/** One Worker module bundled as wrangler bundles one: ESM, workerd's conditions, minified. */
export function bundleWorker(entry: string, outfile: string): void {
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*"],
    minify: true,
    logLevel: "error",
  });
}
