/**
 * The web-platform globals the client uses, typed as narrowly as it uses them (client/tsconfig.json
 * compiles against ES2022 alone). `fetch` is global in Node 18+, Workers, Deno and browsers;
 * `crypto.randomUUID` in Node 19+ (Node 18 with `--experimental-global-webcrypto`) and the rest.
 */

/** The part of `RequestInit` the client sends: every runtime's `fetch` takes it. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** The part of `Response` the client reads. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/**
 * The `fetch` the client calls: the global one fits, and so does any function of this shape
 * (a Worker's service binding, `SELF.fetch` in tests, a proxying or instrumented fetch).
 */
export type Fetch = (url: string, init: FetchInit) => Promise<FetchResponse>;

interface Platform {
  fetch?: Fetch;
  crypto?: { randomUUID?: () => string };
}

// Under ES2022 alone the global object's type names neither; the runtime's global object has them.
const platform: Platform = Object(globalThis);

/** The runtime's global `fetch`, bound (some runtimes refuse it called off `globalThis`). */
export function globalFetch(): Fetch {
  const { fetch } = platform;
  if (fetch === undefined) {
    throw new TypeError("This runtime has no global fetch: pass `fetch` to new EdgeCheckout().");
  }
  return (url, init) => fetch(url, init);
}

/** A fresh random UUID (v4), as an idempotency key. */
export function randomUUID(): string {
  const uuid = platform.crypto?.randomUUID;
  if (uuid === undefined) {
    throw new TypeError(
      "This runtime has no crypto.randomUUID (Node 18 needs --experimental-global-webcrypto): pass `idempotencyKey` yourself.",
    );
  }
  return uuid.call(platform.crypto);
}
