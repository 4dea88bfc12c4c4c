/**
 * The deployable bundle's size, gzipped as wrangler reports it (zlib defaults), and what makes
 * it up: esbuild's metafile gives each input's bytes in the output, grouped here by package
 * (or by top-level folder for the project's own code). The gzip share of a group is estimated
 * pro rata to its raw bytes; compression differs by code, so it is an estimate.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import type { Build } from "../lib/build.ts";

export interface BundleSize {
  rawBytes: number;
  gzipBytes: number;
  /** Largest first. */
  groups: Array<{ name: string; rawBytes: number; share: number }>;
  /** The largest single inputs, for the biggest group. */
  topInputs: Array<{ path: string; rawBytes: number }>;
  /** Bytes of translated error messages (`…/locales/…` inputs), per package. */
  locales: Record<string, number>;
  /** Packages bundled from CommonJS files (`.cjs`), which esbuild cannot tree-shake. */
  commonJs: string[];
}

const Metafile = z.object({
  outputs: z.record(
    z.string(),
    z.object({
      bytes: z.number(),
      inputs: z.record(z.string(), z.object({ bytesInOutput: z.number() })).optional(),
    }),
  ),
});

/** `node_modules/zod/v4/core/api.js` → `zod`; `src/routes/x.ts` → `src/`. */
export function groupOf(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  if (at >= 0) {
    const [scope = "", name = ""] = path.slice(at + "node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  const parts = path.replace(/^(\.\.\/)+/, "").split("/");
  return parts.length > 1 ? `${parts[0]}/` : (parts[0] ?? path);
}

export function bundleSize(build: Build): BundleSize {
  const bundle = readFileSync(build.scriptPath);
  const meta = Metafile.parse(JSON.parse(readFileSync(build.metafile, "utf8")));
  const output = Object.entries(meta.outputs).find(([path]) => path.endsWith(".js"))?.[1];
  const inputs = Object.entries(output?.inputs ?? {});
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of inputs) {
    totals.set(groupOf(path), (totals.get(groupOf(path)) ?? 0) + bytesInOutput);
  }
  const rawBytes = bundle.byteLength;
  const groups = [...totals.entries()]
    .map(([name, bytes]) => ({ name, rawBytes: bytes, share: bytes / rawBytes }))
    .sort((a, b) => b.rawBytes - a.rawBytes);
  const biggest = groups[0]?.name;
  const topInputs = inputs
    .filter(([path]) => groupOf(path) === biggest)
    .map(([path, { bytesInOutput }]) => ({
      path: path.replace(/^.*node_modules\//, ""),
      rawBytes: bytesInOutput,
    }))
    .sort((a, b) => b.rawBytes - a.rawBytes)
    .slice(0, 8);
  const locales: Record<string, number> = {};
  const commonJs = new Set<string>();
  for (const [path, { bytesInOutput }] of inputs) {
    const group = groupOf(path);
    if (/\/locales\//.test(path)) locales[group] = (locales[group] ?? 0) + bytesInOutput;
    if (/\.c[jt]s$|\.cjs\.js$/.test(path) && bytesInOutput > 0) commonJs.add(group);
  }
  return {
    rawBytes,
    gzipBytes: gzipSync(bundle).byteLength,
    groups,
    topInputs,
    locales,
    commonJs: [...commonJs],
  };
}
