/**
 * Two ways to load a runtime, both bounded in count and in time:
 * - closed loop (N lifecycles in flight, each starting as one ends): the throughput ceiling;
 * - open loop (lifecycles start on a fixed schedule, whatever happens to earlier ones): latency
 *   at a fixed rate. Each lifecycle is timed from its *scheduled* start, so a runtime that falls
 *   behind shows its queueing in the figures instead of slowing the generator down.
 */
import { type Client, type LifecycleResult, lifecycle } from "./client.ts";

export interface ClosedLoopResult {
  lifecycles: number;
  errors: string[];
  seconds: number;
  perSecond: number;
}

export async function closedLoop(
  client: Client,
  options: { concurrency: number; count: number; maxMs: number },
): Promise<ClosedLoopResult> {
  let started = 0;
  let done = 0;
  const errors: string[] = [];
  const t0 = performance.now();
  const deadline = t0 + options.maxMs;
  const worker = async () => {
    while (started < options.count && performance.now() < deadline) {
      started++;
      const result = await lifecycle(client);
      if (result.ok) done++;
      else errors.push(result.error ?? "failed");
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  return { lifecycles: done, errors, seconds, perSecond: done / seconds };
}

export interface OpenLoopResult {
  /** Session ids of the lifecycles that completed. */
  ids: string[];
  /** Per lifecycle: milliseconds from its scheduled start to the last byte of its last reply. */
  lifecycleMs: number[];
  /** Per step (create, open, confirm, retrieve): milliseconds of each request. */
  stepMs: number[][];
  errors: string[];
  /** Lifecycles the generator itself started more than 2 ms late (it should be none). */
  lateStarts: number;
  ratePerSecond: number;
  seconds: number;
}

export async function openLoop(
  client: Client,
  options: { ratePerSecond: number; count: number; maxMs: number },
): Promise<OpenLoopResult> {
  const interval = 1000 / options.ratePerSecond;
  const results: Array<Promise<{ result: LifecycleResult; ms: number }>> = [];
  let lateStarts = 0;
  const t0 = performance.now() + 5;
  const deadline = t0 + options.maxMs;
  for (let i = 0; i < options.count; i++) {
    const scheduled = t0 + i * interval;
    if (scheduled > deadline) break;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (performance.now() - scheduled > 2) lateStarts++;
    results.push(
      lifecycle(client).then((result) => ({ result, ms: performance.now() - scheduled })),
    );
  }
  const settled = await Promise.all(results);
  const ok = settled.filter((entry) => entry.result.ok);
  return {
    ids: ok.map((entry) => entry.result.id),
    lifecycleMs: ok.map((entry) => entry.ms),
    stepMs: [0, 1, 2, 3].map((step) => ok.map((entry) => entry.result.steps[step] ?? Number.NaN)),
    errors: settled.flatMap((entry) => (entry.result.ok ? [] : [entry.result.error ?? "failed"])),
    lateStarts,
    ratePerSecond: options.ratePerSecond,
    seconds: (performance.now() - t0) / 1000,
  };
}
