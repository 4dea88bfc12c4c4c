/**
 * The API reference page (`/docs`, static/docs/index.html), rendered from the OpenAPI
 * description alone: operations grouped by tag, each with its method and path, description,
 * access, parameters, request and answer schemas, problem codes and example request; then the
 * webhooks and every schema. One static document with one first-party stylesheet and no script,
 * so the payer pages' strict CSP (src/pages/document.ts) serves it unchanged.
 *
 * @example
 * const page = referencePage(openApiDocument()); // "<!doctype html>…"
 */
import * as z from "zod";
import { type Html, html } from "../pages/html.js";
import { markdown, properties, schemaAnchor, schemaView, typeLabel } from "./reference-schema.js";

const AnyNode = z.record(z.string(), z.unknown());
const Content = z.record(z.string(), z.object({ schema: AnyNode.optional() }));

const OperationView = z.object({
  operationId: z.string(),
  tags: z.array(z.string()).default([]),
  summary: z.string(),
  description: z.string().optional(),
  security: z.array(z.record(z.string(), z.array(z.string()))).default([]),
  parameters: z
    .array(
      z.object({
        name: z.string(),
        in: z.string(),
        required: z.boolean().optional(),
        description: z.string().optional(),
        schema: AnyNode,
      }),
    )
    .default([]),
  requestBody: z
    .object({ required: z.boolean(), description: z.string().optional(), content: Content })
    .optional(),
  responses: z.record(
    z.string(),
    z.object({ description: z.string(), content: Content.optional() }),
  ),
  "x-codeSamples": z.array(z.object({ source: z.string() })).default([]),
});
type OperationView = z.infer<typeof OperationView>;

const Spec = z.object({
  info: z.object({ title: z.string(), summary: z.string(), description: z.string() }),
  tags: z.array(z.object({ name: z.string(), description: z.string() })),
  paths: z.record(z.string(), z.record(z.string(), OperationView)),
  webhooks: z.record(z.string(), z.object({ post: OperationView })),
  components: z.object({
    schemas: z.record(z.string(), AnyNode),
    securitySchemes: z.record(z.string(), z.looseObject({ description: z.string() })),
  }),
});
type Spec = z.infer<typeof Spec>;

export const operationAnchor = (operationId: string) => `op-${operationId.replaceAll(":", "-")}`;
const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replaceAll(/[^a-z0-9]+/g, "-")}`;

function accessOf(op: OperationView): Html {
  if (op.security.length === 0) {
    return html`None${op.parameters.some((p) => p.name === "token") ? ": the token in the path is the capability." : "."}`;
  }
  return html`${op.security.map(
    (requirement, i) =>
      html`${i > 0 ? " or " : ""}${Object.keys(requirement).map(
        (name, j) => html`${j > 0 ? " + " : ""}<a href="#auth-${name}">${name}</a>`,
      )}`,
  )}`;
}

function parametersTable(op: OperationView): Html {
  if (op.parameters.length === 0) return html``;
  return html`<h4>Parameters</h4><table class="params"><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${op.parameters.map(
    (p) =>
      html`<tr><td><code>${p.name}</code>${p.required === true ? html` <span class="required">required</span>` : ""}</td><td>${p.in}</td><td>${typeLabel(p.schema)}</td><td>${markdown(p.description)}</td></tr>`,
  )}</tbody></table>`;
}

function contentView(content: z.infer<typeof Content>, spec: Spec): Html {
  return html`${Object.entries(content).map(
    ([type, media]) =>
      html`<p class="media">${type}</p>${media.schema === undefined ? "" : schemaView(media.schema, spec.components.schemas)}`,
  )}`;
}

/** The problem codes of an error answer: its `allOf[1].properties.code.enum`. */
function problemCodes(content: z.infer<typeof Content> | undefined): string[] {
  const schema = content?.["application/problem+json"]?.schema;
  const parsed = z
    .object({
      allOf: z.tuple([
        z.unknown(),
        z.object({ properties: z.object({ code: z.object({ enum: z.array(z.string()) }) }) }),
      ]),
    })
    .safeParse(schema);
  return parsed.success ? parsed.data.allOf[1].properties.code.enum : [];
}

/** An answer's description: its own lines, and the `code`: meaning lines of its problems. */
function splitDescription(description: string) {
  const own: string[] = [];
  const meanings = new Map<string, string>();
  for (const line of description.split("\n\n")) {
    const match = /^`([a-z_]+)`: (.*)$/s.exec(line);
    if (match?.[1] !== undefined) meanings.set(match[1], match[2] ?? "");
    else own.push(line);
  }
  return { own: own.join("\n\n"), meanings };
}

function responsesView(op: OperationView, spec: Spec): Html {
  const entries = Object.entries(op.responses).map(([status, response]) => {
    const content = Object.entries(response.content ?? {});
    return {
      status,
      ...splitDescription(response.description),
      answer: Object.fromEntries(content.filter(([type]) => type !== "application/problem+json")),
      codes: problemCodes(response.content),
    };
  });
  const answers = entries.filter((e) => e.codes.length === 0 || Object.keys(e.answer).length > 0);
  const errors = entries.flatMap((e) => e.codes.map((code) => ({ ...e, code })));
  return html`<h4>Responses</h4>${answers.map(
    (e) =>
      html`<div class="response"><p><span class="status status-${e.status.charAt(0)}">${e.status}</span></p>${markdown(e.own)}${contentView(e.answer, spec)}</div>`,
  )}${
    errors.length === 0
      ? ""
      : html`<h4>Errors</h4><p>As <code>application/problem+json</code> (<a href="#${schemaAnchor("Problem")}">Problem</a>), with this <code>code</code>:</p><table class="errors"><thead><tr><th>Status</th><th>Code</th><th>Meaning</th></tr></thead><tbody>${errors.map(
          (e) =>
            html`<tr><td>${e.status}</td><td><code>${e.code}</code></td><td>${markdown(e.meanings.get(e.code))}</td></tr>`,
        )}</tbody></table>`
  }`;
}

function operationView(method: string, path: string, op: OperationView, spec: Spec): Html {
  const body = op.requestBody;
  return html`<article class="operation" id="${operationAnchor(op.operationId)}">
<h3><span class="method method-${method}">${method.toUpperCase()}</span> <code class="path">${path}</code></h3>
<p class="summary">${op.summary}</p>
${markdown(op.description)}
<p class="access"><strong>Authentication:</strong> ${accessOf(op)}</p>
${parametersTable(op)}
${body === undefined ? "" : html`<h4>Request body${body.required ? "" : " (optional)"}</h4>${markdown(body.description)}${contentView(body.content, spec)}`}
${responsesView(op, spec)}
${op["x-codeSamples"].map((sample) => html`<h4>Example request</h4><pre class="example"><code>${sample.source}</code></pre>`)}
</article>`;
}

function navigation(spec: Spec, byTag: Map<string, Array<[string, string, OperationView]>>): Html {
  return html`<nav class="toc" aria-label="Contents"><p class="toc-title">${spec.info.title}</p><ul>
<li><a href="#authentication">Authentication</a></li>
${spec.tags.map(
  (tag) =>
    html`<li><a href="#${tagAnchor(tag.name)}">${tag.name}</a><ul>${(byTag.get(tag.name) ?? []).map(
      ([method, path, op]) =>
        html`<li><a href="#${operationAnchor(op.operationId)}"><span class="method method-${method}">${method.toUpperCase()}</span> ${path}</a></li>`,
    )}</ul></li>`,
)}
<li><a href="#webhooks">Webhooks</a></li>
<li><a href="#schemas">Schemas</a></li>
</ul></nav>`;
}

/** The whole page, from the OpenAPI description (`openApiDocument()`). */
export function referencePage(document: unknown): string {
  const spec = Spec.parse(document);
  const byTag = new Map<string, Array<[string, string, OperationView]>>();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const tag of op.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), [method, path, op]]);
    }
  }
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${spec.info.title} reference</title>
<link rel="stylesheet" href="/docs/docs.css">
</head>
<body class="reference">
${navigation(spec, byTag)}
<main>
<header><h1>${spec.info.title}</h1><p class="lead">${spec.info.summary}</p>
<p>Generated from the zod schemas the routes validate with. The OpenAPI 3.1 description: <a href="/openapi.json"><code>/openapi.json</code></a>.</p>
${markdown(spec.info.description)}</header>
<section id="authentication"><h2>Authentication</h2><dl>${Object.entries(
    spec.components.securitySchemes,
  ).map(
    ([name, scheme]) =>
      html`<dt id="auth-${name}"><code>${name}</code></dt><dd>${markdown(scheme.description)}</dd>`,
  )}</dl></section>
${spec.tags.map(
  (tag) =>
    html`<section class="tag" id="${tagAnchor(tag.name)}"><h2>${tag.name}</h2>${markdown(tag.description)}${(
      byTag.get(tag.name) ?? []
    ).map(([method, path, op]) => operationView(method, path, op, spec))}</section>`,
)}
<section id="webhooks"><h2>Webhooks</h2><p>POSTed to your endpoints (<a href="#${tagAnchor("Webhook endpoints")}">Webhook endpoints</a>), one body per event type:</p>
${Object.entries(spec.webhooks).map(([type, { post }]) => operationView("post", type, post, spec))}</section>
<section id="schemas"><h2>Schemas</h2>${Object.entries(spec.components.schemas).map(
    ([name, schema]) =>
      html`<article class="component" id="${schemaAnchor(name)}"><h3>${name}</h3><p class="schema-type">${typeLabel(schema)}</p>${markdown(typeof schema.description === "string" ? schema.description : undefined)}${properties(schema)}</article>`,
  )}</section>
</main>
</body></html>
`;
  return page.value;
}
