/**
 * `npm run reliability`: runs the suites behind each promise of docs/RELIABILITY.md (faults
 * injected, fuzzing, webhook isolation, abuse limits, card data, security headers) and writes the
 * page anew from what they measured: tests passed, and the figures tests keep as `meta.figures`
 * (or `meta.fuzz`) in vitest's JSON report. `FUZZ_RUNS=100000 npm run reliability` fuzzes at scale.
 * Run by Node 22 with its built-in TypeScript type stripping.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, ".reliability");
mkdirSync(out, { recursive: true });

interface Claim {
  promise: string;
  project: string;
  files: string[];
}

const PROMISES: Claim[] = [
  {
    promise: "D1 down (reads, writes, both): no request the object can answer fails, nothing lost",
    project: "workers",
    files: ["test/worker/faults-d1.test.ts", "test/worker/d1-outage.test.ts"],
  },
  {
    promise: "A provider that times out or answers late: one charge, applied once",
    project: "workers",
    files: ["test/worker/faults-provider.test.ts"],
  },
  {
    promise: "The alarm failing ten times in a row: it backs off and recovers, nothing done twice",
    project: "workers",
    files: ["test/worker/faults-alarm.test.ts"],
  },
  {
    promise: "Eviction after every transition (and ctx.abort()): same outcome for every party",
    project: "workers",
    files: ["test/worker/faults-eviction.test.ts"],
  },
  {
    promise: "StableMint clock skew of ±5 min: accepted inside the window, refused outside it",
    project: "workers",
    files: ["test/worker/faults-clock-skew.test.ts"],
  },
  {
    promise: "Killed between provider call and commit; hard restart with pending alarms",
    project: "e2e",
    files: ["test/e2e/faults-restart.test.ts"],
  },
  {
    promise: "A dead webhook endpoint delays only itself; redelivery per endpoint at any time",
    project: "workers",
    files: ["test/worker/webhooks.test.ts"],
  },
  {
    promise: "Hostile input: zero 5xx, every rejection a problem with a code, no state change",
    project: "workers",
    files: [
      "test/worker/fuzz.test.ts",
      "test/worker/hostile-bodies.test.ts",
      "test/worker/hostile-urls.test.ts",
      "test/worker/body-limits.test.ts",
    ],
  },
  {
    promise: "Abuse limits: 429 with Retry-After, one key or session never limits another",
    project: "rate-limits",
    files: ["test/worker/rate-limits.test.ts"],
  },
  {
    promise: "No card number or CVC in storage (SQLite and WAL), logs, answers or webhooks",
    project: "e2e",
    files: ["test/e2e/no-card-data.test.ts"],
  },
  {
    promise: "Security headers of every page and API answer pinned (HSTS on https)",
    project: "workers",
    files: ["test/worker/security-headers.test.ts"],
  },
];

const Report = z.object({
  testResults: z.array(
    z.object({
      name: z.string(),
      assertionResults: z.array(
        z.object({
          fullName: z.string(),
          status: z.string(),
          duration: z.number().nullish(),
          meta: z
            .object({
              figures: z.record(z.string(), z.number()).optional(),
              fuzz: z.record(z.string(), z.unknown()).optional(),
            })
            .loose()
            .optional(),
        }),
      ),
    }),
  ),
});
type Report = z.infer<typeof Report>;

function run(project: string, files: string[], name: string): Report {
  const file = join(out, `${name}.json`);
  spawnSync(
    "npx",
    [
      "vitest",
      "run",
      "--project",
      project,
      ...files,
      "--reporter=dot",
      "--reporter=json",
      `--outputFile.json=${file}`,
    ],
    { cwd: root, stdio: "inherit" },
  );
  return Report.parse(JSON.parse(readFileSync(file, "utf8")));
}

const rows: string[] = [];
const figures: string[] = [];
let failedTotal = 0;
PROMISES.forEach((p, i) => {
  const report = run(p.project, p.files, `run-${i}`);
  const tests = report.testResults.flatMap((r) => r.assertionResults);
  const passed = tests.filter((t) => t.status === "passed").length;
  failedTotal += tests.length - passed;
  const seconds = tests.reduce((sum, t) => sum + (t.duration ?? 0), 0) / 1000;
  const verdict = passed === tests.length && tests.length > 0 ? "holds" : "**broken**";
  const files = p.files.map((f) => `\`${f.replace(/^test\//, "")}\``).join(", ");
  rows.push(
    `| ${p.promise} | ${verdict} | ${passed} / ${tests.length} | ${seconds.toFixed(1)} s | ${files} |`,
  );
  for (const t of tests) {
    const measured = { ...t.meta?.figures, ...t.meta?.fuzz };
    const entries = Object.entries(measured).filter(([, v]) => typeof v === "number");
    if (entries.length === 0) continue;
    figures.push(`- ${t.fullName}: ${entries.map(([k, v]) => `${k} ${String(v)}`).join(", ")}`);
  }
});

const page = [
  "# Reliability",
  "",
  "What edge-checkout promises, and what the tests behind each promise measured on their last",
  `run (${new Date().toISOString().slice(0, 10)}, \`npm run reliability\`, which writes this page).`,
  "Every test states what the payer, the merchant and the provider observe.",
  "",
  "| promise | status | tests passed | time | tests |",
  "| ------- | ------ | ------------ | ---- | ----- |",
  ...rows,
  "",
  "## Figures measured",
  "",
  ...figures,
  "",
  "`npm test` fuzzes with the default number of requests; `FUZZ_RUNS=100000 npm run reliability`",
  "(or `npm run fuzz` alone) runs the fuzzer at 100,000 requests.",
  "",
];
const doc = join(root, "docs/RELIABILITY.md");
writeFileSync(doc, page.join("\n"));
// Tables aligned as the formatter (and `npm run lint`) wants them.
spawnSync("npx", ["biome", "format", "--write", doc], { cwd: root, stdio: "ignore" });
console.log(`docs/RELIABILITY.md written; ${failedTotal} test(s) failed`);
process.exitCode = failedTotal === 0 ? 0 : 1;
