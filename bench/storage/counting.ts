/**
 * Bench-only counters around a session object's storage and D1, used by worker.ts (the
 * instrumented build). They wrap what the object is handed (its state and env) and count what
 * it asks for; nothing in src/ changes. Runs inside workerd: one isolate serves the Worker and
 * its objects locally, so the counters are module state, read and reset over HTTP.
 */
import { type Counters, zeroCounters } from "./counters.ts";

export let counters = zeroCounters();
export const resetCounters = () => {
  counters = zeroCounters();
};

type Kind = "write" | "schema" | "read";
function kindOf(sql: string): Kind {
  const verb = /^\s*(\w+)/.exec(sql.replace(/^\s*(--[^\n]*\n\s*)*/, ""))?.[1]?.toUpperCase();
  if (verb === "CREATE" || verb === "ALTER" || verb === "DROP") return "schema";
  return verb === "SELECT" || verb === "PRAGMA" || verb === undefined ? "read" : "write";
}

/** A proxy whose methods are bound to the real object, with some replaced. */
function wrap<T extends object>(target: T, overrides: Partial<Record<PropertyKey, unknown>>): T {
  return new Proxy(target, {
    get(object, key) {
      if (key in overrides) return overrides[key];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

function countingSql(sql: SqlStorage): SqlStorage {
  return wrap(sql, {
    exec: (query: string, ...bindings: unknown[]) => {
      const cursor = sql.exec(query, ...bindings);
      const kind = kindOf(query);
      if (kind === "write") {
        counters.sqlWrites++;
        counters.sqlRowsWritten += cursor.rowsWritten;
      } else if (kind === "schema") counters.sqlSchema++;
      return cursor;
    },
  });
}

/**
 * Counts in place: the runtime's DurableObject constructor accepts only the real state object,
 * so its storage gets counting methods (own properties shadowing the native ones) instead of
 * being wrapped.
 */
export function instrumentState(state: DurableObjectState): void {
  const storage = state.storage;
  const count = (key: keyof Counters, method: keyof DurableObjectStorage) => {
    const original = storage[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(storage, method, {
      value: (...args: unknown[]) => {
        counters[key]++;
        return Reflect.apply(original, storage, args);
      },
    });
  };
  Object.defineProperty(storage, "sql", { value: countingSql(storage.sql) });
  count("transactions", "transactionSync");
  count("transactions", "transaction");
  count("kvWrites", "put");
  count("kvWrites", "delete");
  count("kvWrites", "deleteAll");
  count("alarmWrites", "setAlarm");
  count("alarmWrites", "deleteAlarm");
}

interface D1Result {
  meta?: { rows_written?: number };
}

/** Reads are not counted: only what changes the database. */
function countD1(sql: string, result: unknown): void {
  if (kindOf(sql) === "read") return;
  counters.d1Writes++;
  counters.d1RowsWritten += (result as D1Result | null)?.meta?.rows_written ?? 0;
}

const statements = new WeakMap<D1PreparedStatement, string>();

function countingStatement(statement: D1PreparedStatement, sql: string): D1PreparedStatement {
  /** One round trip to D1: calls the statement, then counts it. */
  const call =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>, withMeta: boolean) =>
    async (...args: A) => {
      const result = await method.apply(statement, args);
      counters.d1RoundTrips++;
      countD1(sql, withMeta ? result : null);
      return result;
    };
  const counted = wrap(statement, {
    bind: (...values: unknown[]) => countingStatement(statement.bind(...values), sql),
    run: call(statement.run, true),
    all: call(statement.all, true),
    first: call(statement.first as (column?: string) => Promise<unknown>, false),
    raw: call(statement.raw as (options?: { columnNames?: boolean }) => Promise<unknown>, false),
  });
  statements.set(counted, sql);
  return counted;
}

export function countingD1(db: D1Database): D1Database {
  return wrap(db, {
    prepare: (sql: string) => countingStatement(db.prepare(sql), sql),
    batch: async (batch: D1PreparedStatement[]) => {
      const results = await db.batch(batch);
      counters.d1RoundTrips++;
      batch.forEach((statement, i) => {
        countD1(statements.get(statement) ?? "", results[i]);
      });
      return results;
    },
  });
}
