/**
 * Storage per accepted event and per completed session. Three fresh runtimes; sessions run one
 * at a time, step by step (stepwise.ts), so every write can be attributed to its step:
 * 1. the service as built for deploy: SQLite commits counted in each object's WAL, then rows and
 *    bytes read from the files once the runtime stopped;
 * 2. the baseline through the same WAL reading, which checks the method (one write a request);
 * 3. the instrumented build (worker.ts): statements, rows written and alarm writes per step.
 * Accepted events are the session's journal (`GET /v1/checkout-sessions/:id/journal`). One
 * webhook endpoint is registered, so a completed session has delivered its webhooks.
 */
import type { Build } from "../lib/build.ts";
import { Client, lifecycle, registerEndpoint } from "../lib/client.ts";
import { startReceiver } from "../lib/receiver.ts";
import { startRuntime } from "../lib/runtime.ts";
import { median, sum } from "../lib/stats.ts";
import { Counters, meanCounters } from "./counters.ts";
import {
  bytesOnDisk,
  d1Database,
  objectDatabases,
  type TableStats,
  tableStats,
  walCommits,
} from "./sqlite-files.ts";
import { stepwise } from "./stepwise.ts";

export interface StepStorage {
  step: string;
  /** Per session (means over the sessions run). */
  events: number;
  /** Median request time of the step, one session at a time, after the previous step settled. */
  ms: number;
  commits: number;
  counters: Counters;
}

export interface StorageResult {
  sessions: number;
  steps: StepStorage[];
  eventTypes: string[];
  /** Per completed session: the object's tables, its database size, and what D1 gained. */
  objectTables: Record<string, TableStats>;
  objectFileBytes: number;
  objectDiskBytes: number;
  d1Tables: Record<string, TableStats>;
  baselineCommitsPerLifecycle: number;
  /** The baseline's request times per step, one lifecycle at a time (medians). */
  baselineStepMs: number[];
}

/** Per-table sums of `add`, less those of `subtract`, divided by `n`. */
function perSession(
  add: Array<Record<string, TableStats>>,
  n: number,
  subtract: Record<string, TableStats> = {},
): Record<string, TableStats> {
  const out: Record<string, TableStats> = {};
  for (const [name, { rows, payloadBytes }] of Object.entries(subtract)) {
    out[name] = { rows: -rows / n, payloadBytes: -payloadBytes / n };
  }
  for (const stats of add) {
    for (const [name, { rows, payloadBytes }] of Object.entries(stats)) {
      const total = out[name] ?? { rows: 0, payloadBytes: 0 };
      out[name] = {
        rows: total.rows + rows / n,
        payloadBytes: total.payloadBytes + payloadBytes / n,
      };
    }
  }
  return out;
}

export async function measureStorage(options: {
  service: Build;
  baseline: Build;
  instrumented: Build;
  d1: string[][];
  sessions: number;
}): Promise<StorageResult> {
  const { sessions } = options;
  const receiver = await startReceiver();
  try {
    // 1. The deployable build: commits from the WAL, then rows and bytes from the files.
    const runtime = await startRuntime({
      name: "edge-checkout",
      build: options.service,
      d1Batches: options.d1,
    });
    const client = new Client(runtime.origin);
    await registerEndpoint(client, receiver.url);
    const d1File = d1Database(runtime.persistTo);
    const d1Before = tableStats(d1File).tables;
    const objects = () => objectDatabases(runtime.persistTo, "edge-checkout-SessionObject");
    let committed = 0;
    const wal = await stepwise(client, sessions, objects, {
      read: async (files) => {
        const now = sum(files.map((file) => walCommits(`${file}-wal`)));
        const delta = now - committed;
        committed = now;
        return delta;
      },
      // A new session's commits start from zero.
      nextSession: async () => {
        committed = 0;
      },
    });
    client.close();
    await runtime.stop({ keepFiles: true });
    const files = objects();
    const objectStats = files.map(tableStats);
    const d1Tables = perSession([tableStats(d1File).tables], sessions, d1Before);
    const objectDiskBytes = sum(files.map(bytesOnDisk)) / files.length;
    await runtime.stop();

    // 2. The baseline, through the same WAL reading.
    const base = await startRuntime({ name: "edge-checkout-baseline", build: options.baseline });
    const baseClient = new Client(base.origin);
    const baseSteps: number[][] = [[], [], [], []];
    for (let i = 0; i < sessions; i++) {
      const result = await lifecycle(baseClient);
      result.steps.forEach((ms, step) => {
        baseSteps[step]?.push(ms);
      });
    }
    const baseFiles = objectDatabases(base.persistTo, "edge-checkout-baseline-BaselineObject");
    const baselineCommits = sum(baseFiles.map((file) => walCommits(`${file}-wal`)));
    baseClient.close();
    await base.stop();

    // 3. The instrumented build: what the object asked of its storage and D1, step by step.
    const counted = await startRuntime({
      name: "edge-checkout",
      build: options.instrumented,
      d1Batches: options.d1,
    });
    const countedClient = new Client(counted.origin);
    await registerEndpoint(countedClient, receiver.url);
    const readCounters = async () => {
      const reply = await countedClient.request("GET", "/__bench/counters");
      return Counters.parse(JSON.parse(reply.body));
    };
    const counts = await stepwise(countedClient, sessions, () => [], {
      nextSession: readCounters,
      read: readCounters,
    });
    countedClient.close();
    await counted.stop();

    return {
      sessions,
      steps: wal.steps.map((step, i) => ({
        step: step.step,
        events: step.events / sessions,
        ms: median(step.ms),
        commits: sum(step.cost) / sessions,
        counters: meanCounters(counts.steps[i]?.cost ?? []),
      })),
      eventTypes: wal.eventTypes,
      objectTables: perSession(
        objectStats.map((s) => s.tables),
        files.length,
      ),
      objectFileBytes: sum(objectStats.map((s) => s.fileBytes)) / files.length,
      objectDiskBytes,
      d1Tables,
      baselineCommitsPerLifecycle: baselineCommits / sessions,
      baselineStepMs: baseSteps.map(median),
    };
  } finally {
    await receiver.close();
  }
}
