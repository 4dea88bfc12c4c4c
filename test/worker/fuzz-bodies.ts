/**
 * Request bodies for the fuzzer: a valid body with one to three mutations (a field replaced,
 * removed or added, at any depth, `__proto__` included), written as JSON or as text that is not
 * the JSON it claims (cut short, commented, duplicated keys, a BOM, bytes that are not UTF-8,
 * nesting thousands deep, padded to the 64 KiB line), and content types near and far from JSON.
 */
import fc from "fast-check";
import { deepText, hostileKey, hostileValue } from "./fuzz-values.js";

type Json = unknown;
type Path = readonly (string | number)[];

/** Every path into a JSON value, the root (`[]`) included. */
export function pathsOf(value: Json, path: Path = []): Path[] {
  const paths: Path[] = [path];
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      paths.push(...pathsOf(item, [...path, i]));
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key]));
  }
  return paths;
}

/** A copy of `value` with `at` replaced by `edit(old)` (undefined removes it). */
function edited(value: Json, at: Path, edit: (old: Json) => Json): Json {
  if (at.length === 0) return edit(value);
  const [head, ...rest] = at;
  if (Array.isArray(value) && typeof head === "number") {
    const copy = [...value];
    const next = edited(copy[head], rest, edit);
    if (next === undefined) copy.splice(head, 1);
    else copy[head] = next;
    return copy;
  }
  if (typeof value === "object" && value !== null && typeof head === "string") {
    const copy = {};
    for (const [key, item] of Object.entries(value)) {
      const next = key === head ? edited(item, rest, edit) : item;
      if (next !== undefined) setOwn(copy, key, next);
    }
    return copy;
  }
  return value;
}

/** Sets an own property, even `__proto__` (which `=` would take for the prototype). */
function setOwn(target: object, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true });
}

/** A copy of an object with `key` added (or replaced). */
function withKey(value: Json, key: string, extra: Json): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const copy = { ...value };
  setOwn(copy, key, extra);
  return copy;
}

type Mutation = (value: Json) => Json;

/** One change to a valid body: a field replaced, removed or added, anywhere in it. */
function mutation(base: Json): fc.Arbitrary<Mutation> {
  const paths = pathsOf(base);
  const path = fc.constantFrom(...paths);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(path, hostileValue).map(([at, v]) => replaceAt(at, v)) },
    { weight: 2, arbitrary: path.map((at) => (value: Json) => edited(value, at, () => undefined)) },
    // Thousands of levels where a field is: what a recursive validator cannot survive.
    { weight: 1, arbitrary: fc.tuple(path, deepText).map(([at, v]) => replaceAt(at, v)) },
    {
      weight: 2,
      arbitrary: fc.tuple(path, hostileKey, hostileValue).map(([at, key, v]) => {
        return (value: Json) => edited(value, at, (old) => withKey(old, key, v));
      }),
    },
  );
}

const replaceAt = (at: Path, v: Json) => (value: Json) => edited(value, at, () => v);

/** A body as JSON: the valid one now and then, mostly with one to three mutations. */
export function mutatedJson(base: Json): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(base) },
    {
      weight: 9,
      arbitrary: fc
        .array(mutation(base), { minLength: 1, maxLength: 3 })
        .map((changes) => changes.reduce((value, change) => change(value), base)),
    },
  );
}

/** A body's bytes on the wire: JSON, or text that is broken or misleading in some way. */
export type WireBody = string | Uint8Array;

/** `{"a":{"a":…}}` nested `depth` deep, as text: more than any stack-bound parse survives. */
const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, a truncated sequence. */
const BAD_UTF8 = [
  Uint8Array.of(0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0x7b, 0xe2, 0x82),
  Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d),
];

/** Pads JSON text with spaces to `bytes` bytes: at, under and over the 64 KiB limit. */
const padded = (text: string, bytes: number) =>
  text + " ".repeat(Math.max(0, bytes - new TextEncoder().encode(text).byteLength));

/** JSON text of a value, each deep marker (`DEEP`, as JSON escapes it) written out as nesting. */
const jsonText = (value: Json) =>
  (JSON.stringify(value) ?? "null").replace(/"\\u0001deep:(\d+)"/g, (_, depth: string) =>
    nestedText(Number(depth)),
  );

/** A body as bytes on the wire: mostly the value's JSON, sometimes text broken on purpose. */
export function wireBody(value: fc.Arbitrary<Json>): fc.Arbitrary<WireBody> {
  const text = value.map(jsonText);
  return fc.oneof(
    { weight: 30, arbitrary: text },
    {
      weight: 1,
      arbitrary: text.map((t) => t.replace(/^\{/, '{"__proto__":{"polluted":true},')),
    },
    { weight: 1, arbitrary: text.map((t) => t.replace(/^\{/, '{"constructor":{"prototype":1},')) },
    { weight: 1, arbitrary: text.map((t) => t.replace(/\}$/, ',"amount":-1,"amount":1}')) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(text, fc.nat())
        .map(([t, cut]) => t.slice(0, t.length > 1 ? cut % t.length : 0)),
    },
    { weight: 1, arbitrary: text.map((t) => `${t}garbage`) },
    { weight: 1, arbitrary: text.map((t) => `\ufeff${t}`) },
    { weight: 1, arbitrary: text.map((t) => t.replace(/:(-?\d+)/, ":NaN")) },
    { weight: 1, arbitrary: text.map((t) => t.replace(/\}$/, ",}")) },
    { weight: 1, arbitrary: text.map((t) => `/* c */${t}`) },
    { weight: 1, arbitrary: text.map((t) => t.replaceAll('"', "'")) },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", " ", "null", "[]", "0", '""', "{", "}", "[", "\u0000"),
    },
    { weight: 1, arbitrary: fc.constantFrom(100, 2_000, 50_000).map(nestedText) },
    { weight: 1, arbitrary: fc.constantFrom(...BAD_UTF8) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(text, fc.constantFrom(65_535, 65_536, 65_537))
        .map(([t, bytes]) => padded(t, bytes)),
    },
    { weight: 1, arbitrary: fc.constant(`{"a":"${"€".repeat(22_000)}"}`) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  );
}

/** Content types: mostly JSON, else near misses and other kinds entirely. */
export const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 4,
    arbitrary: fc.constantFrom<string | null>(
      null,
      "",
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json; charset=utf-16",
      "application/jsonx",
      "application/problem+json",
      "application/merge-patch+json",
      "text/json",
      "text/plain",
      "text/html",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=zzz",
      "multipart/form-data",
      "application/octet-stream",
      "*/*",
      "application/json, text/plain",
      ";;;",
    ),
  },
);
