/**
 * Reads Durable Object and D1 storage from the outside, from the SQLite files workerd writes
 * under Miniflare's persistence directory: no code in src/ is changed or wrapped for these.
 *
 * - Transactions: workerd keeps each object's database in WAL mode, so every committed SQLite
 *   transaction appends frames to `<object>.sqlite-wal`, the last one flagged as a commit frame.
 *   Counting valid commit frames counts the transactions the runtime actually committed
 *   (explicit ones and the implicit ones it opens around loose writes and alarm changes).
 * - Rows and bytes: the files are opened read-only with node:sqlite once the runtime stopped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/**
 * Committed transactions in a WAL file (https://sqlite.org/fileformat2.html#walformat): frames
 * whose salts match the header's (older frames past a WAL reset carry other salts) and whose
 * "database size after commit" field is non-zero.
 */
export function walCommits(walPath: string): number {
  if (!existsSync(walPath)) return 0;
  const wal = readFileSync(walPath);
  if (wal.length < WAL_HEADER) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let commits = 0;
  for (
    let at = WAL_HEADER;
    at + FRAME_HEADER + pageSize <= wal.length;
    at += FRAME_HEADER + pageSize
  ) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

/** Each object's database file under `<persist>/do/<worker>-<class>/`, by file name. */
export function objectDatabases(persistTo: string, namespaceDir: string): string[] {
  const dir = join(persistTo, "do", namespaceDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^[0-9a-f]{64}\.sqlite$/.test(name))
    .map((name) => join(dir, name));
}

/** The one D1 database file under `<persist>/d1/`. */
export function d1Database(persistTo: string): string {
  const dir = join(persistTo, "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((name) => /^[0-9a-f]{64}\.sqlite$/.test(name));
  if (file === undefined) throw new Error(`no D1 database under ${dir}`);
  return join(dir, file);
}

export interface TableStats {
  rows: number;
  /** Sum of the stored values' lengths (text and blobs in bytes, 8 per number). */
  payloadBytes: number;
}

/** Rows and payload bytes of every table, plus the database's size in pages. */
export function tableStats(file: string): {
  tables: Record<string, TableStats>;
  fileBytes: number;
} {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const tables: Record<string, TableStats> = {};
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => String(row.name));
    for (const name of names) {
      const columns = db
        .prepare(`SELECT name FROM pragma_table_info('${name.replaceAll("'", "''")}')`)
        .all()
        .map((row) => `"${String(row.name).replaceAll('"', '""')}"`);
      const length = columns
        .map(
          (c) =>
            `CASE typeof(${c}) WHEN 'integer' THEN 8 WHEN 'real' THEN 8 ELSE coalesce(length(CAST(${c} AS BLOB)), 0) END`,
        )
        .join(" + ");
      const row = db
        .prepare(
          `SELECT count(*) AS rows, coalesce(sum(${length || "0"}), 0) AS bytes FROM "${name}"`,
        )
        .get();
      tables[name] = { rows: Number(row?.rows ?? 0), payloadBytes: Number(row?.bytes ?? 0) };
    }
    const pages = db.prepare("PRAGMA page_count").get();
    const size = db.prepare("PRAGMA page_size").get();
    return { tables, fileBytes: Number(pages?.page_count ?? 0) * Number(size?.page_size ?? 0) };
  } finally {
    db.close();
  }
}

/** Bytes on disk of a database with its WAL and shared-memory files, as the runtime left them. */
export function bytesOnDisk(file: string): number {
  return ["", "-wal", "-shm"]
    .map((suffix) => `${file}${suffix}`)
    .filter((path) => existsSync(path))
    .reduce((total, path) => total + statSync(path).size, 0);
}
