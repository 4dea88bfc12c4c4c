/** BENCHMARKS.md sections on what a session leaves behind and sends: storage, bundle, webhooks. */

import { head, kib, pct, row } from "./report-table.ts";
import { fmt, sum } from "./stats.ts";
import type { Results, Summary } from "./summary.ts";

/** Where commits beyond one per accepted event come from, read off the steps' counts. */
function commitsExplained(st: Results["storage"], c: Summary["storage"]): string[] {
  const lines = [
    `**${fmt(c.commitsPerEvent)} SQLite commits per accepted event**, ${fmt(c.transactionsPerEvent)} explicit transaction(s) per event.`,
  ];
  for (const step of st.steps) {
    const extra = step.commits - step.counters.transactions;
    if (extra < 0.05) continue;
    const why =
      step.counters.alarmWrites > 0
        ? "its alarm writes (`setAlarm`/`deleteAlarm`) commit on their own beside the transactions, whether made in the same synchronous turn or inside `transactionSync` (both tried)"
        : "writes outside the explicit transactions commit on their own";
    lines.push(`The ${step.step} step commits ${fmt(extra)} more than its transactions: ${why}.`);
  }
  return lines;
}

export function storage(results: Results, s: Summary): string[] {
  const st = results.storage;
  const c = s.storage;
  const tables = (entries: Record<string, { rows: number; payloadBytes: number }>) =>
    Object.entries(entries)
      .filter(([, t]) => t.rows > 0)
      .map(([name, t]) => row(`\`${name}\``, t.rows, `${fmt(t.payloadBytes)} B`));
  return [
    "## Storage",
    "",
    `${st.sessions} sessions through the HTTP lifecycle one at a time, one webhook endpoint registered (so`,
    "each session also delivers its three webhook events from its alarm), each step awaited until the",
    `session's journal stopped growing. Accepted events (the journal): ${st.eventTypes.join(", ")}.`,
    "",
    head(
      "step",
      "accepted events",
      "SQLite commits",
      "explicit transactions",
      "alarm writes",
      "SQL writes",
      "rows written",
      "D1 round trips",
      "D1 writes",
      "D1 rows written",
    ),
    ...st.steps.map((x) =>
      row(
        x.step === "confirm" ? "confirm (+ provider, + webhook deliveries)" : x.step,
        x.events,
        x.commits,
        x.counters.transactions,
        x.counters.alarmWrites,
        x.counters.sqlWrites,
        x.counters.sqlRowsWritten,
        x.counters.d1RoundTrips,
        x.counters.d1Writes,
        x.counters.d1RowsWritten,
      ),
    ),
    row(
      "**per accepted event**",
      1,
      c.commitsPerEvent,
      c.transactionsPerEvent,
      c.alarmWritesPerEvent,
      c.sqlWritesPerEvent,
      c.rowsWrittenPerEvent,
      c.d1RoundTripsPerEvent,
      c.d1WritesPerEvent,
      c.d1RowsPerEvent,
    ),
    "",
    ...commitsExplained(st, c),
    "",
    "Per completed session (means):",
    "",
    head("object table", "rows", "bytes stored"),
    ...tables(st.objectTables),
    "",
    `The object's database: ${kib(st.objectFileBytes)} (pages in use); on disk with its write-ahead log`,
    `as the runtime left it, ${kib(st.objectDiskBytes)}.`,
    "",
    head("D1 table (rows added per session)", "rows", "bytes stored"),
    ...tables(st.d1Tables),
    "",
    "How: commits are counted from the outside, as valid commit frames in each object's SQLite",
    "write-ahead log under Miniflare's persistence directory, for the build that is deployed; the",
    `baseline read the same way commits ${fmt(st.baselineCommitsPerLifecycle)} per lifecycle (4 writes + its schema), which`,
    "checks the method. Rows and bytes are read from the files (node:sqlite) after the runtime stopped;",
    "bytes are the stored values' lengths. Statement, row, transaction, alarm and D1 counts come from a",
    "separate, instrumented build (bench/storage/worker.ts) whose object storage and D1 count calls;",
    "`rows written` is the runtime's own `rowsWritten` (what Cloudflare bills).",
    "",
  ];
}

export function size(results: Results, s: Summary): string[] {
  const d = results.size.deploy;
  return [
    "## Bundle size",
    "",
    `\`wrangler deploy --dry-run --outdir\`: **${kib(d.gzipBytes)} gzipped** (${kib(d.rawBytes)} raw), as wrangler`,
    "reports it (minified: the project's setting). Unminified (`--no-minify`, the build the CPU profile",
    `reads): ${fmt(s.size.readableGzipKiB)} KiB gzipped (${kib(results.size.readable.rawBytes)} raw).`,
    "",
    head("what", "raw", "share", "≈ gzipped (pro rata)"),
    ...d.groups.map((g) => row(g.name, kib(g.rawBytes), pct(g.share), kib(g.share * d.gzipBytes))),
    "",
    `Largest inputs of ${d.groups[0]?.name ?? "the largest group"}: ${d.topInputs.map((i) => `${i.path} ${kib(i.rawBytes)}`).join(", ")}.`,
    ...Object.entries(d.locales).map(
      ([group, bytes]) =>
        `${group} brings the error messages of every locale it ships: ${kib(bytes)} raw.`,
    ),
    ...d.commonJs.map(
      (group) => `${group} comes in as CommonJS (\`.cjs\` files), which esbuild cannot tree-shake.`,
    ),
    "",
  ];
}

export function webhooks(results: Results, s: Summary): string[] {
  const w = results.webhooks;
  const w0 = s.webhooks;
  const missing = sum(w.rounds.map((r) => r.missing));
  const duplicates = sum(w.rounds.map((r) => r.duplicates));
  return [
    "## Webhooks",
    "",
    head("", "p50", "p99"),
    row(
      "state change → receiver has the first event (`charge.succeeded`)",
      `${fmt(w0.firstP50)} ms`,
      `${fmt(w0.firstP99)} ms`,
    ),
    row(
      "state change → receiver has the third (`checkout_session.completed`)",
      `${fmt(w0.lastP50)} ms`,
      `${fmt(w0.lastP99)} ms`,
    ),
    "",
    `Sessions at ${w.ratePerSecond} lifecycles/s, ${results.plan.webhookSessions} per round, ${w.rounds.length} round(s) (fresh runtime each), medians`,
    "of the rounds' percentiles. The state change is the `PROVIDER_SUCCEEDED` entry of the session's",
    "journal, timed by the object's clock (whole milliseconds); the end is when a Node receiver on",
    "127.0.0.1 has the request. Delivery is in order, so the third event waits for the first two.",
    `Sessions not timed (a delivery missing after 15 s): ${missing}; repeated deliveries: ${duplicates}.`,
    "",
  ];
}
