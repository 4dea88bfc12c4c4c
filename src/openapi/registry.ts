/**
 * The registry the OpenAPI description is generated with: each schema that becomes a component
 * (`#/components/schemas/<id>`), and descriptions for the fields of the request schemas the
 * routes validate with (src/schemas.ts and friends carry JSDoc, not zod metadata, and stay as
 * they are). The response schemas of src/openapi/ use zod's own `.describe()` / `.meta()`;
 * src/openapi/document.ts reads all three.
 */
import * as z from "zod";

/** Component ids, for `z.toJSONSchema(docs, { metadata: docs })`. */
export const docs = z.registry<{ id: string }>();

/**
 * Registers `schema` as the component `id` (its `$ref` everywhere it appears) and returns it.
 *
 * @example
 * export const Payment = component("Payment", z.object({ id: z.string() }));
 */
export function component<T extends z.ZodType>(id: string, schema: T): T {
  if (docs.has(schema)) throw new Error(`${id}: this schema is ${docs.get(schema)?.id} already`);
  docs.add(schema, { id });
  return schema;
}

/** Field descriptions of object schemas other modules own, by schema and key. */
export const fieldDocs = new Map<z.ZodObject, Record<string, string>>();

/**
 * Describes the fields of an object schema another module owns (the schema a route validates
 * with), by key. The text goes on the property in the generated JSON Schema, never on the
 * field's own zod schema, which is often shared (`RedirectUrl` is five fields).
 *
 * @example
 * describeFields(CreateCheckoutSession, { amount: "Minor units, e.g. 1050 for €10.50." });
 */
export function describeFields<T extends z.ZodObject>(
  schema: T,
  descriptions: Partial<Record<keyof T["shape"] & string, string>>,
): void {
  const texts: Record<string, string> = { ...fieldDocs.get(schema) };
  for (const [key, description] of Object.entries(descriptions)) {
    if (!(key in schema.shape)) throw new Error(`no field ${key} to describe`);
    if (typeof description === "string") texts[key] = description;
  }
  fieldDocs.set(schema, texts);
}

/** An ISO 8601 time as the API writes it (`Date.prototype.toISOString`, UTC). */
export const Timestamp = z
  .string()
  .meta({ format: "date-time", description: "ISO 8601, UTC, e.g. `2026-01-31T12:00:00.000Z`." });
