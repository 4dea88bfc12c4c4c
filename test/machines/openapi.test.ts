/**
 * static/openapi.json and static/docs/index.html are generated from the zod schemas (by
 * src/openapi/document.ts and reference-page.ts) and must stay so: this test fails when either
 * is stale, and `npm run openapi` (UPDATE_OPENAPI=1) writes them, as docs/machine.md is kept by
 * diagram.test.ts. Here in Node because the OpenAPI validator reads its schemas from disk; the
 * Worker serving them, and real answers against them, are test/worker/openapi.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it, vi } from "vitest";
import { openApiDocument } from "../../src/openapi/document.js";
import { referencePage } from "../../src/openapi/reference-page.js";
import { OPERATIONS } from "../../src/openapi/routes/index.js";

// The route modules' schemas import the sandbox ledger, a Durable Object class: only its
// provider names matter here, so the runtime module it extends is stood in for.
vi.mock("cloudflare:workers", () => ({ DurableObject: class {} }));

const SPEC = new URL("../../static/openapi.json", import.meta.url);
const PAGE = new URL("../../static/docs/index.html", import.meta.url);

const render = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

describe("the OpenAPI description in static/openapi.json", () => {
  const text = render();
  const spec = JSON.parse(text);

  it("is generated from the schemas and up to date (npm run openapi)", () => {
    if (process.env.UPDATE_OPENAPI === "1") writeFileSync(SPEC, text);
    expect(readFileSync(SPEC, "utf8")).toBe(text);
  });

  it("is a valid OpenAPI 3.1 description, every $ref resolving", async () => {
    const result = await new Validator().validate(spec);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(spec.openapi).toMatch(/^3\.1\./);
  });

  it("names each operation once", () => {
    const ids = OPERATIONS.map((op) => op.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has example requests that the routes' own schemas accept, and so does the spec", () => {
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv.addSchema({ $id: "spec", components: spec.components });
    for (const op of OPERATIONS) {
      const body = op.body;
      if (body === undefined) continue;
      const parsed = body.schema.safeParse(body.example);
      expect(parsed.error?.issues ?? [], op.id).toEqual([]);
      // Form fields arrive as strings; the JSON Schema check is for JSON bodies.
      if ((body.mediaType ?? "application/json") !== "application/json") continue;
      const validate = ajv.compile({ $ref: `spec#/components/schemas/${body.id}` });
      expect(validate(body.example) ? [] : validate.errors, op.id).toEqual([]);
    }
  });
});

describe("the API reference in static/docs/index.html", () => {
  const page = referencePage(openApiDocument());

  it("is rendered from the description and up to date (npm run openapi)", () => {
    if (process.env.UPDATE_OPENAPI === "1") writeFileSync(PAGE, page);
    expect(readFileSync(PAGE, "utf8")).toBe(page);
  });

  it("has no script, no inline style and nothing from another origin", () => {
    expect(page).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });
});
