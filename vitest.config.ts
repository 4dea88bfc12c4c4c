import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const projectPath = fileURLToPath(new URL(".", import.meta.url));

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
        plugins: [
          cloudflareTest(async () => ({
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
                TEST_MIGRATIONS: await readD1Migrations({
                  projectPath,
                  migrationsDir: "migrations",
                }),
                TEST_SEEDS: await readD1Migrations({ projectPath, migrationsDir: "seeds" }),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          // A real HTTP webhook receiver in Node, reached from workerd over loopback.
          globalSetup: ["./test/worker/receiver.global.ts"],
        },
      },
    ],
  },
});
