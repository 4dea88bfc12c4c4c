/**
 * Real answers against the served OpenAPI description: each answer's status is documented for
 * its operation, and its body validates (ajv, draft 2020-12) against the schema documented for
 * that status and type, answer and problem alike. The answer schemas are written by hand from
 * the view code (src/openapi/*.responses.ts), and they are closed objects (a field the code
 * adds and the schema lacks fails here), so this is what keeps them true. Webhook bodies, as a
 * receiver gets them, against the `webhooks` section.
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { OPERATIONS } from "../../src/openapi/routes/index.js";
import {
  CARDS,
  call,
  confirm,
  createSession,
  merchant,
  newMerchant,
  PAYER,
  projected,
  RETURN_URL,
  receivedBy,
} from "./api.js";
import {
  embeddedBody,
  hostedBody,
  newStablemintMerchant,
  stablemint,
  unixNow,
} from "./stablemint-api.js";

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are whatever JSON came back
  json: any;
}

interface Media {
  schema?: unknown;
}
interface SpecOperation {
  operationId: string;
  responses: Record<string, { content?: Record<string, Media> }>;
  requestBody?: { content: Record<string, Media> };
}
interface Spec {
  paths: Record<string, Record<string, SpecOperation>>;
  webhooks: Record<string, { post: SpecOperation }>;
  components: unknown;
}

let spec: Spec;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));

beforeAll(async () => {
  spec = (await call("GET", "/openapi.json")).json;
  ajv.addSchema({ $id: "spec", components: spec.components });
});

/** A schema of the spec, its `$ref`s pointing into the spec added to ajv. */
function validatorOf(schema: unknown) {
  const text = JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/');
  return ajv.compile(JSON.parse(text));
}

function operation(operationId: string): SpecOperation {
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) if (op.operationId === operationId) return op;
  }
  throw new Error(`no operation ${operationId}`);
}

/** The answer's status is documented for the operation, and its body is what the spec says. */
function expectDocumented(operationId: string, answer: Answer) {
  const responses = operation(operationId).responses;
  const documented = responses[String(answer.status)];
  expect(
    documented,
    `${operationId} ${answer.status} ${JSON.stringify(answer.json)}`,
  ).toBeDefined();
  const type = (answer.headers.get("content-type") ?? "").split(";")[0] ?? "";
  const media = documented?.content?.[type];
  expect(media, `${operationId} ${answer.status} ${type}`).toBeDefined();
  const validate = validatorOf(media?.schema);
  expect(validate(answer.json) ? [] : validate.errors, operationId).toEqual([]);
}

describe("a checkout API session's answers", () => {
  it("create, open, pay, retrieve, journal, payment and list are as documented", async () => {
    const created = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      url: "https://shop.example/checkout",
      return_url: RETURN_URL,
      cancel_url: "https://shop.example/cancel",
      metadata: { order_id: "ord_123" },
      customer: { email: "ada@example.com" },
      line_items: [{ name: "Tea", quantity: 2, unit_amount: 525 }],
      custom_fields: [{ key: "note", label: "Note", optional: true }],
      payer_fields: { phone: "optional" },
    });
    expectDocumented("createCheckoutSession", created);
    const { id, token } = created.json.checkout_session;
    expectDocumented(
      "openCheckoutSession",
      await call("GET", `/v1/checkout-sessions/token/${token}`),
    );
    const paid = await confirm(token, CARDS.success, { custom_fields: { note: "hi" } });
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    expectDocumented("confirmCheckoutSession", paid);
    expectDocumented(
      "retrieveCheckoutSession",
      await merchant("GET", `/v1/checkout-sessions/${id}`),
    );
    expectDocumented(
      "listCheckoutSessionJournal",
      await merchant("GET", `/v1/checkout-sessions/${id}/journal`),
    );
    const paymentId = paid.json.confirmResult.payment.id;
    expectDocumented("retrievePayment", await merchant("GET", `/v1/payments/${paymentId}`));
    await projected(id);
    const list = await merchant("GET", "/v1/checkout-sessions?limit=5");
    expect(list.json.data.length).toBeGreaterThan(0);
    expectDocumented("listCheckoutSessions", list);
  });

  it("3-D Secure, a decline, a manual capture, cancel and exit are as documented", async () => {
    const challenged = await createSession();
    const action = await confirm(challenged.token, CARDS.challenge);
    expect(action.json.confirmResult.paymentNextAction).not.toBeNull();
    expectDocumented("confirmCheckoutSession", action);

    const declined = await createSession();
    expectDocumented("confirmCheckoutSession", await confirm(declined.token, CARDS.declined));

    const manual = await createSession({ capture_method: "manual" });
    const authorized = await confirm(manual.token, CARDS.success);
    const paymentId = authorized.json.confirmResult.payment.id;
    expectDocumented("capturePayment", await merchant("POST", `/v1/payments/${paymentId}/capture`));

    const cancelled = await createSession();
    expectDocumented(
      "cancelCheckoutSession",
      await merchant("POST", `/v1/checkout-sessions/${cancelled.id}/cancel`),
    );
    const left = await createSession();
    expectDocumented(
      "exitCheckoutSession",
      await call("POST", `/v1/checkout-sessions/token/${left.token}/exit`),
    );
    expectDocumented(
      "checkoutPageState",
      await call("GET", `/pay/${challenged.id}/session`, undefined, {
        authorization: `Token ${challenged.token}`,
      }),
    );
  });

  it("a body the view does not produce fails (the check has teeth)", async () => {
    const answer = await merchant("GET", `/v1/checkout-sessions/${(await createSession()).id}`);
    const { created_at: _dropped, ...missing } = answer.json.checkout_session;
    const extra = { ...answer.json.checkout_session, colour: "red" };
    for (const wrong of [missing, extra, { ...extra, colour: undefined, status: "PAID" }]) {
      const validate = validatorOf(
        operation("retrieveCheckoutSession").responses["200"]?.content?.["application/json"]
          ?.schema,
      );
      expect(validate({ checkout_session: wrong })).toBe(false);
    }
  });

  it("problems are documented with their codes", async () => {
    expectDocumented(
      "createCheckoutSession",
      await merchant("POST", "/v1/checkout-sessions", { amount: -1 }),
    );
    expectDocumented("createCheckoutSession", await call("POST", "/v1/checkout-sessions", {}));
    expectDocumented(
      "listCheckoutSessions",
      await merchant("GET", "/v1/checkout-sessions?colour=red"),
    );
    expectDocumented("openCheckoutSession", await call("GET", "/v1/checkout-sessions/token/nope"));
    const done = await createSession();
    await confirm(done.token, CARDS.success);
    expectDocumented("confirmCheckoutSession", await confirm(done.token, CARDS.success));
  });
});

describe("the reference's example requests", () => {
  const example = (id: string) => OPERATIONS.find((op) => op.id === id)?.body?.example;

  it("create a session, pay it and create StableMint sessions as written", async () => {
    const created = await merchant(
      "POST",
      "/v1/checkout-sessions",
      example("createCheckoutSession"),
    );
    expectDocumented("createCheckoutSession", created);
    const { token } = created.json.checkout_session;
    const paid = await call(
      "POST",
      `/v1/checkout-sessions/token/${token}/confirm`,
      example("confirmCheckoutSession"),
    );
    expect(paid.json.checkout_session.status).toBe("COMPLETED");
    for (const [id, flow] of [
      ["createHostedSession", "hosted"],
      ["createEmbeddedSession", "embedded"],
    ] as const) {
      const answer = await stablemint(flow, example(id), { timestamp: String(unixNow()) });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expectDocumented(id, answer);
    }
  });
});

describe("StableMint answers", () => {
  it("hosted and embedded sessions, and their views in the checkout API, are as documented", async () => {
    const hosted = await stablemint(
      "hosted",
      hostedBody({ websiteReference: "order-1", customFields: { a: [1, { b: null }] } }),
    );
    expectDocumented("createHostedSession", hosted);
    const embedded = await stablemint("embedded", embeddedBody());
    expectDocumented("createEmbeddedSession", embedded);
    const { sessionId, reference } = embedded.json;
    expectDocumented(
      "retrieveCheckoutSession",
      await merchant("GET", `/v1/checkout-sessions/${reference}`),
    );
    const opened = await call("GET", `/v1/checkout-sessions/token/${sessionId}`);
    expect(opened.json.checkout_session.payment_methods).not.toBeNull();
    expectDocumented("openCheckoutSession", opened);
    const chosen = await stablemint("embedded", embeddedBody({ amount: null }));
    const open = await call("GET", `/v1/checkout-sessions/token/${chosen.json.sessionId}`);
    expect(open.json.checkout_session.amount_limits).not.toBeNull();
    expectDocumented("openCheckoutSession", open);
    expectDocumented("createHostedSession", await stablemint("hosted", { userId: "u" }));
    expectDocumented("createEmbeddedSession", await call("POST", "/session/embedded", {}));
  });
});

describe("the merchant's resources", () => {
  it("webhook endpoints, events, settings, key roll and audit log are as documented", async () => {
    const m = await newMerchant();
    const url = `${inject("receiverUrl")}/hooks/${crypto.randomUUID()}`;
    const created = await m.call("POST", "/v1/webhook-endpoints", { url });
    expectDocumented("createWebhookEndpoint", created);
    const id = created.json.webhook_endpoint.id;
    expectDocumented("listWebhookEndpoints", await m.call("GET", "/v1/webhook-endpoints"));
    expectDocumented("retrieveWebhookEndpoint", await m.call("GET", `/v1/webhook-endpoints/${id}`));
    expectDocumented(
      "rotateWebhookSecret",
      await m.call("POST", `/v1/webhook-endpoints/${id}/rotate-secret`),
    );
    expectDocumented(
      "enableWebhookEndpoint",
      await m.call("POST", `/v1/webhook-endpoints/${id}/enable`),
    );

    const session = await m.call("POST", "/v1/checkout-sessions", {
      amount: 500,
      currency: "EUR",
      return_url: RETURN_URL,
    });
    const { id: sessionId, token } = session.json.checkout_session;
    await call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
      payment_method: {
        type: "card",
        card: { number: CARDS.success, exp_month: 12, exp_year: 2030, cvc: "123" },
      },
      payer: PAYER,
    });
    await projected(sessionId);
    const events = await m.call("GET", `/v1/events?checkout_session_id=${sessionId}`);
    expect(events.json.data.length).toBeGreaterThan(0);
    expectDocumented("listEvents", events);
    const eventId = events.json.data[0].id;
    expectDocumented("retrieveEvent", await m.call("GET", `/v1/events/${eventId}`));
    expectDocumented("redeliverEvent", await m.call("POST", `/v1/events/${eventId}/redeliver`));
    expectDocumented(
      "deleteWebhookEndpoint",
      await m.call("DELETE", `/v1/webhook-endpoints/${id}`),
    );

    expectDocumented("retrieveMerchant", await m.call("GET", "/v1/merchant"));
    expectDocumented(
      "updateMerchant",
      await m.call("PATCH", "/v1/merchant", { brand_color: "#0A7D38" }),
    );
    expectDocumented(
      "updateMerchant",
      await m.call("PATCH", "/v1/merchant", { brand_color: "teal" }),
    );
    expectDocumented("rollMerchantKey", await m.call("POST", "/v1/merchant/keys/roll"));
    expectDocumented("listAuditLog", await m.call("GET", "/v1/merchant/audit-log"));
  });

  it("test helpers are as documented", async () => {
    const s = await createSession();
    expectDocumented(
      "advanceTestClock",
      await merchant("POST", `/v1/test_helpers/checkout-sessions/${s.id}/advance_clock`, {
        seconds: 60,
      }),
    );
    const silent = await createSession();
    const waiting = await confirm(silent.token, CARDS.silent);
    const paymentId = waiting.json.confirmResult.payment.id;
    expectDocumented(
      "answerForProvider",
      await merchant("POST", `/v1/test_helpers/payments/${paymentId}/provider_answer`, {
        outcome: "succeeded",
      }),
    );
  });
});

describe("webhook bodies", () => {
  /** Every body `hook` received validates against its type's schema under `webhooks`. */
  async function expectBodiesDocumented(hook: string, count: number) {
    const received = await receivedBy(hook, count);
    expect(received.length).toBeGreaterThanOrEqual(count);
    for (const delivery of received) {
      const body = JSON.parse(delivery.body);
      const documented = spec.webhooks[body.type]?.post.requestBody?.content["application/json"];
      expect(documented, body.type).toBeDefined();
      const validate = validatorOf(documented?.schema);
      expect(validate(body) ? [] : validate.errors, body.type).toEqual([]);
    }
    return received;
  }

  it("a checkout API session's events and a sample event are as documented", async () => {
    const m = await newMerchant();
    const hook = crypto.randomUUID();
    const endpoint = await m.call("POST", "/v1/webhook-endpoints", {
      url: `${inject("receiverUrl")}/hooks/${hook}`,
    });
    const session = await m.call("POST", "/v1/checkout-sessions", {
      amount: 500,
      currency: "EUR",
      return_url: RETURN_URL,
    });
    const { token } = session.json.checkout_session;
    const pay = (number: string) =>
      call("POST", `/v1/checkout-sessions/token/${token}/confirm`, {
        payment_method: {
          type: "card",
          card: { number, exp_month: 12, exp_year: 2030, cvc: "123" },
        },
        payer: PAYER,
      });
    await pay(CARDS.declined);
    await pay(CARDS.success);
    // charge.declined, charge.succeeded, payment.succeeded, checkout_session.completed
    const received = await expectBodiesDocumented(hook, 4);
    expect(new Set(received.map((r) => JSON.parse(r.body).type)).size).toBeGreaterThanOrEqual(4);

    const triggered = await m.call(
      "POST",
      `/v1/test_helpers/webhook-endpoints/${endpoint.json.webhook_endpoint.id}/trigger`,
      {
        type: "payment.requires_action",
      },
    );
    expectDocumented("triggerWebhookEvent", triggered);
  });

  it("a StableMint session's events, with its notification fields, are as documented", async () => {
    const m = await newStablemintMerchant();
    const hook = crypto.randomUUID();
    await m.api("POST", "/v1/webhook-endpoints", { url: `${inject("receiverUrl")}/hooks/${hook}` });
    const created = await m.create(
      "embedded",
      embeddedBody({ websiteReference: "w-1", customFields: { k: "v" } }),
    );
    await call("POST", `/v1/checkout-sessions/token/${created.json.sessionId}/confirm`, {
      payment_method: { type: "bank_transfer", bank_id: "sandbox_de_1" },
      payer: PAYER,
    });
    const received = await expectBodiesDocumented(hook, 3);
    expect(JSON.parse(received[0]?.body ?? "{}").websiteReference).toBe("w-1");
  });
});
