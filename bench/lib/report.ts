/**
 * BENCHMARKS.md from one run's results: the targets first (met, or missed by how much and what
 * costs it), then each figure with how it was measured.
 */
import { FLAT_LIMIT, firstPageGrowth, type ListsResult, listsDisturbed } from "../lists/result.ts";
import type { MachinesResult } from "../machines/result.ts";
import type { LatencyRound, ThroughputRound } from "../service/http.ts";
import type { ProfileShares } from "../service/profile.ts";
import type { BundleSize } from "../size/bundle.ts";
import type { StorageResult } from "../storage/measure.ts";
import type { WebhookRound } from "../webhooks/measure.ts";
import type { Environment } from "./environment.ts";
import type { Plan } from "./plan.ts";
import { renderSections } from "./report-sections.ts";
import { fmt, median, percentile, sum, times } from "./stats.ts";

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
      /** Leaving out the commits of steps that created the object's schema, beyond their transactions. */
      commitsPerEventWithoutSchema: perEvent((s) =>
        s.counters.sqlSchema > 0 ? Math.min(s.commits, s.counters.transactions) : s.commits,
      ),
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

/** A floor rather than a ceiling: met when `value` is at least `floor`. */
function verdictAtLeast(value: number, floor: number, unreliable = false): string {
  if (unreliable) {
    return `**not judged**: ${fmt(value)}× against at least ${floor}×, but the medians include rounds other processes disturbed; run again on a quiet machine`;
  }
  if (value >= floor) return `met: ${fmt(value)}×, floor ${floor}×`;
  return `**missed**: ${fmt(value)}× against at least ${floor}× (${fmt(value / floor)} of the floor)`;
}

function verdict(value: number, limit: number, unit = "×", unreliable = false): string {
  if (unreliable) {
    return `**not judged**: ${fmt(value)}${unit} against at most ${limit}${unit}, but the medians include rounds other processes disturbed; run again on a quiet machine`;
  }
  if (value <= limit) return `met: ${fmt(value)}${unit}, limit ${limit}${unit}`;
  const by =
    unit === "×"
      ? `${fmt(value / limit)} times the allowed ratio`
      : `by ${fmt(value - limit)}${unit}, ${fmt((value / limit - 1) * 100, 2)}% over`;
  return `**missed**: ${fmt(value)}${unit} against at most ${limit}${unit} (${by})`;
}

function listsTarget(s: Summary): string {
  const { smallest, largest, growth, disturbed } = s.lists;
  if (smallest === undefined || largest === undefined) return "| list p50 flat | not measured | |";
  const rows = (n: number) => n.toLocaleString("en-US");
  const p50 = (size: typeof smallest, kind: "sessions" | "events") =>
    `${fmt(size.timings[kind].p50)} ms`;
  return `| list p50 flat from ${rows(smallest.sessions)} to ${rows(largest.sessions)} rows (first page of 20, sessions and events; largest ÷ smallest p50 ≤ ${FLAT_LIMIT}×) | sessions ${p50(smallest, "sessions")} → ${p50(largest, "sessions")}, events ${p50(smallest, "events")} → ${p50(largest, "events")} | ${verdict(growth, FLAT_LIMIT, "×", disturbed)} |`;
}

function targets(s: Summary): string {
  const lines = [
    "| target | figure | verdict |",
    "| --- | --- | --- |",
    `| HTTP lifecycle throughput at least 0.8× the baseline's | ${fmt(s.throughput.service)} vs ${fmt(s.throughput.baseline)} lifecycles/s | ${verdictAtLeast(s.throughput.service / s.throughput.baseline, 0.8)} |`,
    `| HTTP lifecycle latency within 1.5× the baseline's (p50) | ${fmt(s.latency.service.p50)} ms vs ${fmt(s.latency.baseline.p50)} ms | ${verdict(s.latency.p50Ratio, 1.5, "×", s.latency.disturbed)} |`,
    `| … and at p99 | ${fmt(s.latency.service.p99)} ms vs ${fmt(s.latency.baseline.p99)} ms | ${verdict(s.latency.p99Ratio, 1.5, "×", s.latency.disturbed)} |`,
    `| … for reference, one session at a time with no load (sum of the four requests) | ${fmt(s.latency.unloaded.service)} ms vs ${fmt(s.latency.unloaded.baseline)} ms | ${verdict(s.latency.unloaded.service / s.latency.unloaded.baseline, 1.5)} |`,
    `| D1 round trips per lifecycle ≤ 2 (with its webhook deliveries and projections) | ${fmt(s.storage.d1RoundTripsPerLifecycle)} | ${verdict(s.storage.d1RoundTripsPerLifecycle, 2, "")} |`,
    `| machines as the service runs them (warm object, stored after each event) within 3× the bare machine | ${fmt(s.machines.ours)} vs ${fmt(s.machines.bare)} lifecycles/s | ${verdict(s.machines.ratio, 3)} |`,
    `| … for reference, cold (restored before every event, as after an eviction) | ${fmt(s.machines.coldOurs)} vs ${fmt(s.machines.coldBare)} lifecycles/s | ${times(s.machines.coldRatio)} the bare machine |`,
    `| one storage transaction per accepted event | ${fmt(s.storage.commitsPerEvent)} SQLite commits per event (${fmt(s.storage.commitsPerEventWithoutSchema)} without the new object's schema) | ${verdict(s.storage.commitsPerEvent, 1, "")} |`,
    listsTarget(s),
    `| bundle ≤ 100 KiB gzipped | ${fmt(s.size.gzipKiB)} KiB | ${verdict(s.size.gzipKiB, 100, " KiB")} |`,
  ];
  return lines.join("\n");
}

export function renderReport(results: Results): string {
  const s = summarise(results);
  const env = results.environment;
  const header = [
    "# Benchmarks",
    "",
    "What edge-checkout costs over what the runtime itself costs. Produced by `npm run bench`",
    "(bench/run.ts); every figure below is from one run of it, so figures from different runs",
    "should not be mixed. Timings are medians of alternating rounds (of the rounds no other process",
    "disturbed, when at least two were not); see each section for how.",
    "",
    `- Run: ${env.date} UTC, commit \`${env.commit}\`${env.dirty ? " with uncommitted changes" : ""}, ${fmt(results.seconds)} s${results.quick ? " (**--quick**: smoke test, not fit to quote)" : ""}.`,
    `- Machine: ${env.cpu}, ${env.cores} cores; the harness and load generator on core 0, each runtime on core 1 (\`taskset\`). Other load on the machine just before a step: up to ${fmt(env.backgroundLoad, 2)} cores (0 is idle; the machine is shared, so figures move between runs).`,
    `- Node ${env.node}; ${Object.entries(env.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}.`,
    "",
    "## Targets",
    "",
    targets(s),
    "",
  ];
  return `${[...header, ...renderSections(results, s)].join("\n")}\n`;
}
