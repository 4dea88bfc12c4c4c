/**
 * `npm run bench`: every figure of BENCHMARKS.md, measured afresh and written there.
 * `npm run bench -- --quick` runs each step once, small, and prints the report instead (a smoke
 * test of the harness; its figures are not fit to quote).
 *
 * The harness and load generator run on core 0 (`taskset -c 0` in package.json); each runtime is
 * a fresh process on core 1. Builds, per-round state and the raw results go to a temporary
 * directory, removed at the end.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildWorker, d1Batches } from "./lib/build.ts";
import { environment } from "./lib/environment.ts";
import { root, scratch } from "./lib/paths.ts";
import { PLANS, type Plan } from "./lib/plan.ts";
import { waitForQuiet } from "./lib/quiet.ts";
import { type Results, renderReport, usable } from "./lib/report.ts";
import { RUNTIME_CPU } from "./lib/runtime.ts";
import { median } from "./lib/stats.ts";
import { measureLists } from "./lists/measure.ts";
import { MachinesResult } from "./machines/result.ts";
import { measureLatency, measureThroughput, type Target } from "./service/http.ts";
import { profileService } from "./service/profile.ts";
import { bundleSize } from "./size/bundle.ts";
import { measureStorage } from "./storage/measure.ts";
import { measureUpstream } from "./upstream/measure.ts";
import { measureWebhooks, type WebhookRound } from "./webhooks/measure.ts";

const quick = process.argv.includes("--quick");
const plan: Plan = quick ? PLANS.quick : PLANS.full;
const started = performance.now();
const log = (line: string) =>
  process.stderr.write(
    `[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`,
  );
const work = scratch("bench");
const loads: number[] = [];
const quiet = async (step: string) => {
  const load = await waitForQuiet();
  loads.push(load);
  log(`${step} (other load on the machine: ${load.toFixed(2)} cores)`);
};

try {
  await quiet("building");
  const built = spawnSync("npm", ["run", "--silent", "build:machines"], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("npm run build:machines failed");
  const build = (name: string, options: { config: string; entry?: string; minify?: boolean }) =>
    buildWorker({ ...options, outdir: join(work, name) });
  // Run readable (its CPU profile maps samples onto modules by line); sized as it deploys.
  const service = build("service", { config: "wrangler.toml", minify: false });
  const deployed = build("deployed", { config: "wrangler.toml" });
  const baseline = build("baseline", { config: "bench/baseline/wrangler.toml" });
  const instrumented = build("instrumented", {
    config: "wrangler.toml",
    entry: "bench/storage/worker.ts",
  });
  // Against `deployed`: both minified, as they deploy (the PSP's own Worker is minified too).
  const inProcess = build("in-process", { config: "bench/upstream/wrangler.toml" });
  const d1 = d1Batches("migrations", "seeds");

  await quiet("machines in Node");
  const machinesRun = spawnSync(
    "taskset",
    [
      "-c",
      String(RUNTIME_CPU),
      process.execPath,
      "bench/machines/lifecycle.ts",
      String(plan.machineRounds),
    ],
    { cwd: root, encoding: "utf8", timeout: 120_000 },
  );
  if (machinesRun.status !== 0) throw new Error(`machines bench failed:\n${machinesRun.stderr}`);
  const machines = MachinesResult.parse(JSON.parse(machinesRun.stdout));

  const targets: Target[] = [
    { label: "service", name: "edge-checkout", build: service, d1 },
    { label: "baseline", name: "edge-checkout-baseline", build: baseline, d1: [] },
  ];
  await quiet("HTTP throughput");
  const throughput = await measureThroughput(targets, plan.http, log);
  const slowest = Math.min(
    ...Object.values(throughput).map((rounds) =>
      median(usable(rounds, plan).map((r) => r.lifecyclesPerSecond)),
    ),
  );
  const ratePerSecond = Math.max(1, Math.floor(slowest * plan.loadFraction));
  await quiet(`HTTP latency at ${ratePerSecond} lifecycles/s`);
  const latency = await measureLatency(targets, plan.http, ratePerSecond, log);

  await quiet("confirm through the upstream");
  const upstream = await measureUpstream({
    binding: deployed,
    inProcess,
    d1,
    plan: plan.upstream,
    http: plan.http,
    log,
  });

  await quiet("CPU profile of the service");
  const profile = await profileService({ build: service, d1, lifecycles: plan.profileLifecycles });

  await quiet("storage");
  const storage = await measureStorage({
    service,
    baseline,
    instrumented,
    d1,
    sessions: plan.storageSessions,
  });

  await quiet("bundle size");
  const size = { deploy: bundleSize(deployed), readable: bundleSize(service) };

  await quiet("webhooks");
  const webhookRate = Math.min(ratePerSecond, plan.webhookMaxRate);
  const webhooks: WebhookRound[] = [];
  for (let round = 0; round < plan.http.rounds; round++) {
    webhooks.push(
      await measureWebhooks({
        build: service,
        d1,
        ratePerSecond: webhookRate,
        sessions: plan.webhookSessions,
        warmup: 10,
      }),
    );
    log(`webhooks round ${round + 1}: ${webhooks.at(-1)?.firstMs.length} sessions timed`);
  }

  await quiet("how list cost grows");
  const lists = await measureLists({ build: service, d1, plan: plan.lists, log });

  const results: Results = {
    plan,
    quick,
    environment: { ...environment(), backgroundLoad: Math.max(...loads) },
    seconds: (performance.now() - started) / 1000,
    machines,
    http: { throughput, latency, ratePerSecond },
    upstream,
    profile,
    storage,
    size,
    webhooks: { rounds: webhooks, ratePerSecond: webhookRate },
    lists,
  };
  const report = renderReport(results);
  writeFileSync(join(work, "results.json"), JSON.stringify(results, null, 2));
  if (quick) process.stdout.write(report);
  else {
    // Sections measured apart (bench/live-state/measure.ts, against `npm start`) stay as written.
    const before = readFileSync(join(root, "BENCHMARKS.md"), "utf8");
    const kept = /\n## Live state\b[\s\S]*$/.exec(before)?.[0] ?? "";
    writeFileSync(join(root, "BENCHMARKS.md"), report + kept);
    // Biome formats Markdown too (tables aligned): leave the file as `npm run lint` wants it.
    spawnSync(join(root, "node_modules/.bin/biome"), ["format", "--write", "BENCHMARKS.md"], {
      cwd: root,
      stdio: "ignore",
    });
    log(`wrote BENCHMARKS.md in ${results.seconds.toFixed(0)} s`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
