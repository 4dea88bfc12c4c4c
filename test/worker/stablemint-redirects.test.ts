/**
 * The hosted flow's four ways back to the merchant: paid → `successUrl`, the payer leaves →
 * `exitUrl`, the session fails → `errorUrl`, and `supportUrl` for a support link; all four in
 * the payer's view for the pages, the first three also where the payer is actually sent.
 */
import { describe, expect, it } from "vitest";
import { CARDS, call, confirm, merchant } from "./api.js";
import { hostedBody, SHOP, stablemint } from "./stablemint-api.js";

async function hostedSession(extra: Record<string, unknown> = {}) {
  const created = await stablemint("hosted", hostedBody(extra));
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  const token = new URL(created.json.url).pathname.split("/").at(-1) ?? "";
  return { id: created.json.reference as string, token };
}

/** Pays with the 3DS test card, decides the challenge, and follows the way back. */
async function challenge(token: string, decision: "approve" | "deny") {
  const confirmed = await confirm(token, CARDS.challenge);
  const challengePath = new URL(confirmed.json.confirmResult.paymentNextAction.url).pathname;
  const decided = await call("POST", challengePath, `decision=${decision}`, {
    "content-type": "application/x-www-form-urlencoded",
  });
  expect(decided.status).toBe(303);
  const back = await call("GET", decided.headers.get("location") ?? "");
  expect(back.status).toBe(303);
  return back.headers.get("location");
}

describe("the payer's view", () => {
  it("carries all four URLs for the pages", async () => {
    const { token } = await hostedSession();
    const view = await call("GET", `/v1/checkout-sessions/token/${token}`);
    expect(view.json.checkout_session).toMatchObject({
      return_url: `${SHOP}/success`,
      cancel_url: `${SHOP}/exit`,
      error_url: `${SHOP}/error`,
      support_url: `${SHOP}/support`,
    });
  });
});

describe("where the payer is sent", () => {
  it("paid (after 3-D Secure): successUrl, with the session id", async () => {
    const { id, token } = await hostedSession();
    expect(await challenge(token, "approve")).toBe(`${SHOP}/success?session_id=${id}`);
  });

  it("failed (the last allowed attempt declined): errorUrl, with the session id", async () => {
    const { id, token } = await hostedSession();
    for (let i = 0; i < 2; i++) {
      const declined = await confirm(token, CARDS.declined);
      expect(declined.json.checkout_session.status).toBe("PENDING");
    }
    expect(await challenge(token, "deny")).toBe(`${SHOP}/error?session_id=${id}`);
    const got = await merchant("GET", `/v1/checkout-sessions/${id}`);
    expect(got.json.checkout_session.status).toBe("FAILED");
  });

  it("a decline with attempts left: back to the checkout to try again", async () => {
    const { token } = await hostedSession();
    const destination = await challenge(token, "deny");
    expect(destination).toBe(`http://127.0.0.1:8787/pay?token=${token}`);
  });

  it("leaving without paying: exitUrl, and the session is cancelled by the payer", async () => {
    const { id, token } = await hostedSession({ exitUrl: `${SHOP}/exit/{CHECKOUT_SESSION_ID}` });
    const left = await call("POST", `/v1/checkout-sessions/token/${token}/exit`);
    expect(left.status).toBe(200);
    expect(left.json.redirect_url).toBe(`${SHOP}/exit/${id}`);
    expect(left.json.checkout_session.status).toBe("CANCELLED");
    const got = await merchant("GET", `/v1/checkout-sessions/${id}`);
    expect(got.json.checkout_session).toMatchObject({
      status: "CANCELLED",
      closed_reason: "payer_exited",
    });
    const again = await call("POST", `/v1/checkout-sessions/token/${token}/exit`);
    expect([again.status, again.json.code]).toEqual([409, "session_cancelled"]);
  });

  it("leaving is refused while a payment is in flight, and after it succeeded", async () => {
    const { token } = await hostedSession();
    await confirm(token, CARDS.success);
    const refused = await call("POST", `/v1/checkout-sessions/token/${token}/exit`);
    expect([refused.status, refused.json.code]).toEqual([409, "session_completed"]);
  });

  it("a checkout API session that fails has no error page: back to its checkout", async () => {
    const created = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1000,
      currency: "EUR",
      return_url: `${SHOP}/return`,
    });
    const { token, url } = created.json.checkout_session;
    for (let i = 0; i < 2; i++) await confirm(token, CARDS.declined);
    expect(await challenge(token, "deny")).toBe(`${url}?token=${token}`);
  });
});
