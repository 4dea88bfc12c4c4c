/** Small helpers every route module uses: body parsing, object results, JSON responses. */
import type { z } from "zod";
import { ProblemError, validationProblem } from "../errors.js";
import { readBody } from "./read-body.js";

/**
 * Parses a JSON body against a schema; any failure is a 4xx problem, never a 5xx. The body is
 * read under the size limit first (413, see src/routes/read-body.ts). With `optional`, a
 * request without a body, or with an empty one, is read as `{}` (every field takes its default).
 */
export async function parseBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  { optional = false } = {},
): Promise<z.infer<T>> {
  if (optional && request.body === null) return parseValue({}, schema);
  const isJson = (request.headers.get("content-type") ?? "")
    .toLowerCase()
    .startsWith("application/json");
  const unsupported = () =>
    new ProblemError(415, "unsupported_media_type", "Send the body as application/json.");
  if (!isJson && !optional) throw unsupported();
  const bytes = await readBody(request);
  // An optional body may be left out altogether: an empty POST (`curl -X POST`) reads as `{}`.
  if (optional && bytes.byteLength === 0) return parseValue({}, schema);
  if (!isJson) throw unsupported();
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProblemError(400, "invalid_json", "The body is not valid JSON.");
  }
  if (depthOf(json) > MAX_BODY_DEPTH) {
    throw new ProblemError(
      422,
      "body_too_deep",
      `The body may nest objects and arrays at most ${MAX_BODY_DEPTH} levels deep.`,
    );
  }
  return parseValue(json, schema);
}

/** Deeper than any request of ours needs; a deeper one would only exhaust a recursive parse. */
const MAX_BODY_DEPTH = 32;

/** How deeply a JSON value nests, measured without recursion (a hostile body cannot overflow it). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (typeof node !== "object" || node === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function parseValue<T extends z.ZodType>(value: unknown, schema: T): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationProblem(parsed.error);
  return parsed.data;
}

/**
 * A query string against an object schema: a parameter the schema does not name is a 400
 * `unknown_query_parameter` listing each one (as unknown body fields are refused), and a bad
 * value a 422 naming the parameter.
 */
export function parseQuery<T extends z.ZodObject>(
  request: { query: Record<string, unknown> },
  schema: T,
): z.infer<T> {
  // Own keys only: `in` would take `constructor` or `__proto__` for parameters of every list.
  const unknown = Object.keys(request.query).filter((name) => !Object.hasOwn(schema.shape, name));
  if (unknown.length > 0) {
    throw new ProblemError(
      400,
      "unknown_query_parameter",
      `Unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}.`,
      unknown.map((field) => ({ field, message: "Not a parameter of this list." })),
    );
  }
  const parsed = schema.safeParse(request.query);
  if (!parsed.success) throw validationProblem(parsed.error, "The query is not valid.");
  return parsed.data;
}

export function json(body: unknown, status = 200): Response {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
