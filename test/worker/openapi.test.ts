/**
 * The OpenAPI description as the Worker serves it: `/openapi.json` is what the schemas generate
 * now, it names every route the router has (and nothing it lacks), every operation it
 * documents answers with a status and problem code it documents, and `/docs` renders all of it
 * under the payer pages' CSP. Real answers against its schemas: openapi-answers.test.ts.
 */
import { describe, expect, it } from "vitest";
import { router } from "../../src/index.js";
import { openApiDocument } from "../../src/openapi/document.js";
import { formBody } from "../../src/openapi/examples.js";
import type { Operation } from "../../src/openapi/operation.js";
import { operationAnchor } from "../../src/openapi/reference-page.js";
import { OPERATIONS } from "../../src/openapi/routes/index.js";
import { contentSecurityPolicy } from "../../src/pages/document.js";
import { call } from "./api.js";

/** The operation's path with its example parameters, and its example query. */
function exampleUrl(op: Operation): string {
  let path = op.path;
  for (const param of op.pathParams ?? []) {
    path = path.replace(`{${param.name}}`, encodeURIComponent(param.example));
  }
  const query = new URLSearchParams((op.queryParams ?? []).map((p) => [p.name, p.example]));
  return query.size === 0 ? path : `${path}?${query}`;
}

/** Every route of the router but the catch-all that answers 404 `route_not_found`. */
const ROUTES = router.routes
  .filter(([method, , , path]) => !(method === "ALL" && path === "*"))
  .map(([method, pattern, , path]) => ({ method, pattern, path: path ?? String(pattern) }));

const served = (op: Operation) => {
  const path = exampleUrl(op).split("?")[0] ?? "";
  return ROUTES.some((r) => r.method === op.method.toUpperCase() && r.pattern.test(path));
};

describe("GET /openapi.json", () => {
  it("is the description the schemas generate now, as JSON for any origin", async () => {
    const { status, headers, json } = await call("GET", "/openapi.json");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    expect(headers.get("access-control-allow-origin")).toBe("*");
    expect(json).toEqual(openApiDocument());
  });
});

describe("the description and the router", () => {
  it("documents every route the router serves", () => {
    const undocumented = ROUTES.filter(
      (route) =>
        !OPERATIONS.some(
          (op) =>
            op.method.toUpperCase() === route.method &&
            route.pattern.test(exampleUrl(op).split("?")[0] ?? ""),
        ),
    ).map((route) => `${route.method} ${route.path}`);
    expect(undocumented, "add them to src/openapi/routes/").toEqual([]);
  });

  it("documents no operation the router does not serve", () => {
    const unserved = OPERATIONS.filter((op) => !served(op)).map((op) => `${op.method} ${op.path}`);
    expect(unserved).toEqual([]);
  });

  it("has each operation answer its example request as documented", async () => {
    const spec = openApiDocument() as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const surprises: string[] = [];
    for (const op of OPERATIONS) {
      const body = op.body;
      const form = body?.mediaType === "application/x-www-form-urlencoded";
      const text =
        body === undefined
          ? undefined
          : form
            ? formBody(body.example)
            : JSON.stringify(body.example);
      // No credentials: each route is reached, and refuses (or serves) without doing anything.
      const answer = await call(op.method.toUpperCase(), exampleUrl(op), text, {
        "content-type": body?.mediaType ?? "application/json",
      });
      const documented = spec.paths[op.path]?.[op.method]?.responses ?? {};
      const range = `${String(answer.status).charAt(0)}XX`;
      const response = (documented[String(answer.status)] ?? documented[range]) as
        | { content?: Record<string, { schema?: { allOf?: unknown[] } }> }
        | undefined;
      const code = typeof answer.json === "object" ? answer.json.code : undefined;
      if (answer.status === 405 || code === "route_not_found") {
        surprises.push(`${op.id}: not routed (${answer.status} ${code})`);
      } else if (response === undefined) {
        surprises.push(`${op.id}: undocumented status ${answer.status} ${code ?? ""}`);
      } else if (code !== undefined) {
        const allOf = response.content?.["application/problem+json"]?.schema?.allOf ?? [];
        const codes = JSON.stringify(allOf[1] ?? {});
        if (!codes.includes(`"${code}"`)) {
          surprises.push(`${op.id}: undocumented code ${answer.status} ${code}`);
        }
      }
    }
    expect(surprises).toEqual([]);
  });
});

describe("GET /docs", () => {
  it("is an HTML page under the payer pages' CSP with every operation on it", async () => {
    const { status, headers, json: page } = await call("GET", "/docs");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(headers.get("content-security-policy")).toBe(contentSecurityPolicy({ kind: "hosted" }));
    expect(headers.get("x-frame-options")).toBe("DENY");
    for (const op of OPERATIONS) {
      expect(page).toContain(`id="${operationAnchor(op.id)}"`);
      expect(page).toContain(
        `${op.method.toUpperCase()}</span> <code class="path">${op.path}</code>`,
      );
    }
  });

  it("links its one stylesheet, served from our origin", async () => {
    const { json: page } = await call("GET", "/docs");
    expect(page).toContain('<link rel="stylesheet" href="/docs/docs.css">');
    const css = await call("GET", "/docs/docs.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });
});
