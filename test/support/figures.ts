/**
 * Figures a test measured, kept in vitest's JSON report as `meta.figures` so that
 * `npm run reliability` can write them into docs/RELIABILITY.md.
 */
declare module "vitest" {
  interface TaskMeta {
    figures?: Record<string, number>;
  }
}

export {};
