/**
 * Banks a merchant's user has paid with (`stablemint_saved_banks`, migrations/0004): written by
 * the StableMint dialect's projection when a bank payment succeeds, read when that user's next
 * embedded session is created. Keyed by (merchant, the merchant's `userId`, bank), so one
 * merchant never sees another's users, and a repeat payment only moves `last_used_at` forward.
 */
import * as z from "zod";
import type { SavedBank } from "../core/details.js";
import { isD1Unavailable } from "../errors.js";

const SavedBankRow = z.object({
  bank_id: z.string().min(1),
  last_used_at: z.number().int().nonnegative(),
});

/**
 * Most recently used first. A projection, never a precondition: when D1 does not answer, the
 * session is made without the user's saved banks (and a log line) rather than not at all.
 */
export async function savedBanks(
  db: D1Database,
  merchantId: string,
  userId: string,
): Promise<SavedBank[]> {
  let results: Record<string, unknown>[];
  try {
    ({ results } = await db
      .prepare(
        `SELECT bank_id, last_used_at FROM stablemint_saved_banks
         WHERE merchant_id = ? AND user_id = ? ORDER BY last_used_at DESC, bank_id`,
      )
      .bind(merchantId, userId)
      .all());
  } catch (error) {
    if (!isD1Unavailable(error)) throw error;
    console.error(JSON.stringify({ savedBanks: merchantId, error: String(error) }));
    return [];
  }
  return results.map((row) => {
    const parsed = SavedBankRow.parse(row);
    return { bankId: parsed.bank_id, lastUsedAt: parsed.last_used_at };
  });
}

/**
 * The write that saves a bank, for the caller to batch. Idempotent: saving again (a retried
 * effect, an older payment) never moves the time back.
 */
export function bankSave(
  db: D1Database,
  saved: { merchantId: string; userId: string; bankId: string; at: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO stablemint_saved_banks (merchant_id, user_id, bank_id, last_used_at)
       VALUES (?, ?, ?, ?)
       ON CONFLICT (merchant_id, user_id, bank_id)
       DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
    )
    .bind(saved.merchantId, saved.userId, saved.bankId, saved.at);
}
