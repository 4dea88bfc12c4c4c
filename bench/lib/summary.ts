/** One run's results as the report reads them, and the figures its targets and sections quote. */
import { firstPageGrowth, type ListsResult, listsDisturbed } from "../lists/result.ts";
import type { MachinesResult } from "../machines/result.ts";
import type { LatencyRound, ThroughputRound } from "../service/http.ts";
import type { ProfileShares } from "../service/profile.ts";
import type { BundleSize } from "../size/bundle.ts";
import type { StorageResult } from "../storage/measure.ts";
import type { UpstreamResult } from "../upstream/measure.ts";
import type { WebhookRound } from "../webhooks/measure.ts";
import type { Environment } from "./environment.ts";
import type { Plan } from "./plan.ts";
import { median, percentile, sum } from "./stats.ts";

export interface Results {
  plan: Plan;
  quick: boolean;
  environment: Environment & { backgroundLoad: number };
  seconds: number;
  machines: MachinesResult;
  http: {
    throughput: Record<string, ThroughputRound[]>;
    latency: Record<string, LatencyRound[]>;
    ratePerSecond: number;
  };
  upstream: UpstreamResult;
  profile: ProfileShares;
  storage: StorageResult;
  size: { deploy: BundleSize; readable: BundleSize };
  webhooks: { rounds: WebhookRound[]; ratePerSecond: number };
  lists: ListsResult;
}

/**
 * The rounds a median is taken over: those other processes left alone, when there are at least
 * two of them; otherwise every round (the report says which).
 */
export function usable<T extends { otherCores: number }>(rounds: T[], plan: Plan): T[] {
  const clean = rounds.filter((round) => round.otherCores <= plan.http.maxOtherCores);
  return clean.length >= 2 ? clean : rounds;
}

/** Whether a median had to include rounds other processes disturbed. */
const disturbed = <T extends { otherCores: number }>(rounds: T[], plan: Plan) =>
  usable(rounds, plan).some((round) => round.otherCores > plan.http.maxOtherCores);

/** The figures the targets and sections quote, computed once. */
export function summarise(results: Results) {
  const { machines, http, storage, size, webhooks, lists } = results;
  const ns = machines.nsPerLifecycle;
  const machinesRatio = median(ns.checkoutWarm) / median(ns.bareWarm);
  const tp = (label: string) => usable(http.throughput[label] ?? [], results.plan);
  const lat = (label: string) => usable(http.latency[label] ?? [], results.plan);
  const med = <T>(rounds: T[], pick: (round: T) => number) => median(rounds.map(pick));
  const latency = (label: string) => ({
    p50: med(lat(label), (r) => r.lifecycleMs.p50),
    p99: med(lat(label), (r) => r.lifecycleMs.p99),
    pooledP99: percentile(
      lat(label).flatMap((r) => r.samples),
      99,
    ),
    steps: [0, 1, 2, 3].map((i) => ({
      p50: med(lat(label), (r) => r.stepMs[i]?.p50 ?? Number.NaN),
      p99: med(lat(label), (r) => r.stepMs[i]?.p99 ?? Number.NaN),
    })),
  });
  const service = latency("service");
  const baseline = latency("baseline");
  const events = sum(storage.steps.map((s) => s.events));
  const perEvent = (pick: (s: StorageResult["steps"][number]) => number) =>
    sum(storage.steps.map(pick)) / events;
  const hook = (pick: (r: WebhookRound) => number[], p: number) =>
    median(webhooks.rounds.map((r) => percentile(pick(r), p)));
  return {
    machines: {
      /** Warm: the snapshot kept in memory, stored after each event (the service's usual path). */
      ratio: machinesRatio,
      ours: 1e9 / median(ns.checkoutWarm),
      bare: 1e9 / median(ns.bareWarm),
      /** Cold: restored from storage before every event (every event after an eviction). */
      coldRatio: median(ns.checkout) / median(ns.bare),
      coldOurs: 1e9 / median(ns.checkout),
      coldBare: 1e9 / median(ns.bare),
    },
    throughput: {
      service: med(tp("service"), (r) => r.lifecyclesPerSecond),
      baseline: med(tp("baseline"), (r) => r.lifecyclesPerSecond),
      serviceCpu: med(tp("service"), (r) => r.cpuMsPerLifecycle),
      baselineCpu: med(tp("baseline"), (r) => r.cpuMsPerLifecycle),
    },
    latency: {
      service,
      baseline,
      disturbed:
        disturbed(http.latency.service ?? [], results.plan) ||
        disturbed(http.latency.baseline ?? [], results.plan),
      p50Ratio: service.p50 / baseline.p50,
      unloaded: {
        service: sum(storage.steps.map((step) => step.ms)),
        baseline: sum(storage.baselineStepMs),
      },
      p99Ratio: service.p99 / baseline.p99,
    },
    storage: {
      events,
      commitsPerEvent: perEvent((s) => s.commits),
      /** Commits beyond the explicit transactions: alarm writes, which commit on their own. */
      extraCommitsPerEvent: perEvent((s) => Math.max(0, s.commits - s.counters.transactions)),
      transactionsPerEvent: perEvent((s) => s.counters.transactions),
      alarmWritesPerEvent: perEvent((s) => s.counters.alarmWrites),
      sqlWritesPerEvent: perEvent((s) => s.counters.sqlWrites),
      rowsWrittenPerEvent: perEvent((s) => s.counters.sqlRowsWritten),
      d1WritesPerEvent: perEvent((s) => s.counters.d1Writes),
      d1RowsPerEvent: perEvent((s) => s.counters.d1RowsWritten),
      d1RoundTripsPerEvent: perEvent((s) => s.counters.d1RoundTrips),
      d1RoundTripsPerLifecycle: sum(storage.steps.map((s) => s.counters.d1RoundTrips)),
    },
    size: {
      gzipKiB: size.deploy.gzipBytes / 1024,
      readableGzipKiB: size.readable.gzipBytes / 1024,
    },
    webhooks: {
      firstP50: hook((r) => r.firstMs, 50),
      firstP99: hook((r) => r.firstMs, 99),
      lastP50: hook((r) => r.lastMs, 50),
      lastP99: hook((r) => r.lastMs, 99),
    },
    lists: {
      smallest: lists.sizes[0],
      largest: lists.sizes.at(-1),
      /** The worse of the two first pages: largest size's p50 over the smallest's. */
      growth: firstPageGrowth(lists),
      disturbed: listsDisturbed(lists, results.plan.http.maxOtherCores),
    },
  };
}
export type Summary = ReturnType<typeof summarise>;
