/**
 * Notifications of StableMint sessions carry `reference`, `websiteReference` and `customFields`
 * at the top level of every event's body (whatever its object), signed as every webhook is.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { receivedBy } from "./api.js";
import { embeddedBody, hostedBody, newStablemintMerchant, payByBank } from "./stablemint-api.js";

const receiver = inject("receiverUrl");

/** A StableMint merchant with one webhook endpoint on the test receiver. */
async function merchantWithEndpoint() {
  const m = await newStablemintMerchant();
  const hook = crypto.randomUUID();
  const endpoint = await m.api("POST", "/v1/webhook-endpoints", {
    url: `${receiver}/hooks/${hook}`,
  });
  expect(endpoint.status).toBe(201);
  return { m, hook, secret: endpoint.json.webhook_endpoint.secret as string };
}

describe("StableMint notifications", () => {
  it("carry reference, websiteReference and customFields on every event, signed", async () => {
    const { m, hook, secret } = await merchantWithEndpoint();
    const customFields = { cart: "c-9", items: [1, 2], nested: { vip: true } };
    const created = await m.create(
      "hosted",
      hostedBody({ websiteReference: "order-9", customFields }),
    );
    const token = new URL(created.json.url).pathname.split("/").at(-1) ?? "";
    expect((await payByBank(token, "sandbox_de_1")).json.checkout_session.status).toBe("COMPLETED");
    const log = await receivedBy(hook, 3);
    const bodies = log.map((entry) => JSON.parse(entry.body));
    expect(bodies.map((b) => b.type)).toEqual([
      "charge.succeeded",
      "payment.succeeded",
      "checkout_session.completed",
    ]);
    for (const body of bodies) {
      expect(body).toMatchObject({
        reference: created.json.reference,
        websiteReference: "order-9",
        customFields,
      });
    }
    expect(bodies[2].data.object).toMatchObject({
      id: created.json.reference,
      status: "COMPLETED",
      stablemint: { website_reference: "order-9", custom_fields: customFields },
    });
    const wh = new Webhook(secret);
    for (const entry of log) expect(wh.verify(entry.body, entry.headers)).toBeTruthy();
  });

  it("say null for a websiteReference and customFields the request left out", async () => {
    const { m, hook } = await merchantWithEndpoint();
    const created = await m.create("embedded", embeddedBody());
    await payByBank(created.json.sessionId, "sandbox_fr_1");
    const [first] = await receivedBy(hook, 1);
    expect(JSON.parse(first?.body ?? "{}")).toMatchObject({
      reference: created.json.reference,
      websiteReference: null,
      customFields: null,
    });
  });

  it("are absent from checkout API sessions' events", async () => {
    const { m, hook } = await merchantWithEndpoint();
    const created = await m.api("POST", "/v1/checkout-sessions", {
      amount: 1000,
      currency: "EUR",
      return_url: "https://shop.example/return",
    });
    await payByBank(created.json.checkout_session.token, "any_bank");
    const [first] = await receivedBy(hook, 1);
    const body = JSON.parse(first?.body ?? "{}");
    expect(body.type).toBe("charge.succeeded");
    for (const key of ["reference", "websiteReference", "customFields"]) {
      expect(body).not.toHaveProperty(key);
    }
  });
});
