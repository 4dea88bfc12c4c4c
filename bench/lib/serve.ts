/**
 * One runtime for one round: workerd through the Miniflare API, serving a built Worker on a
 * direct socket (no Miniflare entry worker, no wrangler dev proxy in front). Started by
 * runtime.ts as its own process, pinned with `taskset` to the runtime's core; workerd inherits
 * the pinning. Prints `{"url": …}` once ready, and disposes of workerd when stdin closes.
 *
 *   node bench/lib/serve.ts <config.json>
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { ServeConfig } from "./serve-config.ts";

const config = ServeConfig.parse(JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")));

const mf = new Miniflare(
  convertV4MiniflareOptions({
    cf: false,
    resourcePersistencePath: config.persistTo,
    ...(config.inspect && { inspectorPort: 0, inspectorHost: "127.0.0.1" }),
    workers: [
      {
        ...config.workerOptions,
        name: config.name,
        modules: true,
        scriptPath: config.scriptPath,
        // Module paths are resolved under this root; the build lives in a temporary directory.
        modulesRoot: dirname(config.scriptPath),
        unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      },
      // Each bundle's modules resolve under its own directory.
      ...config.auxiliaryWorkers.map((worker) => ({
        ...worker,
        modulesRoot: dirname(String(worker.scriptPath)),
      })),
    ],
    // The options are plain JSON read back with zod; Miniflare validates their shape itself.
  } as Parameters<typeof convertV4MiniflareOptions>[0]),
);

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await mf.dispose().catch(() => undefined);
  }
  process.exit(code);
}

// A round never outlives its bound, even if the harness forgets to stop it.
setTimeout(() => void stop(2), config.maxLifetimeMs);
process.stdin.on("end", () => void stop(0));
process.stdin.resume();

await mf.ready;
if (config.d1Batches.length > 0) {
  const db = await mf.getD1Database("DB");
  for (const batch of config.d1Batches) await db.batch(batch.map((sql) => db.prepare(sql)));
}
const url = await mf.unsafeGetDirectURL();
const inspector = config.inspect ? (await mf.getInspectorURL()).href : null;
process.stdout.write(`${JSON.stringify({ url: url.href, inspector })}\n`);
