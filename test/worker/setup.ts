/**
 * Runs inside workerd before each worker test file: applies the D1 migrations and then the
 * sandbox seed, both read from disk by vitest.config.ts and passed in as bindings. Each set is
 * recorded in its own table, so running this again (per file, or against kept storage) is a no-op.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "zod";

const Migrations = z.array(z.object({ name: z.string(), queries: z.array(z.string()) }));

// Test-only bindings, so not part of the generated `Env`.
const testEnv = z.object({ TEST_MIGRATIONS: Migrations, TEST_SEEDS: Migrations }).parse({
  TEST_MIGRATIONS: "TEST_MIGRATIONS" in env ? env.TEST_MIGRATIONS : undefined,
  TEST_SEEDS: "TEST_SEEDS" in env ? env.TEST_SEEDS : undefined,
});

await applyD1Migrations(env.DB, testEnv.TEST_MIGRATIONS);
await applyD1Migrations(env.DB, testEnv.TEST_SEEDS, "d1_seeds");
