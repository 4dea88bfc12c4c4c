/**
 * Hostile input by the thousand: fast-check requests over every route of both API dialects,
 * the payer's token API and pages, the sandbox challenge and the assets (see
 * test/worker/fuzz-routes.ts), authenticated and not, through the Worker's real fetch handler
 * in workerd. Every answer: no 5xx; every 4xx a problem+json with a stable `code` (pages may
 * answer with a page); and a rejected request changes nothing the world watches
 * (test/worker/fuzz-world.ts). `npm test` sends 2,000; `npm run fuzz` 100,000 (FUZZ_RUNS),
 * printing its figures, which the JSON report (.fuzz/report.json) also keeps as `meta.fuzz`.
 */
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { Harness, Tally } from "./fuzz-harness.js";
import { fuzzCase, ROUTE_NAMES } from "./fuzz-routes.js";
import { World } from "./fuzz-world.js";

const DEFAULT_RUNS = 2_000;
const runs = inject("fuzzRuns") || DEFAULT_RUNS;
const seed = inject("fuzzSeed") || Math.floor(Math.random() * 2 ** 31);
/** Lanes run side by side, each with a world of its own: one waits on storage while another sends. */
const LANES = 4;

describe("hostile input", () => {
  it(
    `${runs} fuzzed requests: no 5xx, every rejection a problem with a code, and nothing changed`,
    async ({ task }) => {
      const tally = new Tally();
      const worlds = await Promise.all(Array.from({ length: LANES }, () => World.create()));
      await Promise.all(
        worlds.map((world, lane) => {
          const harness = new Harness(world, tally);
          const laneRuns = Math.floor(runs / LANES) + (lane < runs % LANES ? 1 : 0);
          return fc.assert(
            fc.asyncProperty(fuzzCase, async (c) => {
              await harness.run(c);
            }),
            { numRuns: laneRuns, seed: seed + lane, endOnFailure: true },
          );
        }),
      );
      const figures = tally.finish(worlds);
      task.meta.fuzz = { seed, runs, ...figures };
      if (runs !== DEFAULT_RUNS) console.log(`fuzz figures ${JSON.stringify(task.meta.fuzz)}`);

      expect(tally.violations, `replay with FUZZ_SEED=${seed}`).toEqual([]);
      expect(figures.requests).toBe(runs);
      // Every route was reached, and many rejections were decided past the credentials.
      expect(Object.keys(figures.routes).sort()).toEqual([...new Set(ROUTE_NAMES)].sort());
      expect(figures.pastAuth).toBeGreaterThan(figures.rejected / 3);
    },
    runs * 50 + 60_000,
  );
});
