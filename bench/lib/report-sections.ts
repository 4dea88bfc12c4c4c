/** The sections of BENCHMARKS.md after the targets: each figure, what costs it, and the method. */
import type { ThroughputRound } from "../service/http.ts";
import type { UpstreamVariant } from "../upstream/measure.ts";
import { STEPS } from "./client.ts";
import { size, storage, webhooks } from "./report-footprint.ts";
import { lists } from "./report-lists.ts";
import { head, pct, row } from "./report-table.ts";
import { fmt, median, sum, times } from "./stats.ts";
import { type Results, type Summary, usable } from "./summary.ts";

function machines(results: Results, s: Summary): string[] {
  const m = results.machines;
  const ns = m.nsPerLifecycle;
  const us = (values: number[]) => median(values) / 1000;
  const bare = us(ns.bare);
  const bareWarm = us(ns.bareWarm);
  const warm: Array<[string, number]> = [
    ["bare two-state machine, same transitions, stored as JSON after each", bareWarm],
    [
      "**checkout machine, as a warm object runs it** (in memory, `toEnvelope` → JSON after each event)",
      us(ns.checkoutWarm),
    ],
  ];
  const cases: Array<[string, number]> = [
    ["bare two-state machine, same transitions and JSON persist/restore cycles", bare],
    ["checkout machine, transitions only (no persistence)", us(ns.checkoutTransitionsOnly)],
    [
      "checkout machine, JSON persist/restore, restore without the zod parse",
      us(ns.checkoutNoZodRestore),
    ],
    [
      "**checkout machine, cold** (`toEnvelope` → JSON → `restoreSnapshot` around every event)",
      us(ns.checkout),
    ],
  ];
  const transitions = us(ns.checkoutTransitionsOnly);
  const json = us(ns.checkoutNoZodRestore) - transitions;
  const zod = us(ns.checkout) - us(ns.checkoutNoZodRestore);
  const full = us(ns.checkout);
  return [
    "## The machines in Node",
    "",
    `One lifecycle: create, then ${m.events} events (${m.eventTypes.join(", ")}), with the snapshot`,
    `stored as JSON after every step (${m.persists} times; the final envelope is ${fmt(m.envelopeBytes)} bytes of JSON).`,
    "A warm object keeps its snapshot in memory between requests, so it only stores; after an",
    `eviction it restores the stored JSON first (cold: ${m.restores} restores, one before every event). The bare`,
    "machine does the same number of transitions and the same stores (and restores), in the same process.",
    "",
    "Warm, as the service runs between requests:",
    "",
    head("case", "lifecycles/s", "µs per lifecycle", "vs bare"),
    ...warm.map(([name, micros]) => row(name, 1e6 / micros, micros, times(micros / bareWarm))),
    "",
    `**${fmt(s.machines.ours)} lifecycles/s against ${fmt(s.machines.bare)}: ${times(s.machines.ratio)} the bare machine, warm.**`,
    "",
    "Cold, restored before every event, and what each part costs:",
    "",
    head("case", "lifecycles/s", "µs per lifecycle", "vs bare"),
    ...cases.map(([name, micros]) => row(name, 1e6 / micros, micros, times(micros / bare))),
    "",
    `Cold: ${fmt(s.machines.coldOurs)} lifecycles/s against ${fmt(s.machines.coldBare)}, ${times(s.machines.coldRatio)} the bare machine.`,
    `What costs it, from the rows above: the checkout machine's own transitions take ${fmt(transitions)} µs`,
    `(${pct(transitions / full)}; guards, assigns, the payment and outbox updates, and the zod parse of`,
    `the input at create), JSON persist/restore ${fmt(json)} µs (${pct(json / full)}), and zod`,
    `validation of the stored envelope on every restore ${fmt(zod)} µs (${pct(zod / full)}).`,
    "",
    `Method: mitata \`measure()\` (mean time per lifecycle), ${m.rounds} round(s) alternating the order of`,
    "the cases after a warm-up of each, median of the rounds; the package as another project runs",
    "it (`edge-checkout/machines`, built by `npm run build:machines`), in Node pinned to one core.",
    "",
  ];
}

function http(results: Results, s: Summary): string[] {
  const plan = results.plan.http;
  const t = s.throughput;
  const lat = s.latency;
  const load = (r: { otherCores: number }) =>
    r.otherCores > results.plan.http.maxOtherCores
      ? ` (disturbed: ${fmt(r.otherCores, 2)} cores)`
      : "";
  const rounds = (label: string) =>
    (results.http.latency[label] ?? [])
      .map((r) => `${fmt(r.lifecycleMs.p50)}${load(r)}`)
      .join(", ");
  const unloaded = results.storage.steps.map((step) => step.ms);
  const baseUnloaded = results.storage.baselineStepMs;
  const perRound = (label: string, pick: (r: ThroughputRound) => number) =>
    (results.http.throughput[label] ?? []).map((r) => `${fmt(pick(r))}${load(r)}`).join(", ");
  const allRounds = [
    ...Object.values(results.http.throughput),
    ...Object.values(results.http.latency),
  ].flat();
  const disturbed = allRounds.filter((r) => r.otherCores > results.plan.http.maxOtherCores).length;
  const repeated = sum(allRounds.map((r) => r.attempts - 1));
  const stepCells = (x: typeof lat.service) =>
    x.steps.map((step) => `${fmt(step.p50)} / ${fmt(step.p99)}`);
  return [
    "## The HTTP lifecycle on local workerd",
    "",
    "create (merchant) → open by token (payer) → confirm with a card that succeeds (payer) →",
    "retrieve (merchant): four requests in sequence. The baseline (bench/baseline/) answers the same",
    "four routes, each with one RPC to a SQLite-backed Durable Object that makes one storage write.",
    "",
    `### Throughput (closed loop, ${plan.concurrency} lifecycles in flight)`,
    "",
    head("", "lifecycles/s", "requests/s", "runtime CPU per lifecycle"),
    row("service", t.service, t.service * 4, `${fmt(t.serviceCpu)} ms`),
    row("baseline", t.baseline, t.baseline * 4, `${fmt(t.baselineCpu)} ms`),
    "",
    `The baseline completes ${times(t.baseline / t.service)} as many lifecycles; the service uses ${times(t.serviceCpu / t.baselineCpu)} the runtime CPU`,
    `per lifecycle. Per round (lifecycles/s): service ${perRound("service", (r) => r.lifecyclesPerSecond)}; baseline`,
    `${perRound("baseline", (r) => r.lifecyclesPerSecond)}.`,
    "",
    `### Latency at a fixed ${results.http.ratePerSecond} lifecycles/s (${results.http.ratePerSecond * 4} requests/s)`,
    "",
    `The rate is ${fmt(results.plan.loadFraction * 100)}% of the slower target's median throughput, the same for both. A lifecycle is`,
    "timed from its scheduled start to the last byte of its fourth reply; steps are single requests.",
    "",
    head("", "lifecycle p50", "lifecycle p99", ...STEPS.map((step) => `${step} p50 / p99 (ms)`)),
    row(
      "service",
      `${fmt(lat.service.p50)} ms`,
      `${fmt(lat.service.p99)} ms`,
      ...stepCells(lat.service),
    ),
    row(
      "baseline",
      `${fmt(lat.baseline.p50)} ms`,
      `${fmt(lat.baseline.p99)} ms`,
      ...stepCells(lat.baseline),
    ),
    row(
      "service ÷ baseline",
      times(lat.p50Ratio),
      times(lat.p99Ratio),
      ...lat.service.steps.map((step, i) =>
        times(step.p50 / (lat.baseline.steps[i]?.p50 ?? Number.NaN)),
      ),
    ),
    row(
      "service, one session at a time",
      `${fmt(sum(unloaded))} ms`,
      "",
      ...unloaded.map((ms) => fmt(ms)),
    ),
    row(
      "baseline, one session at a time",
      `${fmt(sum(baseUnloaded))} ms`,
      "",
      ...baseUnloaded.map((ms) => fmt(ms)),
    ),
    "",
    `Lifecycle p50 per round (ms): service ${rounds("service")}; baseline ${rounds("baseline")}. p99 over`,
    `all rounds pooled: service ${fmt(lat.service.pooledP99)} ms, baseline ${fmt(lat.baseline.pooledP99)} ms. No webhook endpoint is`,
    "registered here, so a confirm's alarm settles its three outbox events without sending them. The",
    "last two rows are from the storage run (below), one session at a time and nothing else running",
    `(the lifecycle cell is the sum of the steps): the service ${times(sum(unloaded) / sum(baseUnloaded))} the baseline. The service's steps`,
    "were sent once the previous one had settled (its alarm's webhook work done), so the gap to the",
    "loaded figures is time queued behind other sessions' work and the same session's alarm.",
    "",
    `Other processes on the machine during the rounds: up to ${fmt(Math.max(...allRounds.map((r) => r.otherCores)), 2)} cores. A round during which they`,
    `kept more than ${results.plan.http.maxOtherCores} cores busy is repeated (${repeated} were) while repeats are left; ${disturbed} disturbed`,
    "round(s) were kept, and a median leaves them out when at least two undisturbed rounds remain.",
    "",
    "### What the service's time goes to",
    "",
    `A V8 CPU profile of workerd over ${results.profile.lifecycles} lifecycles (a separate, untimed runtime;`,
    "bench/service/profile.ts), samples attributed to the bundle's modules; idle excluded. A sample",
    "inside a synchronous native call (a SQLite write waiting on the disk) counts there, so these",
    "are shares of time spent in the runtime, not of CPU alone.",
    "",
    head("where", "share"),
    ...results.profile.groups.filter((g) => g.share >= 0.005).map((g) => row(g.name, pct(g.share))),
    "",
    `With the storage figures below: per lifecycle the service commits ${fmt(sum(results.storage.steps.map((x) => x.commits)))}`,
    `SQLite transactions in its object and makes ${fmt(sum(results.storage.steps.map((x) => x.counters.d1RoundTrips)))} D1 round trips with ${fmt(sum(results.storage.steps.map((x) => x.counters.d1Writes)))} write statements`,
    "(merchant lookups, session and events indexes, the sandbox provider's charges), where the",
    "baseline commits 5 and makes none. Locally",
    "D1 is Miniflare's simulator running in the same workerd, on the same core, so its cost lands in",
    "these figures; on Cloudflare each call is a network round trip instead.",
    "",
  ];
}

/** A reference figure, not a target: what the service binding's hop adds to a confirm. */
function upstream(results: Results): string[] {
  const { plan } = results;
  const u = results.upstream;
  const fig = (variant: UpstreamVariant) => {
    const rounds = usable(u[variant], plan);
    return { p50: median(rounds.map((r) => r.p50)), p99: median(rounds.map((r) => r.p99)) };
  };
  const binding = fig("binding");
  const local = fig("inProcess");
  // How far one build's rounds are apart: what a difference between the builds is read against.
  const spread = Math.max(
    ...(["binding", "inProcess"] as const).map((variant) => {
      const p50s = usable(u[variant], plan).map((r) => r.p50);
      return Math.max(...p50s) - Math.min(...p50s);
    }),
  );
  const noise =
    u.binding.length > 1 ? `; the rounds of one build are up to ${fmt(spread)} ms apart` : "";
  const perRound = (variant: UpstreamVariant) =>
    u[variant]
      .map((r) => {
        const busy = r.otherCores > plan.http.maxOtherCores;
        return `${fmt(r.p50)}${busy ? ` (disturbed: ${fmt(r.otherCores, 2)} cores)` : ""}`;
      })
      .join(", ");
  return [
    "## Confirm through the upstream",
    "",
    head("confirm", "p50", "p99"),
    row(
      "via the service binding (as deployed)",
      `${fmt(binding.p50)} ms`,
      `${fmt(binding.p99)} ms`,
    ),
    row("in-process (bench/upstream/)", `${fmt(local.p50)} ms`, `${fmt(local.p99)} ms`),
    row("binding ÷ in-process", times(binding.p50 / local.p50), times(binding.p99 / local.p99)),
    "",
    "A confirm with the success card makes one call to the sandbox PSP from the session's object",
    "(`POST /v1/charges`, which writes the PSP's ledger object). As deployed, the PSP is a Worker of",
    "its own behind the `SANDBOX_PSP` service binding (locally, in the same workerd process); the",
    "in-process build (bench/upstream/worker.ts) hands the service the PSP's own fetch handler instead,",
    "its ledger a class of the same Worker, and is otherwise the same code. Binding minus in-process:",
    `${fmt(binding.p50 - local.p50)} ms at p50${noise}.`,
    "",
    `Method: ${plan.upstream.confirms} sessions per round, one request at a time: each created, opened by token and confirmed,`,
    `only the confirm timed (after ${plan.upstream.warmup} untimed sessions); ${u.binding.length} round(s) alternating the two, a fresh runtime`,
    "each, both built as they deploy (minified); medians of the rounds' p50 and p99. Earlier sessions'",
    "alarms (their projections to D1, 1 s on) run beside, in both alike. p50 per round (ms): binding",
    `${perRound("binding")}; in-process ${perRound("inProcess")}.`,
    "",
  ];
}

const cpuLists = (results: Results) =>
  [
    ...new Set(
      Object.values(results.http.throughput).flatMap((rounds) => rounds.flatMap((r) => r.cpus)),
    ),
  ]
    .map((list) => `\`${list}\``)
    .join(", ");

function method(results: Results): string[] {
  const plan = results.plan.http;
  return [
    "## Method",
    "",
    "- workerd is driven through the Miniflare API (bench/lib/serve.ts), not `wrangler dev`, whose",
    "  proxy would add a hop to every request: the built bundle on workerd's own socket, with the",
    "  bindings wrangler.toml declares (read by wrangler's `unstable_getMiniflareWorkerOptions`), D1",
    "  migrated and seeded, fresh random `TOKEN_SECRET` and `ENCRYPTION_KEY`.",
    "- Each round is a fresh runtime process with a fresh persistence directory, pinned to core 1",
    `  (checked: every runtime process's \`Cpus_allowed_list\` was ${cpuLists(results)}); the load generator (node:http, keep-alive, 127.0.0.1`,
    "  only) runs on core 0. The service and the baseline alternate, and swap order every round.",
    `- ${plan.rounds} round(s) per figure; each round warms up with ${plan.warmup} lifecycles, then measures ${plan.throughputCount}`,
    `  (throughput) or ${plan.latencyCount} (latency): at most ${plan.warmup + Math.max(plan.throughputCount, plan.latencyCount)} sessions per runtime, every run bounded to`,
    `  ${plan.maxMs / 1000} s. Latency is open loop at a fixed rate below saturation, timed from each`,
    "  lifecycle's scheduled start, so queueing shows instead of being hidden by a slowed generator.",
    "- Runtime CPU per lifecycle is user + system time of the runtime's processes (/proc).",
    "- No figure here is asserted by the test suite.",
    "",
  ];
}

export function renderSections(results: Results, s: Summary): string[] {
  return [
    ...machines(results, s),
    ...http(results, s),
    ...upstream(results),
    ...storage(results, s),
    ...size(results, s),
    ...webhooks(results, s),
    ...lists(results),
    ...method(results),
  ];
}
