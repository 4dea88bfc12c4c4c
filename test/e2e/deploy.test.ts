/** The same code deploys to Cloudflare: `wrangler deploy --dry-run` builds the Worker bundle. */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("builds for deployment with `wrangler deploy --dry-run`", async () => {
  const outdir = mkdtempSync(join(tmpdir(), "edge-checkout-deploy-"));
  const { stdout } = await promisify(execFile)(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--outdir", outdir],
    { cwd: join(import.meta.dirname, "../.."), env: { ...process.env, CI: "1" } },
  );
  expect(stdout).toMatch(/--dry-run: exiting now/);
  expect(stdout).toMatch(/env\.CHECKOUT_SESSIONS \(SessionObject\)/);
  expect(stdout).toMatch(/env\.DB/);
  const bundle = readFileSync(join(outdir, "index.js"), "utf8");
  expect(bundle).toMatch(/export\s*\{[^}]*\bSessionObject\b[^}]*\}/);
  expect(readdirSync(outdir)).toContain("index.js");
});
