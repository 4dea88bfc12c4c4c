/**
 * What the ops screen reads of a merchant on every request: its name and the hash of its current
 * secret key, read fresh (never from the isolate's auth cache), so that rolling the key ends
 * every ops session signed in with the old one at once, in every isolate.
 */
import * as z from "zod";

export interface OpsMerchant {
  id: string;
  name: string;
  /** Hex SHA-256 of the current secret key (never the key). */
  keyHash: string;
}

const Row = z.object({
  id: z.string().min(1),
  name: z.string(),
  secret_key_hash: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * The merchant with this id, or null.
 *
 * @example
 * await opsMerchant(env.DB, "m_sandbox"); // { id: "m_sandbox", name: "Sandbox Store", keyHash: "9f…" }
 */
export async function opsMerchant(db: D1Database, id: string): Promise<OpsMerchant | null> {
  const found = await db
    .prepare("SELECT id, name, secret_key_hash FROM merchants WHERE id = ?")
    .bind(id)
    .first();
  if (found === null) return null;
  const row = Row.parse(found);
  return { id: row.id, name: row.name, keyHash: row.secret_key_hash };
}
