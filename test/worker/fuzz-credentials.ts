/**
 * Credentials for fuzzed requests, valid most of the time so that validation is reached: a
 * merchant's secret key (or another merchant's, or none, or a malformed header), StableMint
 * signing in every way it can fail, and a payer's token by cookie or header. Resolved against
 * the world when sent (test/worker/fuzz-request.ts): a key roll is followed.
 */
import fc from "fast-check";
import { type Auth, idOf, ref, type StablemintMode } from "./fuzz-case.js";
import type { Ref } from "./fuzz-world.js";

export const merchantAuth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 16, arbitrary: fc.constant<Auth>({ kind: "bearer", who: "fuzz", scheme: "Bearer " }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("bearer ", "BEARER ", "Bearer    ")
      .map((scheme): Auth => ({ kind: "bearer", who: "fuzz", scheme })),
  },
  {
    weight: 1,
    arbitrary: fc.constant<Auth>({ kind: "bearer", who: "foreign", scheme: "Bearer " }),
  },
  { weight: 2, arbitrary: fc.constant<Auth>({ kind: "none" }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Bearer sk_test_nope",
        `Bearer sk_test_${"k".repeat(300)}`,
        "Token abc.def",
        "Bearer a b",
        "sk_test_fuzz",
        "Bearer \u007f",
      )
      .map((value): Auth => ({ kind: "header", value })),
  },
);

const STABLEMINT_MODES: StablemintMode[] = [
  "upper-hex",
  "stale",
  "future",
  "bad-signature",
  "other-user",
  "no-api-key",
  "no-timestamp",
  "no-signature",
  "odd-timestamp",
  "unknown-key",
  "foreign-key",
];

export const stablemintAuth: fc.Arbitrary<Auth> = fc
  .tuple(
    fc.oneof(
      { weight: 12, arbitrary: fc.constant<StablemintMode>("valid") },
      { weight: 4, arbitrary: fc.constantFrom(...STABLEMINT_MODES) },
    ),
    fc.constantFrom("1e9", "-1", " ", "12345678901234567", "0x10", "1.5", "+1700000000", "0"),
  )
  .map(([mode, timestamp]): Auth => ({ kind: "stablemint", mode, timestamp }));

/** The payer's credentials on a page route: the token for `own`, another, a broken one, none. */
export function payerAuth(own: Ref): fc.Arbitrary<Auth> {
  const via = fc.constantFrom<"cookie" | "header">("cookie", "header");
  return fc.oneof(
    { weight: 8, arbitrary: via.map((v): Auth => ({ kind: "payer", via: v, token: ref(own) })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(via, idOf("foreign.token", "challenge.token", "sm.sessionId", "open.token"))
        .map(([v, token]): Auth => ({ kind: "payer", via: v, token })),
    },
    { weight: 2, arbitrary: fc.constant<Auth>({ kind: "none" }) },
  );
}

/** What a page's script or a browser sends beside the payer's credentials. */
export const browserHeaders = fc
  .record(
    {
      origin: fc.constantFrom("http://127.0.0.1:8787", "null", "https://evil.example", ""),
      "sec-fetch-site": fc.constantFrom("same-origin", "cross-site", "same-site", "none"),
      "sec-fetch-dest": fc.constantFrom("iframe", "document", "empty"),
      accept: fc.constantFrom("application/json", "text/html", "*/*"),
    },
    { requiredKeys: [] },
  )
  .map((headers) => Object.entries(headers));
