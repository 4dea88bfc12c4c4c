/**
 * Runs sessions one at a time, one step at a time, and after each step waits for the session to
 * settle (its journal stops growing: the webhooks a confirm emitted are delivered; and D1 shows
 * it as it is: the projection written after the answer has landed), then records what the step
 * cost: accepted events, and whatever `probe` reads.
 */
import { type Client, journal, lifecycleSteps, projected, STEPS } from "../lib/client.ts";

const SETTLE_QUIET_MS = 200;
const SETTLE_MAX_MS = 10_000;

async function settledJournal(client: Client, id: string) {
  const deadline = performance.now() + SETTLE_MAX_MS;
  let entries = await journal(client, id);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_QUIET_MS));
    const again = await journal(client, id);
    if (performance.now() > deadline) return again;
    if (again.length === entries.length && (await projected(client, id))) return again;
    entries = again;
  }
}

export interface Probe<T> {
  /** Called before each session's first step (e.g. to reset counters). */
  nextSession?: () => Promise<unknown>;
  /** What the step cost, read after it settled, given the session's object files. */
  read: (objectFiles: string[]) => Promise<T>;
}

export interface Stepwise<T> {
  /** Per step: accepted events summed over every session; each session's cost and request ms. */
  steps: Array<{ step: string; events: number; cost: T[]; ms: number[] }>;
  /** Accepted event types of the last session, in order. */
  eventTypes: string[];
}

export async function stepwise<T>(
  client: Client,
  sessions: number,
  objectFiles: () => string[],
  probe: Probe<T>,
): Promise<Stepwise<T>> {
  const steps = STEPS.map((step) => ({
    step: step as string,
    events: 0,
    cost: [] as T[],
    ms: [] as number[],
  }));
  let eventTypes: string[] = [];
  for (let i = 0; i < sessions; i++) {
    await probe.nextSession?.();
    const before = new Set(objectFiles());
    const { session, steps: run } = lifecycleSteps(client);
    let files: string[] = [];
    let events = 0;
    for (const [index, step] of run.entries()) {
      const reply = await step();
      const entries = await settledJournal(client, session.id);
      if (index === 0) files = objectFiles().filter((file) => !before.has(file));
      const record = steps[index];
      if (record === undefined) continue;
      record.events += entries.length - events;
      record.ms.push(reply.ms);
      record.cost.push(await probe.read(files));
      events = entries.length;
      eventTypes = entries.map((entry) => entry.type);
    }
  }
  return { steps, eventTypes };
}
