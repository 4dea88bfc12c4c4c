/**
 * One operation of the route registry (src/openapi/routes/) as an OpenAPI operation object:
 * its parameters, request body, answers, and the problems it answers grouped by status, with
 * the problems every route of its kind can answer added (its access, its body, its query).
 */
import type * as z from "zod";
import { idOf, type JsonSchema, ref } from "./components.js";
import type { Access, Operation, Reply } from "./operation.js";
import { codeOf, type ErrorSpec, PROBLEMS, type ProblemCode, statusOf } from "./problems.js";

const SECURITY: Record<Access, JsonSchema[]> = {
  secretKey: [{ secretKey: [] }],
  stablemint: [{ stablemintApiKey: [], stablemintTimestamp: [], stablemintSignature: [] }],
  payerPage: [{ payerToken: [] }, { payerCookie: [] }],
  tokenInPath: [],
  opsPage: [{ opsSession: [] }],
  opsForm: [{ opsSession: [] }],
  public: [],
};

const ACCESS_ERRORS: Record<Access, ProblemCode[]> = {
  secretKey: ["missing_api_key", "invalid_api_key", "rate_limited", "service_unavailable"],
  stablemint: [
    "missing_api_key",
    "missing_timestamp",
    "missing_signature",
    "invalid_timestamp",
    "stale_timestamp",
    "invalid_api_key",
    "invalid_signature",
    "api_secret_unavailable",
    "rate_limited",
    "service_unavailable",
  ],
  payerPage: ["rate_limited"],
  tokenInPath: ["rate_limited"],
  opsPage: [],
  opsForm: [],
  public: [],
};

/** What `parseBody` answers before the schema has its say (src/routes/respond.ts, read-body.ts). */
const JSON_BODY_ERRORS: ProblemCode[] = [
  "invalid_json",
  "body_unreadable",
  "body_too_large",
  "unsupported_media_type",
  "body_too_deep",
  "validation_failed",
];
const QUERY_ERRORS: ProblemCode[] = ["unknown_query_parameter", "validation_failed"];

/** Every problem `op` can answer: its own, and those of its access, body and query. */
export function errorsOf(op: Operation): ErrorSpec[] {
  const rateLimitedPage =
    op.tag === "Payer pages" || op.tag === "Sandbox" || op.tag === "Token API";
  const all: ErrorSpec[] = [
    ...ACCESS_ERRORS[op.access],
    ...(rateLimitedPage ? (["rate_limited"] as const) : []),
    ...(op.body !== undefined && (op.body.mediaType ?? "application/json") === "application/json"
      ? JSON_BODY_ERRORS
      : []),
    ...(op.query === undefined ? [] : QUERY_ERRORS),
    ...op.errors,
    "internal_error",
  ];
  const seen = new Set<string>();
  return all.filter((error) => {
    const key = `${statusOf(error)} ${codeOf(error)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const REQUEST_ID = { $ref: "#/components/headers/RequestId" };

function replyContent(reply: Reply): JsonSchema | undefined {
  const mediaType =
    reply.mediaType ?? (reply.schema === undefined ? undefined : "application/json");
  if (mediaType === undefined) return undefined;
  return { [mediaType]: reply.schema === undefined ? {} : { schema: ref(idOf(reply.schema)) } };
}

function problemsAt(status: number, errors: ErrorSpec[]) {
  const codes = errors.filter((e) => statusOf(e) === status).map(codeOf);
  return {
    description: codes.map((code) => `\`${code}\`: ${PROBLEMS[code].meaning}`).join("\n\n"),
    content: {
      "application/problem+json": {
        schema: { allOf: [ref("Problem"), { properties: { code: { enum: codes } } }] },
      },
    },
  };
}

/** The `responses` object: the answers, then one problem response per status. */
export function responsesOf(op: Operation): JsonSchema {
  const errors = errorsOf(op);
  const statuses = [
    ...new Set([
      ...op.replies.map((r) => String(r.status)),
      ...errors.map((e) => String(statusOf(e))),
    ]),
  ];
  const responses: JsonSchema = {};
  // Numeric order, a range (`4XX`) after the statuses it covers.
  for (const status of statuses.sort((a, b) =>
    a.replace("XX", "99").localeCompare(b.replace("XX", "99")),
  )) {
    const replies = op.replies.filter((r) => String(r.status) === status);
    const problem = errors.some((e) => String(statusOf(e)) === status)
      ? problemsAt(Number(status), errors)
      : null;
    const headers: JsonSchema = { "request-id": REQUEST_ID };
    for (const reply of replies) {
      for (const [name, description] of Object.entries(reply.headers ?? {})) {
        headers[name] = { description, schema: { type: "string" } };
      }
    }
    if (status === "429") headers["retry-after"] = { $ref: "#/components/headers/RetryAfter" };
    const content = Object.assign(
      {},
      ...replies.map(replyContent),
      problem === null ? {} : problem.content,
    );
    responses[status] = {
      description: [...replies.map((r) => r.description), problem?.description ?? ""]
        .filter((text) => text !== "")
        .join("\n\n"),
      headers,
      ...(Object.keys(content).length > 0 && { content }),
    };
  }
  return responses;
}

const stringParam = (name: string, where: string, description: string, example: string) => ({
  name,
  in: where,
  description,
  schema: { type: "string" },
  example,
});

/** Path, query and header parameters; `query` is the route's query schema, converted. */
export function parametersOf(op: Operation, query: JsonSchema | undefined): JsonSchema[] {
  const path = (op.pathParams ?? []).map((p) => ({
    ...stringParam(p.name, "path", p.description, p.example),
    required: true,
  }));
  const fromSchema = Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>).map(
    ([name, { description, ...schema }]) => ({
      name,
      in: "query",
      required: Array.isArray(query?.required) && query.required.includes(name),
      ...(typeof description === "string" && { description }),
      schema,
    }),
  );
  const plain = (op.queryParams ?? []).map((p) =>
    stringParam(p.name, "query", p.description, p.example),
  );
  const headers = (op.headers ?? []).map((h) => ({
    ...stringParam(h.name, "header", h.description, h.example),
    required: h.required,
  }));
  return [...path, ...fromSchema, ...plain, ...headers];
}

export function requestBodyOf(op: Operation): JsonSchema | undefined {
  const body = op.body;
  if (body === undefined) return undefined;
  return {
    required: body.optional !== true,
    ...(body.optional === true && {
      description: "May be left out: every field then takes its default.",
    }),
    content: {
      [body.mediaType ?? "application/json"]: { schema: ref(body.id), example: body.example },
    },
  };
}

export const securityOf = (op: Operation) => SECURITY[op.access];

/** The request schemas to convert as components: bodies by their id, queries by `<id>Query`. */
export function requestSchemas(ops: readonly Operation[]): Map<string, z.ZodType> {
  const schemas = new Map<string, z.ZodType>();
  const add = (id: string, schema: z.ZodType) => {
    const known = schemas.get(id);
    if (known !== undefined && known !== schema) throw new Error(`two request schemas named ${id}`);
    schemas.set(id, schema);
  };
  for (const op of ops) {
    if (op.body !== undefined) add(op.body.id, op.body.schema);
    for (const [id, schema] of Object.entries(op.body?.components ?? {})) add(id, schema);
    if (op.query !== undefined) add(queryId(op), op.query);
  }
  return schemas;
}

export const queryId = (op: Operation) => `${op.id}Query`;
