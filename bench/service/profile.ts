/**
 * What the service's CPU goes to: a V8 CPU profile of workerd while it runs lifecycles, taken
 * through workerd's inspector (Chrome DevTools Protocol) in a separate, untimed runtime. Samples
 * of the service's isolate are attributed to the bundle's modules by esbuild's `// path` markers;
 * the D1 simulator (Miniflare's own Worker standing in for D1) is profiled beside it. A sample
 * lands wherever the JS stack is, including inside a synchronous native call (a SQLite write
 * waiting on the disk), so the shares are of time spent, not of CPU alone. Profiling slows the
 * runtime down, so this step gives shares, never timings.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import type { Build } from "../lib/build.ts";
import { Client } from "../lib/client.ts";
import { closedLoop } from "../lib/load.ts";
import { startRuntime } from "../lib/runtime.ts";
import { groupOf } from "../size/bundle.ts";

const Targets = z.array(z.object({ id: z.string(), webSocketDebuggerUrl: z.string() }));

const CallFrame = z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() });
const Profile = z.object({
  nodes: z.array(z.object({ id: z.number(), callFrame: CallFrame })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
type Profile = z.infer<typeof Profile>;

const Reply = z.object({
  id: z.number(),
  result: z.unknown().optional(),
  error: z.unknown().optional(),
});

/** A minimal CDP session over the WebSocket Node 22 ships. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (message) => {
    const reply = Reply.safeParse(JSON.parse(String(message.data)));
    if (reply.success) pending.get(reply.data.id)?.(reply.data.result);
  });
  return {
    send: (method: string, params: Record<string, unknown> = {}) =>
      new Promise<unknown>((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
    close: () => socket.close(),
  };
}

/** Bundle line (0-based) → the module esbuild placed there. */
function moduleLines(bundlePath: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  readFileSync(bundlePath, "utf8")
    .split("\n")
    .forEach((text, line) => {
      const marker = /^\/\/ ((?:\.\.\/)*[\w@.-]+\/[\w@./-]+\.[cm]?[jt]s)$/.exec(text);
      if (marker?.[1] !== undefined) starts.push([line, marker[1]]);
    });
  return (line) => {
    let found = "bundle";
    for (const [start, path] of starts) {
      if (start > line) break;
      found = path;
    }
    return found;
  };
}

export interface ProfileShares {
  /** Milliseconds of samples per group, busy time only (idle excluded). */
  groups: Array<{ name: string; ms: number; share: number }>;
  lifecycles: number;
}

/** Native calls into the object's storage (SQLite statements, transactions, alarms). */
const STORAGE_CALLS = new Set([
  "exec",
  "transactionSync",
  "transaction",
  "setAlarm",
  "deleteAlarm",
  "getAlarm",
  "toArray",
  "next",
  "one",
  "raw",
]);

export const D1_SIMULATOR = "D1 simulator (Miniflare's Worker standing in for D1)";

/**
 * A sample's group. Only frames of the bundle itself are mapped onto its modules by line; a frame
 * of another script in the isolate (the runtime's own, such as its D1 client) is its own group.
 */
function groupOfFrame(
  frame: z.infer<typeof CallFrame>,
  bundleName: string,
  lineToModule: (line: number) => string,
) {
  if (frame.functionName.startsWith("(")) return "V8 itself: (program), (garbage collector)";
  if (frame.url !== "") {
    return frame.url.endsWith(bundleName)
      ? groupOf(lineToModule(frame.lineNumber))
      : `the runtime's own script ${frame.url}`;
  }
  return STORAGE_CALLS.has(frame.functionName)
    ? "storage API calls (SQLite statements, transactions, alarms)"
    : "other runtime API calls (bodies, fetch, URL, crypto, …)";
}

function attribute(
  profile: Profile,
  into: Map<string, number>,
  group: (frame: z.infer<typeof CallFrame>) => string,
) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  profile.samples.forEach((nodeId, i) => {
    const frame = nodes.get(nodeId);
    if (frame === undefined || frame.functionName === "(idle)") return;
    const name = group(frame);
    into.set(name, (into.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
}

export async function profileService(options: {
  build: Build;
  d1: string[][];
  lifecycles: number;
}): Promise<ProfileShares> {
  const runtime = await startRuntime({
    name: "edge-checkout",
    build: options.build,
    d1Batches: options.d1,
    inspect: true,
  });
  const client = new Client(runtime.origin);
  try {
    const host = new URL(runtime.inspector ?? "").host;
    const targets = Targets.parse(await (await fetch(`http://${host}/json`)).json());
    const lineToModule = moduleLines(options.build.scriptPath);
    const wanted = [
      {
        id: "core:user:edge-checkout",
        group: (frame: z.infer<typeof CallFrame>) =>
          groupOfFrame(frame, basename(options.build.scriptPath), lineToModule),
      },
      { id: "d1:db", group: () => D1_SIMULATOR },
    ];
    const sessions = await Promise.all(
      wanted.map(async ({ id, group }) => {
        const target = targets.find((t) => t.id === id);
        if (target === undefined) throw new Error(`no inspector target ${id}`);
        return { group, cdp: await connect(target.webSocketDebuggerUrl) };
      }),
    );
    await closedLoop(client, { concurrency: 2, count: 10, maxMs: 30_000 });
    for (const { cdp } of sessions) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    const run = await closedLoop(client, {
      concurrency: 2,
      count: options.lifecycles,
      maxMs: 60_000,
    });
    const totals = new Map<string, number>();
    for (const { group, cdp } of sessions) {
      const stopped = z.object({ profile: Profile }).parse(await cdp.send("Profiler.stop"));
      attribute(stopped.profile, totals, group);
      cdp.close();
    }
    const busy = [...totals.values()].reduce((a, b) => a + b, 0);
    const groups = [...totals.entries()]
      .map(([name, ms]) => ({ name, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms);
    return { groups, lifecycles: run.lifecycles };
  } finally {
    client.close();
    await runtime.stop();
  }
}
