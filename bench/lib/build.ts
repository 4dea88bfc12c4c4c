/**
 * Builds a Worker exactly as `wrangler deploy` would (`--dry-run --outdir`), and reads its
 * wrangler.toml into Miniflare options, so a benchmarked runtime has the same bundle and the
 * same bindings as a deploy. Secrets are not in wrangler.toml: every build gets fresh random ones.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";
import { z } from "zod";
import { sandboxPspWorker } from "../../sandbox-psp/build.ts";
import { root } from "./paths.ts";

export interface Build {
  /** The bundle wrangler would upload. */
  scriptPath: string;
  outdir: string;
  /** esbuild's metafile for the bundle (what makes it up). */
  metafile: string;
  /** Miniflare (v4-style) options for the Worker's bindings, as wrangler dev would set them. */
  workerOptions: Record<string, unknown>;
  /** The Workers its service bindings reach (the sandbox PSP), as Miniflare worker options. */
  auxiliaryWorkers: Record<string, unknown>[];
}

export interface BuildOptions {
  /** wrangler.toml to read, relative to the repository root. */
  config: string;
  /** Another entry point than the config's `main` (a bench-only wrapper). */
  entry?: string;
  outdir: string;
  minify?: boolean;
}

const hex64 = () => randomBytes(32).toString("hex");

export function wrangler(args: string[]): string {
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/wrangler/bin/wrangler.js"), ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" },
      timeout: 120_000,
    },
  );
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export function buildWorker(options: BuildOptions): Build {
  const metafile = join(options.outdir, "meta.json");
  const bundle = join(options.outdir, "bundle");
  wrangler([
    "deploy",
    ...(options.entry === undefined ? [] : [options.entry]),
    "--dry-run",
    "--config",
    options.config,
    "--outdir",
    bundle,
    "--metafile",
    metafile,
    // Unset: the project's own setting (minified, as it deploys).
    ...(options.minify === undefined ? [] : [options.minify ? "--minify" : "--no-minify"]),
  ]);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, options.config));
  // Plain data only: the options cross to the runtime process as JSON.
  const plain = z.record(z.string(), z.unknown()).parse(JSON.parse(JSON.stringify(workerOptions)));
  // The bundle is one self-contained module: no module rules, no source root.
  delete plain.modulesRules;
  delete plain.rootPath;
  const bindings = z.record(z.string(), z.unknown()).parse(plain.bindings ?? {});
  plain.bindings = { ...bindings, TOKEN_SECRET: hex64(), ENCRYPTION_KEY: hex64() };
  if (plain.ratelimits !== undefined) plain.ratelimits = unthrottled(plain.ratelimits);
  // The bundle is named after the entry point (src/index.ts → index.js).
  const script = readdirSync(bundle).find((name) => name.endsWith(".js"));
  if (script === undefined) throw new Error(`no bundle in ${bundle}`);
  // The service reaches its sandbox provider's own Worker through a service binding.
  const services = z.record(z.string(), z.unknown()).parse(plain.serviceBindings ?? {});
  const auxiliaryWorkers =
    "SANDBOX_PSP" in services ? [sandboxPspWorker(root, join(options.outdir, "sandbox-psp"))] : [];
  return {
    scriptPath: join(bundle, script),
    outdir: bundle,
    metafile,
    workerOptions: plain,
    auxiliaryWorkers,
  };
}

const RateLimitBindings = z.record(
  z.string(),
  z.looseObject({ simple: z.object({ limit: z.number(), period: z.number() }) }),
);

/**
 * The abuse limits (src/rate-limit.ts) with their ceilings out of reach: the load generator is
 * one merchant key from one address at saturation, which is what the limits exist to stop. Every
 * request still calls its limiters, so their cost stays in the figures; only the 429s go.
 */
function unthrottled(ratelimits: unknown) {
  const parsed = RateLimitBindings.parse(ratelimits);
  return Object.fromEntries(
    Object.entries(parsed).map(([name, binding]) => [
      name,
      { ...binding, simple: { ...binding.simple, limit: 1_000_000_000 } },
    ]),
  );
}

/** D1 statements of every `.sql` file in these directories (in name order), one batch a file. */
export function d1Batches(...dirs: string[]): string[][] {
  return dirs.flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith(".sql"))
      .sort()
      .map((name) => unstable_splitSqlQuery(readFileSync(join(root, dir, name), "utf8"))),
  );
}
