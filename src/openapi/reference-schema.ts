/**
 * The reference page's pieces that read JSON Schema and Markdown-lite: a schema as a nested
 * list of its properties (each `$ref` a link to its component), and descriptions with `code`,
 * **bold**, paragraphs and `- ` lists. Everything is escaped (src/pages/html.ts); the spec is ours,
 * but a page of ours never trusts text into markup.
 */
import { type Html, html } from "../pages/html.js";

export type Node = { [key: string]: unknown };

const isNode = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : []);
const text = (value: unknown) => (typeof value === "string" ? value : undefined);

/** `#/components/schemas/Payment` → `Payment`. */
export const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);
export const schemaAnchor = (name: string) => `schema-${name}`;

function inline(line: string): Html[] {
  return line.split(/(`[^`]+`|\*\*[^*]+\*\*)/).map((part) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) {
      return html`<code>${part.slice(1, -1)}</code>`;
    }
    if (part.startsWith("**") && part.endsWith("**"))
      return html`<strong>${part.slice(2, -2)}</strong>`;
    return html`${part}`;
  });
}

/** Paragraphs (blank lines), `- ` lists, `code` and **bold**. */
export function markdown(source: string | undefined): Html {
  if (source === undefined || source === "") return html``;
  const blocks = source.split(/\n{2,}/).map((block) => {
    const lines = block.split("\n");
    if (lines.every((line) => line.startsWith("- "))) {
      return html`<ul>${lines.map((line) => html`<li>${inline(line.slice(2))}</li>`)}</ul>`;
    }
    return html`<p>${inline(lines.join(" "))}</p>`;
  });
  return html`${blocks}`;
}

function constraints(schema: Node): string[] {
  const out: string[] = [];
  const add = (key: string, label: string) => {
    if (schema[key] !== undefined) out.push(`${label} ${JSON.stringify(schema[key])}`);
  };
  add("minLength", "min length");
  add("maxLength", "max length");
  add("minimum", "≥");
  add("exclusiveMinimum", ">");
  add("maximum", "≤");
  add("minItems", "min items");
  add("maxItems", "max items");
  add("default", "default");
  const pattern = text(schema.pattern);
  if (pattern !== undefined && pattern.length <= 40) out.push(`pattern ${pattern}`);
  return out;
}

/** A schema's type in one line: `string`, `Payment` (a link), `array of Charge`, `"card"`. */
export function typeLabel(schema: Node): Html {
  const ref = text(schema.$ref);
  if (ref !== undefined) {
    const name = refName(ref);
    return html`<a class="ref" href="#${schemaAnchor(name)}">${name}</a>`;
  }
  if (schema.const !== undefined) return html`<code>${JSON.stringify(schema.const)}</code>`;
  if (Array.isArray(schema.enum)) {
    return html`${schema.enum.map((v, i) => html`${i > 0 ? " | " : ""}<code>${JSON.stringify(v)}</code>`)}`;
  }
  const union = [...nodes(schema.anyOf), ...nodes(schema.oneOf)];
  if (union.length > 0)
    return html`${union.map((s, i) => html`${i > 0 ? " | " : ""}${typeLabel(s)}`)}`;
  if (nodes(schema.allOf).length > 0) return html`${nodes(schema.allOf).map(typeLabel)}`;
  const types = Array.isArray(schema.type) ? schema.type.map(String) : [text(schema.type) ?? "any"];
  if (types.includes("array") && isNode(schema.items)) {
    return html`array of ${typeLabel(schema.items)}${types.includes("null") ? " | null" : ""}`;
  }
  if (types.includes("object") && isNode(schema.additionalProperties)) {
    return html`map of string → ${typeLabel(schema.additionalProperties)}`;
  }
  const format = text(schema.format);
  return html`${types.join(" | ")}${format === undefined ? "" : ` (${format})`}`;
}

/** The object whose properties a schema shows: itself, its array's items, its non-null branch. */
function shown(schema: Node): Node[] {
  if (isNode(schema.properties)) return [schema];
  if (isNode(schema.items)) return shown(schema.items);
  const union = [...nodes(schema.anyOf), ...nodes(schema.oneOf)];
  return union.flatMap(shown);
}

function property(name: string, schema: Node, required: boolean, depth: number): Html {
  const limits = constraints(schema);
  return html`<li><code class="prop">${name}</code> <span class="type">${typeLabel(schema)}</span>${required ? html` <span class="required">required</span>` : ""}${limits.length > 0 ? html` <span class="limits">${limits.join(", ")}</span>` : ""}${markdown(text(schema.description))}${depth < 4 ? properties(schema, depth + 1) : ""}</li>`;
}

/** The properties of `schema` (and of the objects inside it, to a few levels) as nested lists. */
export function properties(schema: Node, depth = 0): Html {
  const objects = shown(schema);
  return html`${objects.map((object, i) => {
    const props = isNode(object.properties) ? Object.entries(object.properties) : [];
    const required = new Set(Array.isArray(object.required) ? object.required.map(String) : []);
    const variant =
      objects.length > 1 ? html`<p class="variant">${i === 0 ? "One of:" : "or:"}</p>` : "";
    return html`${variant}<ul class="props">${props.map(([name, value]) =>
      isNode(value) ? property(name, value, required.has(name), depth) : "",
    )}</ul>`;
  })}`;
}

/** A schema at an operation: a component is opened one level (its properties shown). */
export function schemaView(schema: Node, components: Record<string, Node>): Html {
  const ref = text(schema.$ref);
  const target = ref === undefined ? schema : (components[refName(ref)] ?? {});
  return html`<div class="schema"><p class="schema-type">${typeLabel(schema)}</p>${markdown(
    ref === undefined ? undefined : text(target.description),
  )}${properties(target)}</div>`;
}
