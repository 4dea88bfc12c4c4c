/** Where and on what the figures were measured, for the report's header. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { root } from "./paths.ts";

const Version = z.object({ version: z.string() });
/** A package's version; `workerd` is the one Miniflare runs (it may be nested under it). */
function versionOf(pkg: string): string {
  const nested = join(root, "node_modules/miniflare/node_modules", pkg, "package.json");
  const file =
    pkg === "workerd" && existsSync(nested)
      ? nested
      : join(root, "node_modules", pkg, "package.json");
  return Version.parse(JSON.parse(readFileSync(file, "utf8"))).version;
}

const git = (...args: string[]) => {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return "";
  }
};

export interface Environment {
  date: string;
  commit: string;
  /** Uncommitted changes to tracked files when the bench ran. */
  dirty: boolean;
  cpu: string;
  cores: number;
  node: string;
  versions: Record<string, string>;
}

export function environment(): Environment {
  return {
    date: new Date().toISOString().slice(0, 16).replace("T", " "),
    commit: git("rev-parse", "--short", "HEAD"),
    dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    node: process.version,
    versions: Object.fromEntries(
      ["wrangler", "miniflare", "workerd", "xstate", "zod", "mitata"].map((pkg) => [
        pkg,
        versionOf(pkg),
      ]),
    ),
  };
}
