/**
 * The OpenAPI 3.1 description of the Worker, generated from the zod schemas the routes validate
 * with and the schemas of what they answer. Never bundled into the Worker (it would cost the
 * 100 KiB budget): test/machines/openapi.test.ts writes it to static/openapi.json, with the
 * reference page static/docs/index.html, and fails while either is stale (`npm run openapi`
 * regenerates both); the Worker serves them from static assets (src/routes/pages.ts).
 *
 * Where things are: the route registry in src/openapi/routes/ (one file per route module), the
 * answer schemas in src/openapi/*.responses.ts, webhook bodies in webhooks.ts, problem codes in
 * problems.ts.
 *
 * @example
 * const spec = openApiDocument(); // { openapi: "3.1.1", paths: { "/v1/checkout-sessions": … } }
 */
import { ChargeStatus, PaymentStatus, SessionStatus } from "../../machines/index.js";
import { componentSchemas, idOf, type JsonSchema, ref } from "./components.js";
import { curlExample } from "./examples.js";
import { TAGS } from "./operation.js";
import {
  parametersOf,
  queryId,
  requestBodyOf,
  requestSchemas,
  responsesOf,
  securityOf,
} from "./paths.js";
import { component } from "./registry.js";
import { OPERATIONS } from "./routes/index.js";
import { SANDBOX_SECRET_KEY } from "./routes/samples.js";
import { WEBHOOK_EVENTS } from "./webhooks.js";

component("SessionStatus", SessionStatus);
component("PaymentStatus", PaymentStatus);
component("ChargeStatus", ChargeStatus);

const OVERVIEW = `Payment checkout sessions at the edge. Two API dialects create the same sessions:

- **The checkout API** (\`/v1/…\`): JSON, snake_case, amounts in minor units (1050 is €10.50), \`Authorization: Bearer <secret key>\`. Create a session, send the payer to \`\${url}?token=\${token}\` (our hosted page, or your own page that pays through the token API), and learn the outcome from webhooks and \`GET /v1/checkout-sessions/{id}\`.
- **StableMint** (\`POST /session/hosted\`, \`POST /session/embedded\`): that API's field names and types (camelCase, major units, Unix seconds), signed with \`api_key\`, \`timestamp\` and \`signature\` headers.

**Errors** are RFC 9457 \`application/problem+json\` with a stable \`code\` to branch on and, for invalid input, \`errors[]\` naming each field. Bad input is a 4xx and changes nothing. Every answer carries a \`request-id\` (yours, if you sent a sane one).

**Idempotency**: send \`Idempotency-Key\` (StableMint: \`idempotencyKey\`) and a retry with the same body answers the same session.

**Lists** are newest first, \`limit\` per page (at most 100); pass \`next_cursor\` as \`cursor\` for the next page.

**Webhooks** are signed per Standard Webhooks (\`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature: v1,<base64 HMAC-SHA256>\` with your \`whsec_…\` secret), delivered at least once, in order per session and endpoint, and retried for about a day. Their bodies are under \`webhooks\`.

The sandbox (\`npm start\`) has a merchant with the secret key \`${SANDBOX_SECRET_KEY}\` (StableMint: \`api_key\` \`pk_test_sandbox\`, API secret \`sk_test_sandbox\`) and test cards: \`4242424242424242\` succeeds, \`4000000000000002\` is declined, \`4000000000003220\` asks for 3-D Secure.`;

const SECURITY_SCHEMES = {
  secretKey: {
    type: "http",
    scheme: "bearer",
    description:
      "The merchant's secret key: `Authorization: Bearer sk_test_…` (`sk_live_…` in production). Roll it with `POST /v1/merchant/keys/roll`.",
  },
  stablemintApiKey: {
    type: "apiKey",
    in: "header",
    name: "api_key",
    description: "StableMint: the merchant's public API key (`pk_test_…`).",
  },
  stablemintTimestamp: {
    type: "apiKey",
    in: "header",
    name: "timestamp",
    description: "StableMint: Unix seconds, within 5 minutes of our clock.",
  },
  stablemintSignature: {
    type: "apiKey",
    in: "header",
    name: "signature",
    description:
      'StableMint: hex SHA-256 of `"<timestamp>,<api secret>,<userId>"`, `userId` exactly as in the body.',
  },
  payerToken: {
    type: "http",
    scheme: "Token",
    description:
      "The payer's token (`checkout_session.token`, or a StableMint `sessionId`) as `Authorization: Token <token>`: how the embedded frame's script calls the `/pay` JSON. The token API takes it in the path instead; either way it opens one session and no merchant route.",
  },
  opsSession: {
    type: "apiKey",
    in: "cookie",
    name: "ec_ops",
    description:
      "The ops screen's cookie, from signing in with a secret key (`POST /ops/sign-in`); every form also carries the page's `csrf` field.",
  },
  payerCookie: {
    type: "apiKey",
    in: "cookie",
    name: "ec_payer",
    description:
      "The hosted page's HttpOnly cookie, set when the payer opens the token link (`/pay?token=…`).",
  },
};

const HEADERS = {
  RequestId: {
    description: "This request's id: the `request-id` you sent, if sane, else `req_…`.",
    schema: { type: "string" },
  },
  RetryAfter: { description: "Seconds to wait before trying again.", schema: { type: "integer" } },
};

const WEBHOOK_HEADERS = [
  ["webhook-id", "The event id: the same in every attempt. Deduplicate on it."],
  ["webhook-timestamp", "Unix seconds of this attempt. Refuse one more than 5 minutes off."],
  [
    "webhook-signature",
    '`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per signing secret (two during a rotation), space-separated.',
  ],
].map(([name, description]) => ({
  name,
  in: "header",
  required: true,
  description,
  schema: { type: "string" },
}));

function webhooks(): JsonSchema {
  return Object.fromEntries(
    WEBHOOK_EVENTS.map(({ type, summary, schema }) => [
      type,
      {
        post: {
          operationId: `webhook:${type}`,
          summary,
          description: `POSTed to every endpoint subscribed to \`${type}\`. Verify it with any Standard Webhooks library: \`new Webhook(secret).verify(rawBody, headers)\`.`,
          parameters: WEBHOOK_HEADERS,
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref(idOf(schema)) } },
          },
          responses: {
            "2XX": {
              description:
                "Received. Anything else, or no answer within 15 s, is retried: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 8 h later.",
            },
            "410": {
              description:
                "Gone: the endpoint is disabled at once (`POST /v1/webhook-endpoints/{id}/enable`).",
            },
          },
        },
      },
    ]),
  );
}

/** The whole description, as static/openapi.json holds it. */
export function openApiDocument(): JsonSchema {
  const schemas = componentSchemas(requestSchemas(OPERATIONS));
  const paths: Record<string, JsonSchema> = {};
  for (const op of OPERATIONS) {
    const query = op.query === undefined ? undefined : schemas[queryId(op)];
    const item = paths[op.path] ?? {};
    if (op.method in item) throw new Error(`${op.method} ${op.path} twice`);
    const parameters = parametersOf(op, query);
    const body = requestBodyOf(op);
    item[op.method] = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      description: op.description,
      security: securityOf(op),
      ...(parameters.length > 0 && { parameters }),
      ...(body !== undefined && { requestBody: body }),
      responses: responsesOf(op),
      "x-codeSamples": [{ lang: "Shell", label: "curl", source: curlExample(op) }],
    };
    paths[op.path] = item;
  }
  for (const op of OPERATIONS) if (op.query !== undefined) delete schemas[queryId(op)];
  return {
    openapi: "3.1.1",
    info: {
      title: "edge-checkout API",
      version: "1",
      summary: "Checkout sessions at the edge: the checkout API and the StableMint dialect.",
      description: OVERVIEW,
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [
      { url: "/", description: "This service (where this document is served)." },
      { url: "http://127.0.0.1:8787", description: "`npm start`: the sandbox." },
    ],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    webhooks: webhooks(),
    components: { schemas, securitySchemes: SECURITY_SCHEMES, headers: HEADERS },
  };
}
