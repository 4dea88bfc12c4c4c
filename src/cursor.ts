/**
 * Opaque keyset-pagination cursors: the `[createdAt, id]` of the last row of a page, as base64url
 * JSON. A cursor the API did not write is a 422 `invalid_cursor`, never a 500.
 */
import * as z from "zod";
import { ProblemError } from "./errors.js";

const Cursor = z.tuple([z.number().int().nonnegative(), z.string().min(1).max(200)]);
export type Cursor = z.infer<typeof Cursor>;

export function encodeCursor(position: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  const binary = Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): Cursor {
  const invalid = new ProblemError(
    422,
    "invalid_cursor",
    "The cursor is not one this API returned.",
    [{ field: "cursor", message: "Pass `next_cursor` from the previous page unchanged." }],
  );
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalid;
  let decoded: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    decoded = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalid;
  }
  const parsed = Cursor.safeParse(decoded);
  if (!parsed.success) throw invalid;
  return parsed.data;
}
