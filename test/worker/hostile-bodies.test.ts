/**
 * Bodies built to break a parser get a clear 4xx and change nothing: nesting thousands of levels
 * deep (a recursive validator would overflow its stack and answer 500).
 */
import { describe, expect, it } from "vitest";
import { merchant, RETURN_URL } from "./api.js";
import { embeddedBody, stablemint } from "./stablemint-api.js";

/** `{"a":{"a":…}}` nested `levels` deep, as text: JSON.parse takes it, a recursive parse may not. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

describe("deeply nested bodies", () => {
  it("StableMint customFields 2,000 levels deep: 422 body_too_deep, not a 500", async () => {
    const base = embeddedBody();
    const body = JSON.stringify(base).replace(/}$/, `,"customFields":${nested(2000)}}`);
    // Signed as the merchant would sign it: the signature covers the body's userId.
    const created = await stablemint("embedded", body, { userId: String(base.userId) });
    expect([created.status, created.json.code]).toEqual([422, "body_too_deep"]);
  });

  it("checkout API metadata 5,000 levels deep: the same", async () => {
    const body = `{"amount":100,"currency":"EUR","return_url":"${RETURN_URL}","metadata":${nested(5000)}}`;
    const created = await merchant("POST", "/v1/checkout-sessions", body);
    expect([created.status, created.json.code]).toEqual([422, "body_too_deep"]);
  });

  it("nesting a request may really need (a few levels of customFields) is taken", async () => {
    const created = await stablemint(
      "embedded",
      embeddedBody({ customFields: { cart: { items: [{ sku: "A-1", tags: ["x"] }] } } }),
    );
    expect(created.status).toBe(200);
  });
});
