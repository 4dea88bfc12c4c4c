/** The BENCHMARKS.md section on how list cost grows with the merchant's index. */
import {
  FLAT_LIMIT,
  firstPageGrowth,
  growth,
  LIST_KIND_LABELS,
  LIST_KINDS,
  listsDisturbed,
} from "../lists/result.ts";
import { head, row } from "./report-table.ts";
import { fmt, times } from "./stats.ts";
import type { Results } from "./summary.ts";

const count = (n: number) => n.toLocaleString("en-US");
const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MiB`;

/** A plan step that reads more than a page: a full scan, or a sort of everything matched. */
const unbounded = (detail: string) => /^SCAN |TEMP B-TREE/.test(detail);

export function lists(results: Results): string[] {
  const l = results.lists;
  const first = l.sizes[0];
  const last = l.sizes.at(-1);
  if (first === undefined || last === undefined) return [];
  const ratio = firstPageGrowth(l);
  const flat = ratio <= FLAT_LIMIT;
  const maxOther = results.plan.http.maxOtherCores;
  const caveat = listsDisturbed(l, maxOther)
    ? ` Other processes kept more than ${maxOther} cores busy while a size was timed, so the target is not judged on this run.`
    : "";
  const perSize = l.sizes.flatMap((size) => [
    `### ${count(size.sessions)} sessions and ${count(size.events)} events`,
    "",
    `D1 file ${mib(size.d1Bytes)}; rows added in ${fmt(size.seedSeconds)} s; other processes used ${fmt(size.otherCores, 2)} cores meanwhile.`,
    "",
    head("request", "p50", "p99", "reply"),
    ...LIST_KINDS.map((kind) => {
      const t = size.timings[kind];
      return row(
        LIST_KIND_LABELS[kind],
        `${fmt(t.p50)} ms`,
        `${fmt(t.p99)} ms`,
        `${t.rows} rows, ${fmt(t.bytes / 1024)} KiB`,
      );
    }),
    "",
  ]);
  const plans = LIST_KINDS.map((kind) => {
    const steps = last.plans[kind];
    const flag = steps.some(unbounded) ? " (**reads more than a page**)" : "";
    return `- ${LIST_KIND_LABELS[kind]}: ${steps.map((step) => `\`${step}\``).join("; ")}${flag}`;
  });
  const statuses = Object.entries(l.templates.statuses)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  return [
    "## How list cost grows",
    "",
    `One merchant's lists with ${l.sizes.map((s) => count(s.sessions)).join(" / ")} rows in each of its indexes (D1`,
    "`checkout_sessions` and `webhook_events`), a page of 20 per request.",
    "",
    `**The p50 ${flat ? "stays" : "does not stay"} flat: ${count(last.sessions)} rows cost ${times(ratio)} what ${count(first.sessions)} do** (the worse of the`,
    `two lists' first pages; flat is at most ${FLAT_LIMIT}×).${caveat}`,
    "",
    head("request", ...l.sizes.map((s) => `p50, ${count(s.sessions)} rows`), "largest ÷ smallest"),
    ...LIST_KINDS.map((kind) =>
      row(
        LIST_KIND_LABELS[kind],
        ...l.sizes.map((s) => `${fmt(s.timings[kind].p50)} ms`),
        times(growth(l, kind)),
      ),
    ),
    "",
    ...perSize,
    `Query plans at ${count(last.sessions)} rows (\`EXPLAIN QUERY PLAN\` of the routes' queries, by node:sqlite on the seeded file):`,
    "",
    ...plans,
    "",
    `Method: real rows first, from sessions run through the service (${statuses}; a webhook endpoint`,
    `registered, so ${l.templates.events} events were delivered). With the runtime stopped, bench/lists/seed.ts copies`,
    "them into the D1 file with node:sqlite, one transaction per size: each copy a real row with a new",
    "session id (and event, payment ids) and its times moved back, one second older than the copy",
    "before it, so it parses as the original does. Then a fresh runtime on the same files answers",
    `the requests: one client, one at a time, the five kinds in turn, ${l.warmup} untimed rounds, then ${l.requests}`,
    "timed ones; nothing else running in the bench. A page from the middle is asked for with the cursor",
    "of the middle row (the cursor the API would have returned there), and its first row is checked.",
    "Each pending session on a page costs an HMAC for its payer token, the same at every size.",
    "",
  ];
}
