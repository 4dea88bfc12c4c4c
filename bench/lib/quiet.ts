/**
 * The machine's other load. Between steps the bench itself runs nothing, so whatever CPU is busy
 * then belongs to someone else (a test run, a build); a step waits for it to calm down, and the
 * report says how busy the machine was.
 */
import { readFileSync } from "node:fs";

/** Busy and total jiffies over all CPUs (the first line of /proc/stat). */
function cpuTimes(): { busy: number; total: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Cores' worth of CPU busy over the next `ms` (0 = idle machine, 2 = both cores busy). */
export async function backgroundLoad(ms = 1000, cores = 2): Promise<number> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total === 0 ? 0 : ((after.busy - before.busy) / total) * cores;
}

/** Waits (up to `maxMs`) until other processes use less than `threshold` cores; returns the last reading. */
export async function waitForQuiet(threshold = 0.25, maxMs = 10_000): Promise<number> {
  const deadline = performance.now() + maxMs;
  let load = await backgroundLoad();
  while (load > threshold && performance.now() < deadline) load = await backgroundLoad();
  return load;
}

/** CPU time this process (the harness and load generator) has used, in ms. */
const ownMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Starts watching the CPU that processes other than the bench use: all busy time on the machine
 * less the runtime's (`runtimeCpuMs`) and this process's own. Call the result for the average
 * number of cores they kept busy since.
 */
export function watchOthers(runtimeCpuMs: () => number): () => number {
  const t0 = performance.now();
  const machine0 = cpuTimes().busy;
  const ours0 = runtimeCpuMs() + ownMs();
  return () => {
    const wall = performance.now() - t0;
    // /proc/stat counts in USER_HZ ticks: 100 a second, so 10 ms each.
    const machine = (cpuTimes().busy - machine0) * 10;
    const ours = runtimeCpuMs() + ownMs() - ours0;
    return wall > 0 ? Math.max(0, (machine - ours) / wall) : 0;
  };
}
