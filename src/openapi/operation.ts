/**
 * One route as the OpenAPI description tells it. Each route module in src/routes/ has its
 * counterpart in src/openapi/routes/ that names the schemas the route validates with (its
 * `parseBody` / `parseQuery` schema, the very object) and the schemas of what it answers.
 */
import type * as z from "zod";
import type { ErrorSpec } from "./problems.js";

export type Method = "get" | "post" | "patch" | "delete" | "options";

/**
 * Who may call: the merchant's secret key, StableMint's signed headers, the payer's token (the
 * `/pay` pages' cookie or `Authorization: Token`), the token in the path (the token API), the
 * ops screen's cookie (its pages; its forms, which also need the page's CSRF token), or anyone.
 */
export type Access =
  | "secretKey"
  | "stablemint"
  | "payerPage"
  | "tokenInPath"
  | "opsPage"
  | "opsForm"
  | "public";

export const TAGS = {
  "Checkout sessions": "Create, read, list and cancel sessions (merchant, secret key).",
  "Token API": "The payer's API: the token in the path opens one session and nothing else.",
  Payments:
    "A session's payment, with its charges (attempts at providers), its capture and refunds.",
  "Webhook endpoints": "Where events are POSTed, signed per Standard Webhooks.",
  Events: "Every webhook event with its delivery, and redelivery.",
  Merchant: "The merchant's own settings, secret key and audit log.",
  "Test helpers": "Sandbox merchants only: move a session's clock, answer for the provider.",
  StableMint: "The StableMint-compatible session API (signed headers, its field names and types).",
  "Payer pages": "The hosted checkout, the embedded frame and the JSON their script reads.",
  Sandbox: "The sandbox provider's 3-D Secure challenge page.",
  "Ops screen": "The operator's pages: every session with its payment, deliveries and machine.",
  Assets: "Scripts, stylesheets and images of the pages, and this reference.",
} as const;

export type Tag = keyof typeof TAGS;

export interface PathParam {
  name: string;
  description: string;
  /** A value that reaches the route (a sample, not necessarily one that exists). */
  example: string;
}

export interface HeaderParam {
  name: string;
  description: string;
  required: boolean;
  example: string;
}

export interface Body {
  /** The schema the route parses the body with, itself. */
  schema: z.ZodType;
  /** Its component name. */
  id: string;
  /** `parseBody(…, { optional: true })`: no body at all reads as `{}`. */
  optional?: boolean;
  mediaType?: "application/json" | "application/x-www-form-urlencoded";
  /** A body the route accepts (test/machines/openapi.test.ts parses it with `schema`). */
  example: unknown;
  /** Schemas inside `schema` to name as components of their own (a recursive one must be). */
  components?: Record<string, z.ZodType>;
}

export interface Reply {
  /** A status, or a range of them (`4XX`). */
  status: number | "4XX";
  description: string;
  /** A component of src/openapi/*.responses.ts, or none (a page, a redirect). */
  schema?: z.ZodType;
  /** `application/json` unless said. */
  mediaType?: string;
  headers?: Record<string, string>;
}

export interface Operation {
  id: string;
  method: Method;
  /** As OpenAPI writes it (`/v1/payments/{id}`); the router's `:id` becomes `{id}`. */
  path: string;
  tag: Tag;
  summary: string;
  description: string;
  access: Access;
  pathParams?: PathParam[];
  /** The schema the route's `parseQuery` uses; one parameter per key. */
  query?: z.ZodObject;
  /** Query parameters read without `parseQuery`. */
  queryParams?: PathParam[];
  headers?: HeaderParam[];
  body?: Body;
  replies: Reply[];
  /** The problem codes it answers besides those of its access and body (src/openapi/document.ts adds those). */
  errors: ErrorSpec[];
}
