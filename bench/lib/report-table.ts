/** Markdown table cells for the report. */
import { fmt } from "./stats.ts";

export const kib = (bytes: number) => `${fmt(bytes / 1024)} KiB`;
export const pct = (share: number) => `${fmt(share * 100, 2)}%`;
export const row = (...cells: Array<string | number>) =>
  `| ${cells.map((c) => (typeof c === "number" ? fmt(c) : c)).join(" | ")} |`;
export const head = (...cells: string[]) => `${row(...cells)}\n${row(...cells.map(() => "---"))}`;
