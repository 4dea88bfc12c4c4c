/**
 * What the ops screen reads from its links: the session list's filters, each checked with zod so
 * a bad value is a 422 naming the field, never a 500 (its form bodies: `readForm`,
 * src/routes/read-body.ts).
 */
import * as z from "zod";
import type { FieldError } from "../../errors.js";

export const SESSION_STATUSES = [
  "PENDING",
  "PROCESSING",
  "COMPLETED",
  "EXPIRED",
  "CANCELLED",
  "FAILED",
] as const;

/** An empty field of a GET form means "no filter". */
const blank = (value: unknown) => (value === "" ? undefined : value);

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD.")
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)), "Not a date.");

const MinorUnits = z.coerce
  .number({ message: "Use a whole number of minor units, e.g. 12500." })
  .int("Use a whole number of minor units, e.g. 12500.")
  .nonnegative("Must not be negative.")
  .max(Number.MAX_SAFE_INTEGER);

const Cursor = z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, "Not a page of this list.");

/** The session list's query string (every field optional). */
export const SessionFilters = z.object({
  status: z.preprocess(blank, z.enum(SESSION_STATUSES).optional()),
  from: z.preprocess(blank, Day.optional()),
  to: z.preprocess(blank, Day.optional()),
  amount_min: z.preprocess(blank, MinorUnits.optional()),
  amount_max: z.preprocess(blank, MinorUnits.optional()),
  currency: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[A-Za-z]{3}$/, "Use a three-letter ISO 4217 code, e.g. EUR.")
      .transform((code) => code.toUpperCase())
      .optional(),
  ),
  q: z.preprocess(
    (value) => (typeof value === "string" ? blank(value.trim()) : value),
    z.string().max(500, "At most 500 characters.").optional(),
  ),
  after: z.preprocess(blank, Cursor.optional()),
  before: z.preprocess(blank, Cursor.optional()),
});
export type SessionFilters = z.infer<typeof SessionFilters>;

/** The filters as the form showed them, to fill it in again (raw text, also when invalid). */
export type RawFilters = Partial<Record<keyof SessionFilters, string>>;

export function rawFilters(url: URL): RawFilters {
  const raw: RawFilters = {};
  for (const name of Object.keys(SessionFilters.shape) as (keyof SessionFilters)[]) {
    const value = url.searchParams.get(name);
    if (value !== null) raw[name] = value;
  }
  return raw;
}

/** The filters, or the field errors that make them unusable. */
export function parseFilters(
  raw: RawFilters,
): { ok: true; filters: SessionFilters } | { ok: false; errors: FieldError[] } {
  const parsed = SessionFilters.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join("."),
        message: issue.message,
      })),
    };
  }
  const { amount_min: min, amount_max: max, from, to } = parsed.data;
  const errors: FieldError[] = [];
  if (min !== undefined && max !== undefined && min > max) {
    errors.push({ field: "amount_max", message: "Must not be below the lower bound." });
  }
  if (from !== undefined && to !== undefined && from > to) {
    errors.push({ field: "to", message: "Must not be before the start date." });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, filters: parsed.data };
}

/** The first millisecond of a UTC day, and the last. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
export const dayEnd = (day: string) => Date.parse(`${day}T23:59:59.999Z`);

/**
 * Where to go after signing in: a page of the ops screen, else its start. Only a plain path
 * under /ops is taken, so the sign-in form cannot be turned into an open redirect.
 */
export function safeNext(next: string | null): string {
  if (next === null) return "/ops/sessions";
  const plain = /^\/ops(?:\/[\w.-]+)*\/?(?:\?[\w.=&%+-]*)?$/.test(next);
  return plain && !next.includes("..") ? next : "/ops/sessions";
}
