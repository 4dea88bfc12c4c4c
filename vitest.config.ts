import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";
import { FAKE_STRIPE_NAME, fakeStripeWorker } from "./fake-stripe/build.js";
import { sandboxPspWorker } from "./sandbox-psp/build.js";

const projectPath = fileURLToPath(new URL(".", import.meta.url));

interface RateLimitBinding {
  name: string;
  namespace_id: string;
  simple: { limit: number; period: 10 | 60 };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** wrangler.toml's `[[ratelimits]]`, for test/worker/rate-limits.test.ts. */
    rateLimits: RateLimitBinding[];
  }
}

/** The abuse limits as wrangler.toml sets them (src/rate-limit.ts), the ones that deploy. */
const rateLimits: RateLimitBinding[] = unstable_readConfig({
  config: "./wrangler.toml",
}).ratelimits;

/**
 * The Worker inside workerd, with wrangler.toml's bindings. With `unthrottled`, each
 * `[[ratelimits]]` binding keeps its key and period and is still called on every request, but
 * its ceiling is out of reach: the suites it runs are load by construction (one client, one
 * sandbox key, thousands of requests a minute, the fuzzer's thousands in seconds), which no
 * honest merchant or payer sends, and a 429 there would test the brake instead of the route.
 * The limits as deployed are proven by the `rate-limits` project (test/worker/rate-limits.test.ts),
 * and run unchanged under `npm start`, so in the e2e and browser suites.
 */
function workerPool({ unthrottled }: { unthrottled: boolean }) {
  return cloudflareTest(async () => ({
    wrangler: { configPath: "./wrangler.toml" },
    // Read in Node, applied inside workerd by test/worker/setup.ts: the D1 migrations
    // (as `wrangler d1 migrations apply` would) and the sandbox seed, which is never a
    // migration so that no production database ever holds the sandbox merchant.
    miniflare: {
      bindings: {
        TOKEN_SECRET: "test-token-secret-not-for-production-0123456789",
        ENCRYPTION_KEY: "test-encryption-key-not-for-production-012345",
        // Short, so a hanging receiver is cut off without slowing the suite.
        WEBHOOK_TIMEOUT_MS: "1000",
        // Past the sandbox's slow card (2 s), and short, so the timeout card costs 3 s, not 10.
        UPSTREAM_TIMEOUT_MS: "3000",
        // A tripped circuit cools down in a second here, so its trial is reached without a wait.
        CIRCUIT_COOLDOWN_MS: "1000",
        // D1 written as soon as a step is over (its alarm is due at once), so lists catch up in
        // milliseconds; the deployed lag (1 s, wrangler.toml) runs under npm start, in e2e.
        PROJECTION_LAG_MS: "0",
        TEST_MIGRATIONS: await readD1Migrations({
          projectPath,
          migrationsDir: "migrations",
        }),
        TEST_SEEDS: await readD1Migrations({ projectPath, migrationsDir: "seeds" }),
      },
      // The sandbox PSP, the Worker behind the SANDBOX_PSP service binding, with its own books;
      // and a fake Stripe (fake-stripe/), for tests only: the upstream the Stripe adapter
      // (src/providers/stripe.ts) reaches through STRIPE_UPSTREAM, bound here and nowhere else
      // (production has no such binding and reaches api.stripe.com over the global fetch).
      workers: [
        sandboxPspWorker(
          projectPath,
          `${projectPath}.wrangler/test/sandbox-psp-${unthrottled ? "workers" : "limits"}`,
        ),
        fakeStripeWorker(
          projectPath,
          `${projectPath}.wrangler/test/fake-stripe-${unthrottled ? "workers" : "limits"}`,
        ),
      ],
      serviceBindings: { STRIPE_UPSTREAM: FAKE_STRIPE_NAME },
      ...(unthrottled && {
        ratelimits: Object.fromEntries(
          rateLimits.map(({ name, namespace_id, simple }) => [
            name,
            {
              type: "ratelimit" as const,
              name,
              namespace_id,
              simple: { ...simple, limit: 1_000_000_000 },
            },
          ]),
        ),
      }),
    },
  }));
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "machines",
          environment: "node",
          include: ["test/machines/**/*.test.ts"],
          // The model-based walks check thousands of edges: seconds on a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        // The service as README starts it (scripts/start.sh → wrangler dev), over real HTTP.
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Pages in Debian Chromium driven by playwright-core, against the running service.
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [workerPool({ unthrottled: true })],
        test: {
          name: "workers",
          // `npm run fuzz` sets FUZZ_RUNS (and FUZZ_SEED to replay a run): test/worker/fuzz.test.ts.
          provide: {
            fuzzRuns: Number(process.env.FUZZ_RUNS ?? 0),
            fuzzSeed: Number(process.env.FUZZ_SEED ?? 0),
          },
          include: ["test/worker/**/*.test.ts"],
          exclude: ["test/worker/rate-limits.test.ts"],
          // Above vitest's 5 s: the fault suites step alarms one by one, seconds on a loaded
          // 2-core machine (CI once took 5 s for ten alarm re-arms).
          testTimeout: 20_000,
          setupFiles: ["./test/worker/setup.ts"],
          // A real HTTP webhook receiver in Node, reached from workerd over loopback.
          globalSetup: ["./test/worker/receiver.global.ts"],
        },
      },
      {
        // The abuse limits exactly as wrangler.toml deploys them.
        plugins: [workerPool({ unthrottled: false })],
        test: {
          name: "rate-limits",
          include: ["test/worker/rate-limits.test.ts"],
          // Each test spends a whole allowance (up to 1,200 requests), inside one window.
          testTimeout: 60_000,
          setupFiles: ["./test/worker/setup.ts"],
          provide: { rateLimits },
        },
      },
    ],
  },
});
