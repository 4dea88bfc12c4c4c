/**
 * Hostile values for any field of a request: every wrong kind (types, huge and negative
 * numbers, strings that pass for numbers, control, bidi and zero-width characters, lengths at
 * the schemas' lines, 2 MB strings, nesting thousands deep, prototype keys) and values that are
 * only plausible. test/worker/fuzz-bodies.ts puts them into bodies, test/worker/fuzz-case.ts
 * into paths and queries.
 */
import fc from "fast-check";

/** Built once: strings of 2 MB (ASCII, and 3-byte characters), far over every body limit. */
export const TWO_MB = "A".repeat(2 * 1024 * 1024);
const TWO_MB_EURO = "€".repeat(700_000);

/** Characters that change how text reads or is parsed: control, bidi, zero-width, surrogates. */
const TRICKY_CHARS = [
  "\u0000",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r\n",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u061c",
  "\u200b",
  "\u200d",
  "\u200e",
  "\u202e",
  "\u2066",
  "\u2028",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udfff",
  "\u0301",
  "😀",
  "𝕏",
  "ﷺ",
  "\\",
  '"',
  "'",
  "<",
  "%00",
  "%",
  "{",
  "$",
  "`",
];

export const trickyString = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY_CHARS), fc.string({ maxLength: 6, unit: "binary" })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(""));

/** Strings a number parser or a cast might take for a number. */
const NUMBERISH = [
  "NaN",
  "nan",
  "Infinity",
  "-Infinity",
  "1e309",
  "-0",
  "0x10",
  "0b1",
  "1_000",
  "1,5",
  "1.5.5",
  ".5",
  "5.",
  "+1",
  "  12  ",
  "12abc",
  "١٢٣",
  "１２",
  "9007199254740993",
  "1e21",
  "-1",
  "0",
  "",
  "null",
  "true",
  "undefined",
  "[object Object]",
];

const HUGE_NUMBERS = [
  0,
  -0,
  -1,
  1.5,
  -1.5,
  0.1,
  99_999_999,
  100_000_000,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  1e-7,
];

/** Strings at and around the lengths the schemas and the URL rules draw lines at. */
const LENGTHS = [40, 64, 100, 128, 200, 255, 256, 500, 2048, 2049, 4097, 65_000];
const longString = fc
  .tuple(fc.constantFrom(...LENGTHS), fc.constantFrom("a", "é", "€", " ", "1", "😀"))
  .map(([length, char]) => char.repeat(Math.ceil(length / char.length)));

/** Values that are only plausible: what a field expects, slightly or entirely off. */
const PLAUSIBLE = [
  "EUR",
  "eur",
  "XXX",
  "XTS",
  "EURO",
  "€",
  "DE",
  "de",
  "ZZ",
  "XK",
  "ada@example.com",
  "ada@",
  "@example.com",
  "a@b",
  "https://shop.example/return",
  "http://127.0.0.1:8787/demo/return",
  "http://shop.example/return",
  "javascript:alert(1)",
  "https://user:pw@shop.example/",
  "https://shop.example/\r\nX: 1",
  "https://xn--pypal-4ve.com/",
  "//evil.example",
  "4242424242424242",
  "4000000000000002",
  "4000000000003220",
  "4000000000000119",
  "4242 4242 4242 4241",
  "0000000000000000",
  "card",
  "bank_transfer",
  "sandbox_de_1",
  "fail_de_1",
  "approve",
  "deny",
  "required",
  "hidden",
  "automatic",
  "manual",
  "#1a56db",
  "#GGGGGG",
  "2000-02-30",
  "1899-12-31",
  "9999-12-31",
  "2024-01-01T00:00:00Z",
  "2024-01-01T00:00:00+99:99",
  "PENDING",
  "pending",
  "cs_0000000000000000000000000000000000000000000000000000000000000000",
  "00000000-0000-4000-8000-000000000000",
  "sandbox",
  "sandbox_backup",
  "stripe",
];

/** Objects built to reach prototypes: own `__proto__`, `constructor`, `prototype` keys. */
const PROTO_OBJECTS: unknown[] = [
  JSON.parse('{"__proto__":{"polluted":true,"amount":1}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
  JSON.parse('{"__proto__":null}'),
  { toString: "x", valueOf: 1, hasOwnProperty: false },
  JSON.parse('{"__proto__":[]}'),
];

/** The marker of a value `wireBody` writes as text nested this deep. */
export const DEEP = "\u0001deep:";

/** Nested `depth` levels of arrays or objects (built iteratively: no recursion to overflow). */
export function nested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

/** A marker for nesting thousands deep (see `DEEP`). */
export const deepText = fc.constantFrom(2_000, 5_000, 10_000).map((depth) => `${DEEP}${depth}`);

/**
 * Nesting in place of any field: a few levels around the 32 the Worker allows, as values; and
 * thousands, as a marker `wireBody` swaps for nested text (no recursion on our side either).
 */
const deep = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(31, 32, 33, 40, 200),
      fc.constantFrom("array" as const, "object" as const),
    )
    .map(([depth, kind]) => nested(depth, kind)),
  deepText,
);

/** A value of any wrong kind for any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, "", " ") },
  { weight: 4, arbitrary: fc.constantFrom(...HUGE_NUMBERS) },
  { weight: 3, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERISH) },
  { weight: 6, arbitrary: fc.constantFrom(...PLAUSIBLE) },
  { weight: 5, arbitrary: trickyString },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: longString },
  { weight: 3, arbitrary: deep },
  { weight: 2, arbitrary: fc.constantFrom(...PROTO_OBJECTS) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...PLAUSIBLE), { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(TWO_MB, TWO_MB_EURO) },
);

/** Names every JavaScript object answers to: a check with `in` takes them for its own. */
export const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
] as const;

/** Keys nobody defined, including the ones that reach prototypes. */
export const hostileKey = fc.oneof(
  fc.constantFrom(
    ...PROTO_KEYS,
    "id",
    "status",
    "merchant_id",
    "object",
    "",
    " ",
    "amount ",
    "Amount",
    "\u0000",
    "\u202e",
  ),
  fc.string({ maxLength: 12 }),
  trickyString,
);
