/**
 * The parts of a fuzzed request around its body: methods the runtime lets through, path
 * segments in place of ids, and odd headers with printable values.
 */
import fc from "fast-check";
import { trickyString } from "./fuzz-values.js";

/** Methods the runtime lets through to a Worker (it refuses tokens it does not know). */
export const ODD_METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "PURGE",
  "TRACE",
  "COPY",
  "LOCK",
  "MKCOL",
  "MOVE",
  "PROPFIND",
  "SEARCH",
  "REPORT",
  "MERGE",
  "NOTIFY",
  "SUBSCRIBE",
  "QUERY",
  "BAN",
  "patch",
] as const;

/** Percent-encoded, lone surrogates made U+FFFD first (encodeURIComponent throws on them). */
export const encoded = (text: string) => encodeURIComponent(text.toWellFormed());

/** A path segment in place of an id: malformed, too long, encoded oddly, or a near miss. */
export const hostileSegment = fc.oneof(
  fc.constantFrom(
    "",
    ".",
    "..",
    "%2e%2e",
    "%2F",
    "%00",
    "%zz",
    "%",
    "%E2%80%AE",
    "%F0%9F%98%80",
    "%ff%fe",
    "cs_",
    "cs_00",
    `cs_${"0".repeat(64)}`,
    `cs_${"f".repeat(64)}`,
    `cs_${"A".repeat(64)}`,
    `pay_${"0".repeat(64)}_ch1`,
    `evt_cs_${"0".repeat(64)}_1`,
    "we_0",
    "a.b",
    "a.b.c",
    "00000000-0000-4000-8000-000000000000",
    "ffffffff-ffff-4fff-bfff-ffffffffffff",
    "token",
    "x".repeat(300),
    "x".repeat(9_000),
    "__proto__",
    "constructor",
    "null",
    "undefined",
  ),
  fc.string({ maxLength: 20 }).map(encoded),
  trickyString.map(encoded),
  fc.string({ maxLength: 40, unit: "binary-ascii" }).map((s) => s.replace(/[/?#]/g, "")),
);

/** Printable ASCII (and tab) header values: what a Request will carry without complaint. */
const headerValue = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e]/g, "")),
  fc.constantFrom("", " ", "x".repeat(8_000), "null", "-1", "0", "1e9", "*", "\t"),
);

/** Headers beside the ones a route needs: odd names, odd values, tracing ids, overrides. */
export const oddHeaders = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "request-id",
      "idempotency-key",
      "accept",
      "accept-language",
      "origin",
      "sec-fetch-site",
      "sec-fetch-dest",
      "cookie",
      "x-http-method-override",
      "x-forwarded-for",
      "cf-connecting-ip",
      "user-agent",
      "range",
      "if-none-match",
      "expect",
      "api_key",
      "timestamp",
      "signature",
      "authorization",
      "content-length",
      "transfer-encoding",
    ),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
  ),
  headerValue,
  { maxKeys: 3 },
);
