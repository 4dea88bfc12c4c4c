/** How much `npm run bench` measures: every count and time bound in one place. */
import type { ListsPlan } from "../lists/result.ts";
import type { HttpPlan } from "../service/http.ts";
import type { UpstreamPlan } from "../upstream/measure.ts";

export interface Plan {
  machineRounds: number;
  http: HttpPlan;
  /** The latency rate, as a fraction of the slower target's median closed-loop throughput. */
  loadFraction: number;
  /** Confirms through the sandbox upstream, per round (rounds, repeats: `http`). */
  upstream: UpstreamPlan;
  profileLifecycles: number;
  storageSessions: number;
  webhookSessions: number;
  webhookMaxRate: number;
  lists: ListsPlan;
}

export const PLANS: Record<"full" | "quick", Plan> = {
  full: {
    machineRounds: 5,
    http: {
      rounds: 3,
      // Sessions per runtime process: warm-up plus one measurement, at most 165 (under 300).
      warmup: 15,
      concurrency: 8,
      throughputCount: 150,
      latencyCount: 100,
      maxMs: 30_000,
      maxOtherCores: 0.3,
      retries: 2,
    },
    loadFraction: 0.4,
    upstream: { confirms: 200, warmup: 10 },
    profileLifecycles: 60,
    storageSessions: 5,
    webhookSessions: 50,
    webhookMaxRate: 10,
    lists: { sizes: [1_000, 10_000, 100_000], requests: 200, warmup: 20 },
  },
  quick: {
    machineRounds: 1,
    http: {
      rounds: 1,
      warmup: 5,
      concurrency: 4,
      throughputCount: 20,
      latencyCount: 20,
      maxMs: 15_000,
      maxOtherCores: 0.3,
      retries: 0,
    },
    loadFraction: 0.4,
    upstream: { confirms: 10, warmup: 2 },
    profileLifecycles: 10,
    storageSessions: 1,
    webhookSessions: 10,
    webhookMaxRate: 10,
    lists: { sizes: [100, 1_000], requests: 30, warmup: 5 },
  },
};
