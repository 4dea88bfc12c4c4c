/**
 * What one fuzzed request is (a `FuzzCase`: method, path, query, credentials, headers, body and
 * how it travels) and how a route's cases are built: ids that are a target's mostly and hostile
 * otherwise, paths bent now and then, queries with parameters kept, dropped, doubled or broken,
 * and bodies from valid ones, mutated. test/worker/fuzz-routes.ts lists the routes.
 */
import fc from "fast-check";
import { contentType, mutatedJson, type WireBody, wireBody } from "./fuzz-bodies.js";
import { encoded, hostileSegment, ODD_METHODS, oddHeaders } from "./fuzz-http.js";
import { hostileKey, hostileValue, PROTO_KEYS, TWO_MB } from "./fuzz-values.js";
import { REFS, type Ref } from "./fuzz-world.js";

/** Text with a world reference in it, resolved when the request is sent. */
export type Part = string | { ref: Ref; edit?: "append" | "truncate" | "upper" };

/** How a StableMint request is signed: right, or wrong in one of the ways it can be. */
export type StablemintMode =
  | "valid"
  | "upper-hex"
  | "stale"
  | "future"
  | "bad-signature"
  | "other-user"
  | "no-api-key"
  | "no-timestamp"
  | "no-signature"
  | "odd-timestamp"
  | "unknown-key"
  | "foreign-key";

/** A request's credentials, resolved when it is sent (test/worker/fuzz-request.ts). */
export type Auth =
  | { kind: "none" }
  | { kind: "bearer"; who: "fuzz" | "foreign"; scheme: string }
  | { kind: "header"; value: string }
  | { kind: "stablemint"; mode: StablemintMode; timestamp: string }
  | { kind: "payer"; via: "cookie" | "header"; token: Part };

/** One fuzzed request, as data: fast-check generates (and prints) it. */
export interface FuzzCase {
  route: string;
  method: string;
  /** Path segments, joined with `/`. */
  path: Part[];
  query: [string, Part][];
  auth: Auth;
  headers: [string, string][];
  contentType: string | null;
  body: WireBody | null;
  /** As one buffer, or as a stream without a length (chunked). */
  transport: "plain" | "chunked";
  /** A `Content-Length` header of our own, true or not. */
  declaredLength: string | null;
  /** The query parameters a list names (any other is a 400), or null for other routes. */
  params: string[] | null;
}

export const ref = (name: Ref): Part => ({ ref: name });

/** An id segment: one of `own` mostly, another target's now and then, or a hostile one. */
export function idOf(...own: Ref[]): fc.Arbitrary<Part> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own).map(ref) },
    { weight: 2, arbitrary: fc.constantFrom(...REFS).map(ref) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...own),
          fc.constantFrom<"append" | "truncate" | "upper">("append", "truncate", "upper"),
        )
        .map(([name, edit]) => ({ ref: name, edit })),
    },
    { weight: 3, arbitrary: hostileSegment },
  );
}

/** A path: the route's own segments, now and then with one more, a doubled slash or a case change. */
export function pathOf(...parts: (string | fc.Arbitrary<Part>)[]): fc.Arbitrary<Part[]> {
  const segments = fc.tuple(...parts.map((p) => (typeof p === "string" ? fc.constant(p) : p)));
  return fc.oneof(
    { weight: 30, arbitrary: segments },
    { weight: 1, arbitrary: fc.tuple(segments, hostileSegment).map(([s, extra]) => [...s, extra]) },
    { weight: 1, arbitrary: segments.map((s) => [...s, ""]) },
    { weight: 1, arbitrary: segments.map((s) => ["", ...s]) },
    {
      weight: 1,
      arbitrary: segments.map((s) => s.map((p) => (typeof p === "string" ? p.toUpperCase() : p))),
    },
  );
}

/** A query value: text of any hostile value, kept to a size a URL may carry. */
const queryValue: fc.Arbitrary<Part> = hostileValue.map((v) =>
  (typeof v === "string" ? v : (JSON.stringify(v) ?? String(v))).slice(0, 10_000),
);

const strayParams = fc.oneof(
  fc.array(
    fc.tuple(
      fc.oneof(hostileKey, fc.constantFrom("limit", "cursor", "token", "session_id", "charge_id")),
      queryValue,
    ),
    { minLength: 1, maxLength: 3 },
  ),
  fc.tuple(fc.constantFrom(...PROTO_KEYS), queryValue).map((param) => [param]),
);

/** A list's query, and the parameters it names. */
export const listQuery = (base: Record<string, Part>) => ({
  query: queryOf(base),
  params: Object.keys(base),
});

/** A query: each parameter of `base` kept, left out, doubled or given a hostile value. */
export function queryOf(base: Record<string, Part>): fc.Arbitrary<[string, Part][]> {
  const params = Object.entries(base).map(([name, value]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant<[string, Part][]>([[name, value]]) },
      { weight: 2, arbitrary: fc.constant<[string, Part][]>([]) },
      { weight: 3, arbitrary: queryValue.map((v): [string, Part][] => [[name, v]]) },
      {
        weight: 1,
        arbitrary: queryValue.map((v): [string, Part][] => [
          [name, value],
          [name, v],
        ]),
      },
    ),
  );
  return fc
    .tuple(
      fc.tuple(...params),
      fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: strayParams }),
    )
    .map(([kept, stray]) => [...kept.flat(), ...stray]);
}

export const noQuery = fc.oneof(
  { weight: 8, arbitrary: fc.constant<[string, Part][]>([]) },
  { weight: 1, arbitrary: strayParams },
);

const formBody: fc.Arbitrary<WireBody> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("decision=approve", "decision=deny") },
  {
    weight: 4,
    arbitrary: queryValue.map((v) => `decision=${encoded(typeof v === "string" ? v : "")}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      "decision",
      "decision=approve&decision=deny",
      "%zz=%zz",
      '{"decision":"approve"}',
      '--zzz\r\nContent-Disposition: form-data; name="decision"\r\n\r\napprove\r\n--zzz--\r\n',
      `decision=${TWO_MB}`,
    ),
  },
);

const formType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/x-www-form-urlencoded") },
  { weight: 2, arbitrary: contentType },
);

export interface RouteSpec {
  name: string;
  method: string;
  path: fc.Arbitrary<Part[]>;
  auth: fc.Arbitrary<Auth>;
  query?: fc.Arbitrary<[string, Part][]>;
  /** A list's parameters: the route must refuse any other. */
  params?: string[];
  /** Valid bodies the route takes as JSON, mutated; or the challenge's form. */
  json?: readonly unknown[];
  form?: true;
  headers?: fc.Arbitrary<[string, string][]>;
}

/** A route's requests: mostly its own method, sometimes any; bodies where it takes one. */
export function route(spec: RouteSpec): fc.Arbitrary<FuzzCase> {
  const json = spec.json;
  const body: fc.Arbitrary<WireBody | null> =
    json !== undefined
      ? fc.oneof(
          { weight: 24, arbitrary: wireBody(fc.oneof(...json.map(mutatedJson))) },
          { weight: 1, arbitrary: fc.constant(null) },
        )
      : spec.form
        ? formBody
        : fc.oneof(
            { weight: 6, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: wireBody(hostileValue) },
          );
  return fc.record({
    route: fc.constant(spec.name),
    method: fc.oneof(
      { weight: 16, arbitrary: fc.constant(spec.method) },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_METHODS) },
    ),
    path: spec.path,
    query: spec.query ?? noQuery,
    auth: spec.auth,
    headers: fc
      .tuple(spec.headers ?? fc.constant([]), oddHeaders)
      .map(([own, odd]) => [...own, ...Object.entries(odd)]),
    contentType: json !== undefined ? contentType : spec.form ? formType : fc.option(contentType),
    body,
    // Streams only where a body is read, and seldom: the runtime logs each one it cuts off
    // (test/worker/body-limits.test.ts sends them on purpose, and a broken one).
    transport:
      json !== undefined || spec.form
        ? fc.oneof(
            { weight: 20, arbitrary: fc.constant("plain" as const) },
            { weight: 1, arbitrary: fc.constant("chunked" as const) },
          )
        : fc.constant("plain" as const),
    declaredLength: fc.oneof(
      { weight: 14, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("0", "1", "10", "65537", "99999999999", "-1", "abc"),
      },
    ),
    params: fc.constant(spec.params ?? null),
  });
}
