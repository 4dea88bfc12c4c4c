/** src/routes/stablemint.ts as OpenAPI: the StableMint-compatible session API. */
import { EmbeddedBody, HostedBody } from "../../dialects/stablemint/body.js";
import type { Operation } from "../operation.js";
import { describeFields } from "../registry.js";
import { EmbeddedSessionAnswer, HostedSessionAnswer } from "../stablemint.responses.js";

const COMMON = {
  userId: "Your user's id, 1-128 characters; signed exactly as sent.",
  userEmail: "The user's email address.",
  userCountryCode: "ISO 3166-1 alpha-2, any case.",
  currency: "ISO 4217, any case.",
  idempotencyKey:
    "1-255 visible ASCII: the same body answers the same session; another body (or the other flow) is a 422 `idempotency_key_reused`.",
  websiteReference: "Up to 255 characters, echoed in notifications.",
  userKyc: "What you know of the user, each part optional: kept with the session, never shown.",
  customFields: "Any JSON object up to 4 KiB, echoed in notifications.",
} as const;

describeFields(HostedBody, {
  ...COMMON,
  amount:
    "Major units, a number or a decimal string with no more decimals than the currency has (0.1-10 in the sandbox).",
  successUrl: "Where the payer goes when paid (with `session_id`).",
  supportUrl: "The page's support link.",
  exitUrl: "Where the payer goes on leaving.",
  errorUrl: "Where the payer goes when the payment failed for good (with `session_id`).",
});
describeFields(EmbeddedBody, {
  ...COMMON,
  amount: "Major units, as for hosted; left out (or null): the payer chooses it.",
});

/** `customFields`' values: any JSON (zod's recursive `z.json()`), named so it can refer to itself. */
const JsonValue = { JsonValue: HostedBody.shape.customFields.unwrap().unwrap().valueType };

const SIGNED =
  'Signed: `api_key`, `timestamp` (Unix seconds, within 5 minutes of our clock) and `signature` = hex SHA-256 of `"<timestamp>,<api secret>,<userId>"`. The signature is checked before the body is validated; every violation of the body is then named in one 422 `validation_failed`. Unknown fields are violations; optional fields may be `null`.';

const USER = {
  userId: "user-1",
  userEmail: "ada@example.com",
  userCountryCode: "DE",
  currency: "EUR",
  amount: 5.5,
};

export const stablemintOperations: Operation[] = [
  {
    id: "createHostedSession",
    method: "post",
    path: "/session/hosted",
    tag: "StableMint",
    summary: "Create a hosted session",
    description: `A session the payer pays on our hosted page: send them to \`url\`. Paid → \`successUrl\`, failed for good → \`errorUrl\`, left → \`exitUrl\`.\n\n${SIGNED}`,
    access: "stablemint",
    body: {
      schema: HostedBody,
      id: "StablemintHostedSessionRequest",
      components: JsonValue,
      example: {
        ...USER,
        successUrl: "https://shop.example/success",
        supportUrl: "https://shop.example/support",
        exitUrl: "https://shop.example/exit",
        errorUrl: "https://shop.example/error",
        websiteReference: "order-123",
      },
    },
    replies: [
      { status: 200, description: "The session's payer URL.", schema: HostedSessionAnswer },
    ],
    errors: ["idempotency_key_reused"],
  },
  {
    id: "createEmbeddedSession",
    method: "post",
    path: "/session/embedded",
    tag: "StableMint",
    summary: "Create an embedded session",
    description: `A session paid inside your page: \`<script src="/widget.js">\` and \`EdgeCheckout.mount(el, { sessionId })\`. Without \`amount\` the payer chooses it.\n\n${SIGNED}`,
    access: "stablemint",
    body: {
      schema: EmbeddedBody,
      id: "StablemintEmbeddedSessionRequest",
      components: JsonValue,
      example: USER,
    },
    replies: [
      {
        status: 200,
        description:
          "The session id for the widget, the methods offered and the user's saved banks.",
        schema: EmbeddedSessionAnswer,
      },
    ],
    errors: ["idempotency_key_reused"],
  },
];
