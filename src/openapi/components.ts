/**
 * The zod → JSON Schema step, with zod 4's own `z.toJSONSchema` (draft 2020-12, the dialect
 * OpenAPI 3.1 uses). Two passes: the answers (src/openapi/*.responses.ts, registered in `docs`)
 * as they come out (`io: "output"`), and the request bodies and queries the routes validate
 * with as callers may send them (`io: "input"`: a field with a default is optional, a
 * transform's input type is what is documented). Each registered schema becomes one
 * `#/components/schemas/<id>`, referenced wherever it appears.
 */
import * as z from "zod";
import { docs, fieldDocs } from "./registry.js";

export type JsonSchema = { [key: string]: unknown };

const refTo = (id: string) => `#/components/schemas/${id}`;

/** Puts zod's own `.describe()` / `.meta()` (the global registry) on the generated schema. */
function globalMeta(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const meta = z.globalRegistry.get(ctx.zodSchema);
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (key !== "id" && ctx.jsonSchema[key] === undefined) ctx.jsonSchema[key] = value;
  }
}

function convert(
  registry: z.core.$ZodRegistry<{ id: string }>,
  io: "input" | "output",
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    metadata: registry,
    uri: refTo,
    override: globalMeta,
    // Refinements carry no JSON Schema; any other unrepresentable type is a bug here.
    unrepresentable: "throw",
  });
  if ("__shared" in schemas) {
    throw new Error("a schema is reused without an id: register it with component()");
  }
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...body } = schema;
    out[id] = withoutSafeIntegerBounds(body);
  }
  return out;
}

/**
 * zod writes `z.number().int()` with the safe-integer range as its bounds; JSON numbers past it
 * are not integers any client keeps exactly, so the bounds only add noise: they are dropped.
 */
function withoutSafeIntegerBounds(json: JsonSchema): JsonSchema {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(
          ([key, v]) =>
            !(key === "minimum" && v === Number.MIN_SAFE_INTEGER) &&
            !(key === "maximum" && v === Number.MAX_SAFE_INTEGER),
        )
        .map(([key, v]) => [key, walk(v)]),
    );
  };
  const cleaned = walk(json);
  return typeof cleaned === "object" && cleaned !== null && !Array.isArray(cleaned)
    ? Object.fromEntries(Object.entries(cleaned))
    : {};
}

/** The field descriptions of `describeFields`, put on the properties of `json`. */
export function withFieldDocs(schema: z.ZodType, json: JsonSchema): JsonSchema {
  const texts = schema instanceof z.ZodObject ? fieldDocs.get(schema) : undefined;
  const properties = json.properties;
  if (texts === undefined || typeof properties !== "object" || properties === null) return json;
  const described = Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [
      key,
      texts[key] === undefined ? value : { ...value, description: texts[key] },
    ]),
  );
  return { ...json, properties: described };
}

/**
 * Every component: the answers (`docs`), and the request schemas given here by id, converted
 * as input. An id used twice is an error, as a `$ref` could only mean one of them.
 */
export function componentSchemas(requests: ReadonlyMap<string, z.ZodType>) {
  const inputs = z.registry<{ id: string }>();
  for (const [id, schema] of requests) inputs.add(schema, { id });
  const answers = convert(docs, "output");
  const bodies = convert(inputs, "input");
  for (const id of Object.keys(bodies)) {
    if (id in answers) throw new Error(`component ${id} is both a request and an answer`);
    const schema = requests.get(id);
    if (schema !== undefined) bodies[id] = withFieldDocs(schema, bodies[id] ?? {});
  }
  const all = { ...answers, ...bodies };
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((id) => [id, all[id] ?? {}]),
  );
}

export const ref = (id: string): JsonSchema => ({ $ref: refTo(id) });

/** The component id a registered answer schema has. */
export function idOf(schema: z.ZodType): string {
  const id = docs.get(schema)?.id;
  if (id === undefined) throw new Error("an answer schema without component(): register it");
  return id;
}
