/**
 * A confirm's latency through the sandbox upstream: the service as deployed (the PSP its own
 * Worker, behind the SANDBOX_PSP service binding) against the same service with the PSP
 * in-process (worker.ts). Unloaded: one request at a time, each confirm on a fresh session
 * (create → open by token → confirm with the success card), only the confirm timed. Rounds
 * alternate the variants, a fresh runtime each, repeated if other processes disturbed them.
 */
import { z } from "zod";
import type { Build } from "../lib/build.ts";
import { Client, lifecycleSteps } from "../lib/client.ts";
import { watchOthers } from "../lib/quiet.ts";
import { startRuntime } from "../lib/runtime.ts";
import { percentile } from "../lib/stats.ts";
import type { HttpPlan } from "../service/http.ts";

/** The service as deployed, and the same with the PSP in-process (worker.ts). */
export type UpstreamVariant = "binding" | "inProcess";

export interface UpstreamPlan {
  /** Timed confirms per round, after `warmup` untimed sessions. */
  confirms: number;
  warmup: number;
}

export interface ConfirmRound {
  p50: number;
  p99: number;
  samples: number[];
  /** Cores' worth of CPU other processes used during the round. */
  otherCores: number;
  /** 1, or more when the round was repeated because other processes were too busy. */
  attempts: number;
}

export type UpstreamResult = Record<UpstreamVariant, ConfirmRound[]>;

interface UpstreamTarget {
  variant: UpstreamVariant;
  build: Build;
}

/** Every leaf of a JSON value by its path (`.bindings.DB`…). */
function leaves(value: unknown, path = "", out = new Map<string, string>()) {
  if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) leaves(inner, `${path}.${key}`, out);
  } else out.set(path, JSON.stringify(value));
  return out;
}

/**
 * Throws unless the in-process build binds what the deployed one does, less the service binding,
 * plus what the PSP's own Worker binds (and runs at its compatibility date): only the hop differs.
 */
function checkInStep(deployed: Build, inProcess: Build): void {
  const psp = deployed.auxiliaryWorkers[0] ?? {};
  const { compatibilityDate, bindings, durableObjects } = psp;
  const want = leaves(
    { compatibilityDate, bindings, durableObjects },
    "",
    leaves(deployed.workerOptions),
  );
  want.delete(".serviceBindings.SANDBOX_PSP.name");
  const got = leaves(inProcess.workerOptions);
  // Fresh random per build.
  const secret = /^\.bindings\.(TOKEN_SECRET|ENCRYPTION_KEY)$/;
  const off = [...new Set([...want.keys(), ...got.keys()])].filter(
    (path) => !secret.test(path) && want.get(path) !== got.get(path),
  );
  if (off.length > 0) {
    throw new Error(
      `bench/upstream/wrangler.toml is out of step with the service's: ${off.join(", ")}`,
    );
  }
}

// A confirm answers 200 whatever the provider said: only COMPLETED shows the PSP was reached.
const Confirmed = z.object({ checkout_session: z.object({ status: z.literal("COMPLETED") }) });

/** One session to its confirm; the confirm's time. */
async function confirmOnce(client: Client): Promise<number> {
  const { steps } = lifecycleSteps(client);
  const [create, open, confirm] = steps;
  if (create === undefined || open === undefined || confirm === undefined) {
    throw new Error("no confirm step");
  }
  await create();
  await open();
  const reply = await confirm();
  Confirmed.parse(JSON.parse(reply.body));
  return reply.ms;
}

async function round(target: UpstreamTarget, d1: string[][], plan: UpstreamPlan) {
  const runtime = await startRuntime({ name: "edge-checkout", build: target.build, d1Batches: d1 });
  const client = new Client(runtime.origin);
  try {
    for (let i = 0; i < plan.warmup; i++) await confirmOnce(client);
    const others = watchOthers(runtime.cpuMs);
    const samples: number[] = [];
    for (let i = 0; i < plan.confirms; i++) samples.push(await confirmOnce(client));
    return { samples, otherCores: others() };
  } catch (error) {
    throw new Error(`${target.variant}: ${String(error)}\n${runtime.output()}`);
  } finally {
    client.close();
    await runtime.stop();
  }
}

export async function measureUpstream(options: {
  /** The service as deployed, and bench/upstream/'s build. */
  binding: Build;
  inProcess: Build;
  d1: string[][];
  plan: UpstreamPlan;
  http: HttpPlan;
  log: (line: string) => void;
}): Promise<UpstreamResult> {
  const { d1, plan, http, log } = options;
  checkInStep(options.binding, options.inProcess);
  const targets: UpstreamTarget[] = [
    { variant: "binding", build: options.binding },
    { variant: "inProcess", build: options.inProcess },
  ];
  const results: UpstreamResult = { binding: [], inProcess: [] };
  const retries: Record<UpstreamVariant, number> = {
    binding: http.retries,
    inProcess: http.retries,
  };
  for (let r = 0; r < http.rounds; r++) {
    // Round r runs the variants in one order, round r + 1 in the other.
    for (const target of r % 2 === 0 ? targets : [...targets].reverse()) {
      for (let attempt = 1; ; attempt++) {
        const { samples, otherCores } = await round(target, d1, plan);
        if (otherCores > http.maxOtherCores && retries[target.variant] > 0) {
          retries[target.variant]--;
          log(
            `${target.variant}: other processes kept ${otherCores.toFixed(2)} cores busy, repeating`,
          );
          continue;
        }
        const p50 = percentile(samples, 50);
        const p99 = percentile(samples, 99);
        results[target.variant].push({ p50, p99, samples, otherCores, attempts: attempt });
        log(
          `upstream round ${r + 1} ${target.variant}: confirm p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
        );
        break;
      }
    }
  }
  return results;
}
