/** What the instrumented build counts (counting.ts) and the harness reads back (measure.ts). */
import { z } from "zod";

export const Counters = z.object({
  /** SQL statements that change the object's database (INSERT, UPDATE, DELETE, REPLACE). */
  sqlWrites: z.number(),
  /** Rows those statements wrote, as the runtime reports them (`cursor.rowsWritten`). */
  sqlRowsWritten: z.number(),
  /** Schema statements (CREATE, ALTER, DROP): the tables each new object creates. */
  sqlSchema: z.number(),
  /** Explicit transactions: `transactionSync()` and `transaction()`. */
  transactions: z.number(),
  /** Key-value API writes: `put`, `delete`, `deleteAll`. */
  kvWrites: z.number(),
  /** `setAlarm` and `deleteAlarm` (each a write to the object's metadata). */
  alarmWrites: z.number(),
  /** D1 statements that change the database, and the rows D1 says they wrote. */
  d1Writes: z.number(),
  d1RowsWritten: z.number(),
  /** Calls to D1 (`run`, `all`, `first`, `raw`, `batch`), reads included: its round trips. */
  d1RoundTrips: z.number(),
});
export type Counters = z.infer<typeof Counters>;

export const zeroCounters = (): Counters => ({
  sqlWrites: 0,
  sqlRowsWritten: 0,
  sqlSchema: 0,
  transactions: 0,
  kvWrites: 0,
  alarmWrites: 0,
  d1Writes: 0,
  d1RowsWritten: 0,
  d1RoundTrips: 0,
});

/** Mean of each counter over a list. */
export function meanCounters(list: readonly Counters[]): Counters {
  const out = zeroCounters();
  for (const counters of list) {
    for (const key of Object.keys(out) as Array<keyof Counters>) {
      out[key] += counters[key] / list.length;
    }
  }
  return out;
}
