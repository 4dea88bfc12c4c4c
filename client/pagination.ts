/** Keyset pagination: every page of a list, newest first, fetched as the loop asks for it. */
import type { Page } from "./types.js";

/**
 * The pages of a list from `cursor` on (the first page without one), each fetched when the
 * loop asks for it, until the last (`next_cursor: null`).
 *
 * @example
 * for await (const page of client.checkoutSessions.pages({ status: "COMPLETED", limit: 100 })) {
 *   for (const session of page.data) console.log(session.id);
 * }
 */
export async function* pages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  cursor?: string,
): AsyncGenerator<Page<T>, void, undefined> {
  for (let next = cursor; ; ) {
    const page = await fetchPage(next);
    yield page;
    if (page.next_cursor === null) return;
    next = page.next_cursor;
  }
}
