/**
 * Webhook latency on loopback: from the state change that emits the events (the session's
 * `PROVIDER_SUCCEEDED`, timed by the object's own clock in its journal) to the receiver having
 * the first delivery (`charge.succeeded`, sequence 1) and the last (`checkout_session.completed`,
 * sequence 3; delivery is in order, each event waits for the one before). Sessions start at a
 * fixed rate below saturation; a fresh runtime per round.
 */
import type { Build } from "../lib/build.ts";
import { Client, journal, registerEndpoint } from "../lib/client.ts";
import { closedLoop, openLoop } from "../lib/load.ts";
import { startReceiver } from "../lib/receiver.ts";
import { startRuntime } from "../lib/runtime.ts";

export interface WebhookRound {
  sessions: number;
  /** Milliseconds from the state change to the receiver, per session. */
  firstMs: number[];
  lastMs: number[];
  /** Sessions whose deliveries did not all arrive in time. */
  missing: number;
  /** Deliveries of an event that had already arrived (retries). */
  duplicates: number;
}

const EVENT_ID = /^evt_(.+)_(\d+)$/;
const WAIT_FOR_DELIVERIES_MS = 15_000;

/** Polls until `done()` or the delivery wait runs out. */
async function until(done: () => boolean): Promise<void> {
  const deadline = performance.now() + WAIT_FOR_DELIVERIES_MS;
  while (!done() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function measureWebhooks(options: {
  build: Build;
  d1: string[][];
  ratePerSecond: number;
  sessions: number;
  warmup: number;
}): Promise<WebhookRound> {
  const receiver = await startReceiver();
  const runtime = await startRuntime({
    name: "edge-checkout",
    build: options.build,
    d1Batches: options.d1,
  });
  const client = new Client(runtime.origin);
  try {
    await registerEndpoint(client, receiver.url);
    const warmup = await closedLoop(client, {
      concurrency: 1,
      count: options.warmup,
      maxMs: 30_000,
    });
    // The warm-up's webhooks arrive after its lifecycles end: let them all land first.
    await until(() => receiver.deliveries.length >= warmup.lifecycles * 3);
    const warm = receiver.deliveries.length;
    const load = await openLoop(client, {
      ratePerSecond: options.ratePerSecond,
      count: options.sessions,
      maxMs: 30_000,
    });
    if (load.errors.length > 0) throw new Error(`lifecycles failed: ${load.errors[0]}`);
    await until(() => receiver.deliveries.length - warm >= load.ids.length * 3);
    const arrived = new Map<string, number>();
    let duplicates = 0;
    for (const delivery of receiver.deliveries.slice(warm)) {
      if (arrived.has(delivery.webhookId)) duplicates++;
      else arrived.set(delivery.webhookId, delivery.firstByteAt);
    }
    const firstMs: number[] = [];
    const lastMs: number[] = [];
    let missing = 0;
    for (const id of load.ids) {
      const changed = (await journal(client, id)).find((e) => e.type === "PROVIDER_SUCCEEDED")?.at;
      const first = arrived.get(`evt_${id}_1`);
      const last = arrived.get(`evt_${id}_3`);
      if (changed === undefined || first === undefined || last === undefined) {
        missing++;
        continue;
      }
      firstMs.push(first - changed);
      lastMs.push(last - changed);
    }
    // Every id the receiver saw must be one of ours: nothing else is being delivered.
    for (const id of arrived.keys())
      if (!EVENT_ID.test(id)) throw new Error(`odd webhook-id ${id}`);
    return { sessions: load.ids.length, firstMs, lastMs, missing, duplicates };
  } finally {
    client.close();
    await runtime.stop();
    await receiver.close();
  }
}
