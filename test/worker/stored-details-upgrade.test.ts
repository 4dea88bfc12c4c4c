/**
 * Sessions stored before the session core named its dialect kept StableMint's details under
 * `details.stablemint` (with the error and support URLs and the payer's amount limits inside).
 * After an eviction such a session is read as it is stored today: the merchant, the payer and
 * the webhooks see exactly what they saw before.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionObject } from "../../src/session/session-object.js";
import { call, objectOf } from "./api.js";
import { embeddedBody, hostedBody, newStablemintMerchant } from "./stablemint-api.js";

/** Rewrites the session's stored details into the shape sessions were stored in before. */
async function storeAsBefore(sessionId: string) {
  await runInDurableObject(objectOf(sessionId), (_: SessionObject, state) => {
    const sql = state.storage.sql;
    const row = sql.exec<{ details: string }>("SELECT details FROM session WHERE k = 1").one();
    const { dialect, failureUrl, supportUrl, amountLimits, ...rest } = JSON.parse(row.details);
    const { sessionId: _uuid, ...data } = dialect.data;
    void failureUrl;
    void supportUrl;
    const legacy = { ...rest, stablemint: { ...data, ...(amountLimits && { amountLimits }) } };
    sql.exec("UPDATE session SET details = ? WHERE k = 1", JSON.stringify(legacy));
  });
  await evictDurableObject(objectOf(sessionId));
}

describe("details stored before sessions named their dialect", () => {
  it("a hosted StableMint session reads the same to the merchant and the payer", async () => {
    const m = await newStablemintMerchant();
    const created = await m.create("hosted", hostedBody({ websiteReference: "order-9" }));
    expect(created.status).toBe(200);
    const id: string = created.json.reference;
    const token = new URL(created.json.url).pathname.split("/").at(-1) ?? "";
    // The payer opens it first: opening is a change of its own (PAYER_OPENED).
    const payerBefore = (await call("GET", `/v1/checkout-sessions/token/${token}`)).json;
    const merchantBefore = (await m.api("GET", `/v1/checkout-sessions/${id}`)).json;

    await storeAsBefore(id);

    const merchantAfter = (await m.api("GET", `/v1/checkout-sessions/${id}`)).json;
    const payerAfter = (await call("GET", `/v1/checkout-sessions/token/${token}`)).json;
    expect(merchantAfter).toEqual(merchantBefore);
    expect(merchantAfter.checkout_session.stablemint).toMatchObject({
      website_reference: "order-9",
      error_url: "http://127.0.0.1:8787/shop/error",
    });
    expect(payerAfter).toEqual(payerBefore);
    expect(payerAfter.checkout_session).toMatchObject({
      error_url: "http://127.0.0.1:8787/shop/error",
      support_url: "http://127.0.0.1:8787/shop/support",
    });
  });

  it("an embedded session without an amount keeps the payer's limits", async () => {
    const m = await newStablemintMerchant();
    const created = await m.create("embedded", embeddedBody({ amount: undefined }));
    expect(created.status).toBe(200);
    const id: string = created.json.reference;
    const opened = await call("GET", `/v1/checkout-sessions/token/${created.json.sessionId}`);
    const limits = opened.json.checkout_session.amount_limits;
    expect(limits).toEqual({ min: 10, max: 1000 });

    await storeAsBefore(id);

    const again = await call("GET", `/v1/checkout-sessions/token/${created.json.sessionId}`);
    expect(again.json.checkout_session.amount_limits).toEqual(limits);
    const view = (await m.api("GET", `/v1/checkout-sessions/${id}`)).json.checkout_session;
    expect(view.stablemint).toMatchObject({ flow: "embedded" });
  });
});
