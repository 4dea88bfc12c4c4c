/**
 * A fuzz case made a real `Request` against the world as it is now: references resolved (a
 * rolled key, a replaced target), credentials computed (StableMint signs the `userId` the
 * Worker will read from these very bytes), the body sent whole or chunked.
 */
import type { Auth, FuzzCase, Part } from "./fuzz-case.js";
import { encoded } from "./fuzz-http.js";
import type { World } from "./fuzz-world.js";
import { sign, unixNow } from "./stablemint-api.js";

const ORIGIN = "http://127.0.0.1:8787";
/** How long an answer may take before the fuzzer calls it a hang. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** A part of a case as text, its reference resolved against the world as it is now. */
export function text(world: World, part: Part): string {
  if (typeof part === "string") return part;
  const value = world.ref(part.ref);
  if (part.edit === "append") return `${value}x`;
  if (part.edit === "truncate") return value.slice(0, -1);
  if (part.edit === "upper") return value.toUpperCase();
  return value;
}

/** The `userId` the Worker will read from these bytes: what a StableMint caller signs. */
function signedUserId(bytes: Uint8Array | null): string {
  try {
    const body: unknown = JSON.parse(new TextDecoder().decode(bytes ?? new Uint8Array()));
    if (typeof body === "object" && body !== null && "userId" in body) {
      return typeof body.userId === "string" ? body.userId : "";
    }
  } catch {
    // Not JSON: the Worker refuses it before it looks at the signature.
  }
  return "";
}

function authHeaders(world: World, auth: Auth, bytes: Uint8Array | null): [string, string][] {
  switch (auth.kind) {
    case "none":
      return [];
    case "header":
      return [["authorization", auth.value]];
    case "bearer": {
      const key = auth.who === "fuzz" ? world.key : world.foreign.key;
      return [["authorization", `${auth.scheme}${key}`]];
    }
    case "payer": {
      const token = text(world, auth.token);
      return auth.via === "cookie"
        ? [["cookie", `ec_payer=${token}`]]
        : [["authorization", `Token ${token}`]];
    }
    case "stablemint": {
      const { mode } = auth;
      const now = unixNow();
      const timestamp =
        mode === "stale"
          ? String(now - 400)
          : mode === "future"
            ? String(now + 400)
            : mode === "odd-timestamp"
              ? auth.timestamp
              : String(now);
      const userId = mode === "other-user" ? "someone-else" : signedUserId(bytes);
      let signature = sign(timestamp, world.merchant.apiSecret, userId);
      if (mode === "upper-hex") signature = signature.toUpperCase();
      if (mode === "bad-signature") signature = "0".repeat(64);
      const apiKey =
        mode === "unknown-key"
          ? "pk_test_unknown"
          : mode === "foreign-key"
            ? world.foreign.apiKey
            : world.merchant.apiKey;
      return (
        [
          ["api_key", apiKey],
          ["timestamp", timestamp],
          ["signature", signature],
        ] as [string, string][]
      ).filter(([name]) => !mode.startsWith("no-") || mode !== `no-${name.replace("_", "-")}`);
    }
  }
}

/** The bytes in two chunks, with no length: a chunked body. */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  const half = Math.max(1, Math.floor(bytes.byteLength / 2));
  const chunks = [bytes.slice(0, half), bytes.slice(half)];
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** The request a case describes, against the world as it is now. */
export function requestOf(world: World, c: FuzzCase): Request {
  const path = `/${c.path.map((part) => text(world, part)).join("/")}`;
  const query = c.query
    .map(([name, value]) => {
      return `${encoded(name)}=${encoded(text(world, value))}`;
    })
    .join("&");
  const url = `${ORIGIN}${path}${query === "" ? "" : `?${query}`}`;
  const takesBody = c.body !== null && c.method !== "GET" && c.method !== "HEAD";
  const bytes = takesBody
    ? typeof c.body === "string"
      ? new TextEncoder().encode(c.body)
      : c.body
    : null;
  const headers = new Headers();
  if (c.contentType !== null) headers.set("content-type", c.contentType);
  const given = [...authHeaders(world, c.auth, bytes), ...c.headers];
  if (c.declaredLength !== null) given.push(["content-length", c.declaredLength]);
  for (const [name, value] of given) {
    try {
      headers.set(name, value);
    } catch {
      // A header no client could send (the arbitraries keep to sendable ones).
    }
  }
  const body = bytes === null ? null : c.transport === "plain" ? bytes : streamOf(bytes);
  return new Request(url, { method: c.method, headers, body, redirect: "manual" });
}

/** What a violation shows: enough of the request to send it again by hand. */
export function describe(request: Request, c: FuzzCase): string {
  const body =
    c.body === null
      ? ""
      : typeof c.body === "string"
        ? ` body(${c.body.length} chars, ${c.transport}): ${JSON.stringify(c.body.slice(0, 300))}`
        : ` body(bytes): [${Array.from(c.body).join(",")}]`;
  const headers = JSON.stringify(Object.fromEntries(request.headers));
  return `${request.method} ${request.url.slice(0, 500)} headers ${headers.slice(0, 500)}${body}`;
}

export async function timed<T>(work: Promise<T>): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), REQUEST_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
