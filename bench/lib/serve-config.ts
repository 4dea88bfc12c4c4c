/** What the harness hands a runtime process (serve.ts): a JSON file, read back with zod. */
import { z } from "zod";

export const ServeConfig = z.object({
  /** Worker name: Miniflare names the Durable Object storage directories after it. */
  name: z.string(),
  /** The bundle `wrangler deploy --dry-run --outdir` wrote. */
  scriptPath: z.string(),
  /** Miniflare (v4-style) worker options from the Worker's wrangler.toml: the same bindings. */
  workerOptions: z.record(z.string(), z.unknown()),
  /** Workers its service bindings reach (the sandbox PSP), served in the same workerd. */
  auxiliaryWorkers: z.array(z.record(z.string(), z.unknown())).default([]),
  /** A fresh directory per round: Durable Object and D1 SQLite files land here. */
  persistTo: z.string(),
  /** D1 statements to run before serving (migrations, then seeds), one batch per file. */
  d1Batches: z.array(z.array(z.string())),
  maxLifetimeMs: z.number().int().positive(),
  /** Open workerd's V8 inspector (for CPU profiles); its URL is printed with the Worker's. */
  inspect: z.boolean().default(false),
});
export type ServeConfig = z.infer<typeof ServeConfig>;
