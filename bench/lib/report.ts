/**
 * BENCHMARKS.md from one run's results: the targets first (met, or missed by how much and what
 * costs it), then each figure with how it was measured.
 */
import { FLAT_LIMIT } from "../lists/result.ts";
import { renderSections } from "./report-sections.ts";
import { fmt, times } from "./stats.ts";
import { type Results, type Summary, summarise } from "./summary.ts";

export { type Results, usable } from "./summary.ts";

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
    `| one storage transaction per accepted event | ${fmt(s.storage.commitsPerEvent)} SQLite commits per event (${fmt(s.storage.extraCommitsPerEvent)} of them alarm writes committing beside the transactions) | ${verdict(s.storage.commitsPerEvent, 1, "")} |`,
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
