/** Where things are: the repository root, and a scratch directory per `npm run bench`. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** A fresh scratch directory (builds, per-round persistence) under the system temp dir. */
export const scratch = (prefix: string) => mkdtempSync(join(tmpdir(), `edge-checkout-${prefix}-`));
