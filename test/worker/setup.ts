/**
 * Runs inside workerd before each worker test file: applies the D1 migrations and then the
 * sandbox seed, both read from disk by vitest.config.ts and passed in as bindings. Each set is
 * recorded in its own table, so running this again (per file, or against kept storage) is a no-op.
 * Then the sandbox merchant's StableMint API secret is sealed under this run's ENCRYPTION_KEY
 * (a seed cannot hold a sealed value: the key differs per install), as scripts/start.sh does.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { z } from "zod";
import { seal } from "../../src/sealed.js";

const Migrations = z.array(z.object({ name: z.string(), queries: z.array(z.string()) }));

// Test-only bindings, so not part of the generated `Env`.
const testEnv = z.object({ TEST_MIGRATIONS: Migrations, TEST_SEEDS: Migrations }).parse({
  TEST_MIGRATIONS: "TEST_MIGRATIONS" in env ? env.TEST_MIGRATIONS : undefined,
  TEST_SEEDS: "TEST_SEEDS" in env ? env.TEST_SEEDS : undefined,
});

await applyD1Migrations(env.DB, testEnv.TEST_MIGRATIONS);
await applyD1Migrations(env.DB, testEnv.TEST_SEEDS, "d1_seeds");
await env.DB.prepare("UPDATE merchants SET api_secret_sealed = ? WHERE id = 'm_sandbox'")
  .bind(await seal(env, "sk_test_sandbox"))
  .run();
