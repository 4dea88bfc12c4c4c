/**
 * How list cost grows with the index: `GET /v1/checkout-sessions` and `GET /v1/events` for one
 * merchant (the sandbox one) with each size of the plan in both indexes. Real rows first: a few
 * sessions through the service (completed with a card, with a webhook endpoint registered so
 * their events are delivered; one left open; one the payer cancelled). Then, for each size, the
 * runtime is stopped, seed.ts copies those rows into the D1 file until each index holds the size,
 * and a runtime restarted on the same persistence answers the list requests, one at a time, each
 * kind in turn, after a warm-up.
 */
import { rmSync } from "node:fs";
import type { Build } from "../lib/build.ts";
import {
  Client,
  lifecycle,
  lifecycleSteps,
  MERCHANT,
  type Reply,
  registerEndpoint,
} from "../lib/client.ts";
import { watchOthers } from "../lib/quiet.ts";
import { startReceiver } from "../lib/receiver.ts";
import { type Runtime, startRuntime } from "../lib/runtime.ts";
import { percentile } from "../lib/stats.ts";
import { d1Database } from "../storage/sqlite-files.ts";
import {
  LIST_KINDS,
  type ListKind,
  type ListSize,
  type ListsPlan,
  type ListsResult,
  type ListTiming,
} from "./result.ts";
import { type Position, Seeder } from "./seed.ts";

const NAME = "edge-checkout";
const MERCHANT_ID = "m_sandbox";
const LIMIT = 20;
const COMPLETED = 3;
const SETTLE_MS = 15_000;

const cursor = (at: Position) =>
  Buffer.from(JSON.stringify([at.createdAt, at.id])).toString("base64url");

const pageRows = (body: string): Array<{ id: string; status?: string }> => JSON.parse(body).data;

async function get(client: Client, path: string): Promise<Reply> {
  const reply = await client.request("GET", path, undefined, MERCHANT);
  if (reply.status !== 200) throw new Error(`GET ${path}: HTTP ${reply.status} ${reply.body}`);
  return reply;
}

/** Real sessions and their events in D1, every projection and delivery settled. */
async function realRows(client: Client, deliveries: () => number): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < COMPLETED; i++) {
    const result = await lifecycle(client);
    if (!result.ok) throw new Error(`lifecycle: ${result.error}`);
    ids.push(result.id);
  }
  const open = lifecycleSteps(client);
  await open.steps[0]?.();
  const cancelled = lifecycleSteps(client);
  await cancelled.steps[0]?.();
  const exit = `/v1/checkout-sessions/token/${encodeURIComponent(cancelled.session.token)}/exit`;
  const exited = await client.request("POST", exit);
  if (exited.status !== 200) throw new Error(`exit: HTTP ${exited.status} ${exited.body}`);
  ids.push(open.session.id, cancelled.session.id);
  const deadline = performance.now() + SETTLE_MS;
  for (;;) {
    const sessions = pageRows((await get(client, "/v1/checkout-sessions?limit=100")).body);
    const events: Array<{ delivery: { status: string } }> = JSON.parse(
      (await get(client, "/v1/events?limit=100")).body,
    ).data;
    const settled =
      ids.every((id) => sessions.some((s) => s.id === id)) &&
      sessions.find((s) => s.id === cancelled.session.id)?.status === "CANCELLED" &&
      sessions.filter((s) => s.status === "COMPLETED").length === COMPLETED &&
      events.length > 0 &&
      events.length === deliveries() &&
      events.every((e) => e.delivery.status === "delivered");
    if (settled) return;
    if (performance.now() > deadline) throw new Error("the real sessions did not settle");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Request {
  path: string;
  /** Throws unless the page is the one asked for. */
  check: (rows: Array<{ id: string; status?: string }>) => void;
}

function requests(middle: Record<"sessions" | "events", [Position, Position]>) {
  const full = (rows: unknown[]) => {
    if (rows.length !== LIMIT) throw new Error(`a page of ${rows.length} rows, not ${LIMIT}`);
  };
  const startsAt = (next: Position) => (rows: Array<{ id: string }>) => {
    full(rows);
    if (rows[0]?.id !== next.id)
      throw new Error(`the page starts at ${rows[0]?.id}, not ${next.id}`);
  };
  const all: Record<ListKind, Request> = {
    sessions: { path: `/v1/checkout-sessions?limit=${LIMIT}`, check: full },
    sessionsCompleted: {
      path: `/v1/checkout-sessions?limit=${LIMIT}&status=COMPLETED`,
      check: (rows) => {
        full(rows);
        if (rows.some((r) => r.status !== "COMPLETED")) throw new Error("not only COMPLETED");
      },
    },
    sessionsDeep: {
      path: `/v1/checkout-sessions?limit=${LIMIT}&cursor=${cursor(middle.sessions[0])}`,
      check: startsAt(middle.sessions[1]),
    },
    events: { path: `/v1/events?limit=${LIMIT}`, check: full },
    eventsDeep: {
      path: `/v1/events?limit=${LIMIT}&cursor=${cursor(middle.events[0])}`,
      check: startsAt(middle.events[1]),
    },
  };
  return all;
}

/** Every kind in turn, `warmup` untimed rounds then `count` timed ones. */
async function timeKinds(
  client: Client,
  kinds: Record<ListKind, Request>,
  plan: ListsPlan,
): Promise<Record<ListKind, ListTiming>> {
  const ms = Object.fromEntries(LIST_KINDS.map((kind) => [kind, [] as number[]])) as Record<
    ListKind,
    number[]
  >;
  const last: Partial<Record<ListKind, Reply>> = {};
  for (let round = 0; round < plan.warmup + plan.requests; round++) {
    for (const kind of LIST_KINDS) {
      const reply = await get(client, kinds[kind].path);
      if (round === 0) kinds[kind].check(pageRows(reply.body));
      if (round >= plan.warmup) ms[kind].push(reply.ms);
      last[kind] = reply;
    }
  }
  const timing = (kind: ListKind): ListTiming => ({
    p50: percentile(ms[kind], 50),
    p99: percentile(ms[kind], 99),
    bytes: Buffer.byteLength(last[kind]?.body ?? ""),
    rows: pageRows(last[kind]?.body ?? '{"data":[]}').length,
  });
  return Object.fromEntries(LIST_KINDS.map((kind) => [kind, timing(kind)])) as Record<
    ListKind,
    ListTiming
  >;
}

export async function measureLists(options: {
  build: Build;
  d1: string[][];
  plan: ListsPlan;
  log: (line: string) => void;
}): Promise<ListsResult> {
  const { plan, log } = options;
  const receiver = await startReceiver();
  let runtime: Runtime | null = null;
  let persistTo: string | null = null;
  try {
    runtime = await startRuntime({ name: NAME, build: options.build, d1Batches: options.d1 });
    persistTo = runtime.persistTo;
    const setup = new Client(runtime.origin);
    await registerEndpoint(setup, receiver.url);
    await realRows(setup, () => new Set(receiver.deliveries.map((d) => d.webhookId)).size);
    setup.close();
    await runtime.stop({ keepFiles: true });
    runtime = null;
    const seeder = new Seeder(d1Database(persistTo), MERCHANT_ID);
    const sizes: ListSize[] = [];
    for (const rows of plan.sizes) {
      const grown = seeder.growTo(rows);
      log(
        `lists: ${grown.sessions} sessions, ${grown.events} events seeded in ${grown.seconds.toFixed(1)} s`,
      );
      runtime = await startRuntime({ name: NAME, build: options.build, persistTo });
      const client = new Client(runtime.origin);
      const others = watchOthers(runtime.cpuMs);
      const timings = await timeKinds(client, requests(grown.middle), plan);
      const otherCores = others();
      client.close();
      await runtime.stop({ keepFiles: true });
      runtime = null;
      sizes.push({
        sessions: grown.sessions,
        events: grown.events,
        d1Bytes: grown.fileBytes,
        seedSeconds: grown.seconds,
        otherCores,
        timings,
        plans: grown.plans,
      });
    }
    return {
      requests: plan.requests,
      warmup: plan.warmup,
      templates: { statuses: seeder.statuses, events: seeder.templateEvents },
      sizes,
    };
  } finally {
    await runtime?.stop();
    if (persistTo !== null) {
      rmSync(persistTo, { recursive: true, force: true });
      rmSync(`${persistTo}.json`, { force: true });
    }
    await receiver.close();
  }
}
