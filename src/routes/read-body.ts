/**
 * A request body, read under a size limit before anything parses it. A declared
 * `Content-Length` over the limit is refused without reading a byte; otherwise the stream is
 * counted as it arrives, so a body without a length (chunked) or with one that lies is cut off
 * at the limit instead of being buffered whole. Bytes, not characters: 64 KiB of `€` is 21,846
 * characters.
 */
import { ProblemError } from "../errors.js";

/** The most any route of ours takes, JSON or form: no request of ours needs more. */
export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () =>
  new ProblemError(413, "body_too_large", `The body may be at most ${MAX_BODY_BYTES} bytes.`);

/**
 * The body's bytes (empty when there is none), or a 413 `body_too_large` problem.
 *
 * @example
 * const bytes = await readBody(request); // throws 413 once a chunked body passes 64 KiB
 */
export async function readBody(request: Request): Promise<Uint8Array> {
  const declared = request.headers.get("content-length")?.trim() ?? "";
  if (/^\d+$/.test(declared) && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader.read().catch(() => {
      // The client broke off (or sent a broken stream): its request, not our failure.
      throw new ProblemError(400, "body_unreadable", "The body could not be read to its end.");
    });
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A form post's fields. A body of any other type is a 415. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw new ProblemError(415, "unsupported_media_type", "Send this form from the ops screen.");
  }
  return new URLSearchParams(new TextDecoder().decode(await readBody(request)));
}
