/**
 * Prints the SQL that stores the sandbox merchant's StableMint API secret (`sk_test_sandbox`)
 * sealed under the ENCRYPTION_KEY in .dev.vars, for scripts/start.sh to run with
 * `wrangler d1 execute`. Sealed with the Worker's own code (src/sealed.ts, Web Crypto), so what
 * the Worker opens is exactly what it would have sealed. Run on every start: a changed
 * ENCRYPTION_KEY then never leaves a secret the Worker cannot open.
 *
 *   node scripts/seal-sandbox-secret.ts   (Node ≥ 22.18 strips the types itself)
 */
import { readFileSync } from "node:fs";
import { seal } from "../src/sealed.ts";

const SANDBOX_API_SECRET = "sk_test_sandbox";

/** `NAME=value` lines, as wrangler reads .dev.vars (optionally quoted values). */
function devVar(name: string): string | undefined {
  const text = readFileSync(new URL("../.dev.vars", import.meta.url), "utf8");
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] === name) return match[2]?.replace(/^(["'])(.*)\1$/, "$2");
  }
  return undefined;
}

const sealed = await seal({ ENCRYPTION_KEY: devVar("ENCRYPTION_KEY") }, SANDBOX_API_SECRET);
// Sealed text is `v1.<base64url>.<base64url>`: nothing in it needs SQL quoting.
process.stdout.write(
  `UPDATE merchants SET api_secret_sealed = '${sealed}' WHERE id = 'm_sandbox';\n`,
);
