/**
 * The HTTP lifecycle on local workerd: the service against the baseline Worker, in alternating
 * rounds, each round a fresh runtime process (pinned to its own core) with a fresh persistence
 * directory and a bounded number of sessions.
 * - Throughput: closed loop at a fixed concurrency, lifecycles per second and runtime CPU time.
 * - Latency: open loop at one fixed rate for both (below the service's saturation), p50/p99.
 */
import type { Build } from "../lib/build.ts";
import { Client } from "../lib/client.ts";
import { closedLoop, openLoop } from "../lib/load.ts";
import { watchOthers } from "../lib/quiet.ts";
import { startRuntime } from "../lib/runtime.ts";
import { percentile } from "../lib/stats.ts";

export interface Target {
  label: "service" | "baseline";
  name: string;
  build: Build;
  d1: string[][];
}

/** Every round says how busy other processes kept the machine while it ran. */
interface Disturbance {
  /** Cores' worth of CPU that processes other than the bench used during the round. */
  otherCores: number;
  /** 1, or more when a round was repeated because other processes were too busy. */
  attempts: number;
}

export interface ThroughputRound extends Disturbance {
  lifecyclesPerSecond: number;
  /** Runtime CPU (user + system, all its processes) per lifecycle. */
  cpuMsPerLifecycle: number;
  lifecycles: number;
  errors: number;
  cpus: string[];
}

export interface LatencyRound extends Disturbance {
  lifecycleMs: { p50: number; p99: number };
  /** Every lifecycle's time, for percentiles over all rounds pooled. */
  samples: number[];
  /** Per step (create, open, confirm, retrieve): p50 and p99 of each request. */
  stepMs: Array<{ p50: number; p99: number }>;
  lifecycles: number;
  errors: number;
  lateStarts: number;
}

export interface HttpPlan {
  rounds: number;
  warmup: number;
  concurrency: number;
  throughputCount: number;
  latencyCount: number;
  maxMs: number;
  /** A round during which other processes kept more than this many cores busy is repeated… */
  maxOtherCores: number;
  /** …while this many repeats per figure and target are left (then it stands, flagged). */
  retries: number;
}

const p = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });

/**
 * Runs `measure` against a fresh runtime of the target, after warming it up, and repeats the
 * round (with another fresh runtime) if other processes disturbed it.
 */
async function inRuntime<T>(
  target: Target,
  plan: HttpPlan,
  retries: { left: number },
  log: (line: string) => void,
  measure: (client: Client, cpuMs: () => number, cpus: string[]) => Promise<T>,
): Promise<T & Disturbance> {
  for (let attempt = 1; ; attempt++) {
    const runtime = await startRuntime({
      name: target.name,
      build: target.build,
      d1Batches: target.d1,
    });
    const client = new Client(runtime.origin);
    try {
      const warm = await closedLoop(client, {
        concurrency: 2,
        count: plan.warmup,
        maxMs: plan.maxMs,
      });
      if (warm.errors.length > 0) {
        throw new Error(
          `${target.label} failed during warm-up: ${warm.errors[0]}\n${runtime.output()}`,
        );
      }
      const others = watchOthers(runtime.cpuMs);
      const result = await measure(client, runtime.cpuMs, runtime.cpus);
      const otherCores = others();
      if (otherCores <= plan.maxOtherCores || retries.left === 0) {
        return { ...result, otherCores, attempts: attempt };
      }
      retries.left--;
      log(
        `${target.label}: other processes kept ${otherCores.toFixed(2)} cores busy, repeating the round`,
      );
    } finally {
      client.close();
      await runtime.stop();
    }
  }
}

/** Round r runs the targets in one order, round r + 1 in the other. */
const alternate = <T>(targets: T[], round: number) =>
  round % 2 === 0 ? targets : [...targets].reverse();

export async function measureThroughput(
  targets: Target[],
  plan: HttpPlan,
  log: (line: string) => void,
): Promise<Record<string, ThroughputRound[]>> {
  const retries = Object.fromEntries(targets.map((t) => [t.label, { left: plan.retries }]));
  const results: Record<string, ThroughputRound[]> = Object.fromEntries(
    targets.map((target) => [target.label, []]),
  );
  for (let round = 0; round < plan.rounds; round++) {
    for (const target of alternate(targets, round)) {
      const result = await inRuntime(
        target,
        plan,
        retries[target.label] ?? { left: 0 },
        log,
        async (client, cpuMs, cpus) => {
          const cpu0 = cpuMs();
          const run = await closedLoop(client, {
            concurrency: plan.concurrency,
            count: plan.throughputCount,
            maxMs: plan.maxMs,
          });
          return {
            lifecyclesPerSecond: run.perSecond,
            cpuMsPerLifecycle: (cpuMs() - cpu0) / Math.max(1, run.lifecycles),
            lifecycles: run.lifecycles,
            errors: run.errors.length,
            cpus,
          };
        },
      );
      results[target.label]?.push(result);
      log(
        `throughput round ${round + 1} ${target.label}: ${result.lifecyclesPerSecond.toFixed(1)}/s`,
      );
    }
  }
  return results;
}

export async function measureLatency(
  targets: Target[],
  plan: HttpPlan,
  ratePerSecond: number,
  log: (line: string) => void,
): Promise<Record<string, LatencyRound[]>> {
  const retries = Object.fromEntries(targets.map((t) => [t.label, { left: plan.retries }]));
  const results: Record<string, LatencyRound[]> = Object.fromEntries(
    targets.map((target) => [target.label, []]),
  );
  for (let round = 0; round < plan.rounds; round++) {
    for (const target of alternate(targets, round)) {
      const result = await inRuntime(
        target,
        plan,
        retries[target.label] ?? { left: 0 },
        log,
        async (client) => {
          const run = await openLoop(client, {
            ratePerSecond,
            count: plan.latencyCount,
            maxMs: plan.maxMs,
          });
          return {
            lifecycleMs: p(run.lifecycleMs),
            samples: run.lifecycleMs,
            stepMs: run.stepMs.map(p),
            lifecycles: run.lifecycleMs.length,
            errors: run.errors.length,
            lateStarts: run.lateStarts,
          };
        },
      );
      results[target.label]?.push(result);
      log(
        `latency round ${round + 1} ${target.label}: p50 ${result.lifecycleMs.p50.toFixed(1)} ms, p99 ${result.lifecycleMs.p99.toFixed(1)} ms`,
      );
    }
  }
  return results;
}
