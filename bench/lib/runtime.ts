/**
 * Starts one runtime (serve.ts → Miniflare → workerd) in a fresh process, pinned to its own
 * core with `taskset`, and stops it again. A fresh process and a fresh persistence directory
 * per round: no warm state, no SQLite files piling up from an earlier round.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { Build } from "./build.ts";
import { root, scratch } from "./paths.ts";
import type { ServeConfig } from "./serve-config.ts";

/** Core 0 runs the harness and load generator; the runtime gets core 1. */
export const LOAD_CPU = 0;
export const RUNTIME_CPU = 1;

export interface Runtime {
  /** The Worker's own socket on 127.0.0.1. */
  origin: string;
  persistTo: string;
  /** workerd's V8 inspector, when asked for. */
  inspector: string | null;
  /** `Cpus_allowed_list` of the runtime process and every descendant (workerd), checked. */
  cpus: string[];
  /** CPU time (user + system) the runtime's processes have used so far, in milliseconds. */
  cpuMs: () => number;
  /** What the runtime printed (workerd's console and errors), for a failing step's message. */
  output: () => string;
  stop: (options?: { keepFiles?: boolean }) => Promise<void>;
}

export interface RuntimeOptions {
  name: string;
  build: Build;
  d1Batches?: string[][];
  maxLifetimeMs?: number;
  inspect?: boolean;
  /**
   * The persistence directory of an earlier runtime stopped with `keepFiles` (its D1 is already
   * migrated: pass no `d1Batches`). Default: a fresh one.
   */
  persistTo?: string;
}

const Ready = z.object({ url: z.string().url(), inspector: z.string().nullable() });

function descendants(pid: number): number[] {
  const children: number[] = [];
  for (const task of safeList(`/proc/${pid}/task`)) {
    const text = safeRead(`/proc/${pid}/task/${task}/children`);
    for (const child of text.split(/\s+/).filter(Boolean)) children.push(Number(child));
  }
  return [pid, ...children.flatMap(descendants)];
}

const safeList = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};
const safeRead = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
};

/** utime + stime of one process, in ms (fields 14 and 15 of /proc/<pid>/stat, 100 ticks/s). */
function cpuMsOf(pid: number): number {
  const stat = safeRead(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
}

const cpusOf = (pid: number) =>
  /Cpus_allowed_list:\s*(\S+)/.exec(safeRead(`/proc/${pid}/status`))?.[1] ?? "?";

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const persistTo = options.persistTo ?? scratch("state");
  const config: ServeConfig = {
    name: options.name,
    scriptPath: options.build.scriptPath,
    workerOptions: options.build.workerOptions,
    auxiliaryWorkers: options.build.auxiliaryWorkers,
    persistTo,
    d1Batches: options.d1Batches ?? [],
    maxLifetimeMs: options.maxLifetimeMs ?? 120_000,
    inspect: options.inspect ?? false,
  };
  const configPath = `${persistTo}.json`;
  writeFileSync(configPath, JSON.stringify(config));
  const child: ChildProcess = spawn(
    "taskset",
    ["-c", String(RUNTIME_CPU), process.execPath, join(root, "bench/lib/serve.ts"), configPath],
    { cwd: root, stdio: ["pipe", "pipe", "pipe"], detached: true },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.stdout === null) throw new Error("no stdout from the runtime process");
  const lines = createInterface({ input: child.stdout });
  const ready = await Promise.race([
    new Promise<string>((resolve) => lines.once("line", resolve)),
    exited.then(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000).unref()),
  ]);
  const kill = () => {
    // The runtime's own process group (detached above): serve.ts and the workerd it started.
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  };
  if (ready === null) {
    kill();
    throw new Error(`the runtime did not start:\n${stderr}`);
  }
  lines.on("line", (line) => {
    stderr += `${line}\n`;
  });
  const { url, inspector } = Ready.parse(JSON.parse(ready));
  const origin = new URL(url).origin;
  const cpus = descendants(child.pid ?? 0).map(cpusOf);
  if (cpus.some((list) => list !== String(RUNTIME_CPU))) {
    kill();
    throw new Error(`the runtime is not pinned to CPU ${RUNTIME_CPU}: ${cpus.join(", ")}`);
  }
  return {
    origin,
    persistTo,
    inspector,
    cpus,
    output: () => stderr,
    cpuMs: () => descendants(child.pid ?? 0).reduce((total, pid) => total + cpuMsOf(pid), 0),
    stop: async ({ keepFiles = false } = {}) => {
      child.stdin?.end();
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref()),
      ]);
      if (!stopped) {
        kill();
        await exited;
      }
      if (!keepFiles) {
        rmSync(persistTo, { recursive: true, force: true });
        rmSync(configPath, { force: true });
      }
    },
  };
}
