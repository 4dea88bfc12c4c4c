/** What bench/lists/measure.ts finds, and how flat it is: shared by the measure and the report. */

export interface ListsPlan {
  /** Rows the merchant has in each index (sessions and events), smallest first. */
  sizes: number[];
  /** Timed requests per request kind and size, after `warmup` untimed ones. */
  requests: number;
  warmup: number;
}

/** The requests timed at every size: one page of 20 from each list, at its head and deep in it. */
export const LIST_KINDS = [
  "sessions",
  "sessionsCompleted",
  "sessionsDeep",
  "events",
  "eventsDeep",
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const LIST_KIND_LABELS: Record<ListKind, string> = {
  sessions: "`GET /v1/checkout-sessions?limit=20`, first page",
  sessionsCompleted: "… `&status=COMPLETED`, first page",
  sessionsDeep: "… a page from the middle (`cursor`)",
  events: "`GET /v1/events?limit=20`, first page",
  eventsDeep: "… a page from the middle (`cursor`)",
};

export interface ListTiming {
  p50: number;
  p99: number;
  /** Bytes of one reply's body, and the rows on its page. */
  bytes: number;
  rows: number;
}

export interface ListSize {
  /** Rows of the merchant in each table while timed. */
  sessions: number;
  events: number;
  /** The D1 database file (with any WAL) once seeded. */
  d1Bytes: number;
  /** Seconds node:sqlite took to add this size's rows. */
  seedSeconds: number;
  /** Cores' worth of CPU other processes used while this size was timed. */
  otherCores: number;
  timings: Record<ListKind, ListTiming>;
  /** `EXPLAIN QUERY PLAN` of each kind's query on the seeded file (node:sqlite's SQLite). */
  plans: Record<ListKind, string[]>;
}

export interface ListsResult {
  requests: number;
  warmup: number;
  /** The real sessions the seeded rows are copies of, by status, and their events. */
  templates: { statuses: Record<string, number>; events: number };
  sizes: ListSize[];
}

/** The most the first pages' p50 may grow from the smallest size to the largest and be flat. */
export const FLAT_LIMIT = 1.5;

/** The largest size's p50 over the smallest's, per kind: 1 is flat. */
export function growth(lists: ListsResult, kind: ListKind): number {
  const first = lists.sizes[0]?.timings[kind].p50 ?? Number.NaN;
  const last = lists.sizes.at(-1)?.timings[kind].p50 ?? Number.NaN;
  return last / first;
}

/** The figure the target judges: the worse growth of the two lists' first pages. */
export function firstPageGrowth(lists: ListsResult): number {
  return Math.max(growth(lists, "sessions"), growth(lists, "events"));
}

/** Whether a size was timed while other processes kept more than `maxOtherCores` busy. */
export const listsDisturbed = (lists: ListsResult, maxOtherCores: number) =>
  lists.sizes.some((size) => size.otherCores > maxOtherCores);
