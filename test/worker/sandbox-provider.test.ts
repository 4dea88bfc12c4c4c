import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createProvider } from "../../src/providers/index.js";
import type { AuthorizeRequest } from "../../src/providers/provider.js";
import { CARDS } from "./api.js";
import { cardRequest, newChargeId, paymentOf } from "./charge-requests.js";
import { sandboxBooks } from "./sandbox-books.js";

const ORIGIN = "http://127.0.0.1:8787";
const sandbox = createProvider("sandbox", env);
const backup = createProvider("sandbox_backup", env);

/** The sandbox's own records of the payment a charge belongs to. */
const ledgerCharges = (chargeId: string) => sandboxBooks(paymentOf(chargeId));

const bankRequest = (bankId: string): AuthorizeRequest => ({
  ...cardRequest(CARDS.success),
  paymentMethod: { type: "bank_transfer", bankId },
});

const challengeUrl = (chargeId: string) => `${ORIGIN}/sandbox/challenge/${chargeId}`;

function fetchPage(
  method: string,
  url: string,
  body?: string,
  type = "application/x-www-form-urlencoded",
) {
  return exports.default.fetch(url, {
    method,
    redirect: "manual",
    ...(body === undefined ? {} : { body, headers: { "content-type": type } }),
  });
}

describe("the sandbox test cards at authorize", () => {
  it.each([
    [CARDS.success, "automatic", { type: "succeeded" }],
    [CARDS.success, "manual", { type: "authorized" }],
    ["5555555555554444", "automatic", { type: "succeeded" }],
    ["5555555555554444", "manual", { type: "authorized" }],
    [
      CARDS.declined,
      "automatic",
      { type: "declined", code: "card_declined", message: "The card was declined." },
    ],
    [CARDS.silent, "automatic", { type: "silent" }],
  ] as const)("%s (%s capture) answers %o", async (number, captureMethod, outcome) => {
    expect(await sandbox.authorize(cardRequest(number, { captureMethod }))).toEqual(outcome);
  });

  it("4000…3220 asks for 3-D Secure on the sandbox challenge page", async () => {
    const request = cardRequest(CARDS.challenge);
    const outcome = { type: "requires_action", url: challengeUrl(request.chargeId) };
    expect(await sandbox.authorize(request)).toEqual(outcome);
    expect(await sandbox.completeAction(request.chargeId)).toEqual(outcome);
    expect(await sandbox.status(request.chargeId)).toEqual(outcome);
  });

  it("secure mode forces 3-D Secure on a card that would succeed", async () => {
    const request = cardRequest(CARDS.success, { secureMode: true });
    expect(await sandbox.authorize(request)).toEqual({
      type: "requires_action",
      url: challengeUrl(request.chargeId),
    });
  });

  it("4000…0119 fails retryably at sandbox and succeeds at sandbox_backup", async () => {
    const first = cardRequest(CARDS.fallback);
    expect(await sandbox.authorize(first)).toMatchObject({
      type: "failed",
      code: "provider_unavailable",
    });
    // An outage creates no charge.
    expect(await sandbox.status(first.chargeId)).toMatchObject({
      type: "failed",
      code: "unknown_charge",
    });
    expect(await backup.authorize(cardRequest(CARDS.fallback))).toEqual({ type: "succeeded" });
    expect(
      await backup.authorize(cardRequest(CARDS.fallback, { captureMethod: "manual" })),
    ).toEqual({ type: "authorized" });
  });

  it("each sandbox provider knows only the charges made at it", async () => {
    const request = cardRequest(CARDS.success);
    await sandbox.authorize(request);
    expect(await backup.status(request.chargeId)).toMatchObject({
      type: "failed",
      code: "unknown_charge",
    });
    expect(await backup.capture(request.chargeId)).toMatchObject({
      type: "failed",
      code: "unknown_charge",
    });
  });

  it("4000…0077 keeps us waiting past our timeout (silent), then status tells the result", async () => {
    const request = cardRequest(CARDS.silent, { captureMethod: "manual" });
    expect(await sandbox.authorize(request)).toEqual({ type: "silent" });
    expect(await sandbox.status(request.chargeId)).toEqual({ type: "authorized" });
  });

  it("bank transfers succeed, except bank ids starting with fail_", async () => {
    expect(await sandbox.authorize(bankRequest("bank_demo"))).toEqual({ type: "succeeded" });
    expect(await sandbox.authorize(bankRequest("fail_demo"))).toMatchObject({
      type: "declined",
      code: "bank_declined",
    });
  });

  it("keeps the scenario and never the card number", async () => {
    const request = cardRequest(CARDS.success);
    await sandbox.authorize(request);
    const [row, ...others] = await ledgerCharges(request.chargeId);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      scenario: "success",
      status: "succeeded",
      amount: 1050,
      currency: "EUR",
    });
    expect(JSON.stringify(row)).not.toMatch(/4242424242424242|4000000000000002|4000000000003220/);
  });
});

describe("the sandbox's memory of charges", () => {
  it("authorize is idempotent on the charge id: a retry gets the first answer, never a second charge", async () => {
    const request = cardRequest(CARDS.silent);
    expect(await sandbox.authorize(request)).toEqual({ type: "silent" });
    expect(await sandbox.authorize(request)).toEqual({ type: "succeeded" });
    // A retry carrying another card is refused by the upstream (idempotency_error): the first
    // request stands, so its outcome is left for the watchdog, never charged again elsewhere.
    const retried = cardRequest(CARDS.declined, { chargeId: request.chargeId });
    expect(await sandbox.authorize(retried)).toEqual({ type: "silent" });
    expect(await ledgerCharges(request.chargeId)).toHaveLength(1);
  });

  it("captures an authorized charge once, and again is still succeeded", async () => {
    const request = cardRequest(CARDS.success, { captureMethod: "manual" });
    await sandbox.authorize(request);
    expect(await sandbox.capture(request.chargeId)).toEqual({ type: "succeeded" });
    expect(await sandbox.status(request.chargeId)).toEqual({ type: "succeeded" });
    expect(await sandbox.capture(request.chargeId)).toEqual({ type: "succeeded" });
  });

  it("refuses to capture a declined or pending-challenge charge", async () => {
    const declined = cardRequest(CARDS.declined);
    await sandbox.authorize(declined);
    expect(await sandbox.capture(declined.chargeId)).toMatchObject({
      type: "failed",
      code: "not_capturable",
    });
    const challenged = cardRequest(CARDS.challenge, { captureMethod: "manual" });
    await sandbox.authorize(challenged);
    expect(await sandbox.capture(challenged.chargeId)).toMatchObject({
      type: "failed",
      code: "not_capturable",
    });
  });

  it("answers unknown_charge for a charge it never made", async () => {
    for (const call of [sandbox.status, sandbox.capture, sandbox.completeAction]) {
      expect(await call.call(sandbox, newChargeId())).toMatchObject({
        type: "failed",
        code: "unknown_charge",
      });
    }
  });

  it("an unknown provider name fails every call with unknown_provider", async () => {
    const nobody = createProvider("nobody", env);
    const answers = await Promise.all([
      nobody.authorize(cardRequest(CARDS.success)),
      nobody.completeAction("ch_x"),
      nobody.status("ch_x"),
      nobody.capture("ch_x"),
    ]);
    for (const answer of answers)
      expect(answer).toMatchObject({ type: "failed", code: "unknown_provider" });
  });
});

describe("the sandbox challenge page", () => {
  it("renders a self-contained page with the amount and Approve / Deny", async () => {
    const request = cardRequest(CARDS.challenge, { amount: 123456, currency: "JPY" });
    await sandbox.authorize(request);
    const page = await fetchPage("GET", challengeUrl(request.chargeId));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    // A charge of no session of ours: framed by nobody but us (test/worker/security-headers.test.ts
    // pins a session's, framed also where its merchant may embed the checkout).
    expect(page.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'self'",
    );
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain("Sandbox 3-D Secure challenge");
    expect(html).toContain("¥123,456");
    expect(html).toMatch(/<form method="post"[^>]*>[\s\S]*>Approve<[\s\S]*>Deny</);
    expect(html).not.toMatch(/<script|src=|<link/i);
  });

  it("has no page for an id that is not a charge of ours, and echoes nothing of it", async () => {
    for (const id of [`ch_<b>"x"&'y'`, newChargeId(), "pay_1_ch1"]) {
      const page = await fetchPage("GET", challengeUrl(encodeURIComponent(id)));
      expect(page.status).toBe(404);
      expect(page.headers.get("content-type")).toBe("application/problem+json");
      expect(await page.text()).not.toContain("<b>");
    }
  });

  it.each([
    ["approve", "automatic", { type: "succeeded" }],
    ["approve", "manual", { type: "authorized" }],
    ["deny", "automatic", { type: "declined", code: "authentication_failed" }],
  ] as const)(
    "POST decision=%s (%s capture) then completeAction answers %o",
    async (decision, captureMethod, outcome) => {
      const request = cardRequest(CARDS.challenge, { captureMethod });
      await sandbox.authorize(request);
      const posted = await fetchPage(
        "POST",
        challengeUrl(request.chargeId),
        `decision=${decision}`,
      );
      expect(posted.status).toBe(303);
      expect(posted.headers.get("location")).toBe(
        `/v1/checkout-sessions/challenge-return?charge_id=${request.chargeId}`,
      );
      expect(await sandbox.completeAction(request.chargeId)).toMatchObject(outcome);
      expect(await sandbox.status(request.chargeId)).toMatchObject(outcome);
    },
  );

  it("keeps the first decision; a repeat is still sent on", async () => {
    const request = cardRequest(CARDS.challenge);
    await sandbox.authorize(request);
    await fetchPage("POST", challengeUrl(request.chargeId), "decision=approve");
    const again = await fetchPage("POST", challengeUrl(request.chargeId), "decision=deny");
    expect(again.status).toBe(303);
    expect(await sandbox.completeAction(request.chargeId)).toEqual({ type: "succeeded" });
    const page = await (await fetchPage("GET", challengeUrl(request.chargeId))).text();
    expect(page).toContain("was approved");
  });

  it("refuses a missing or unknown decision with 422 invalid_decision", async () => {
    const request = cardRequest(CARDS.challenge);
    await sandbox.authorize(request);
    for (const [body, type] of [
      ["decision=maybe", "application/x-www-form-urlencoded"],
      ["", "application/x-www-form-urlencoded"],
      ['{"decision":"approve"}', "application/json"],
    ]) {
      const refused = await fetchPage("POST", challengeUrl(request.chargeId), body, type);
      expect(refused.status).toBe(422);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(await refused.json()).toMatchObject({ code: "invalid_decision" });
    }
    expect(await sandbox.completeAction(request.chargeId)).toMatchObject({
      type: "requires_action",
    });
  });

  it("is a 404 problem for an unknown charge or a charge without a challenge", async () => {
    const plain = cardRequest(CARDS.success);
    await sandbox.authorize(plain);
    for (const chargeId of ["ch_never", plain.chargeId, "%E0%A4%A"]) {
      const page = await fetchPage("GET", challengeUrl(chargeId));
      expect(page.status).toBe(404);
      expect(await page.json()).toMatchObject({ code: "not_found", detail: "No such challenge." });
      const posted = await fetchPage("POST", challengeUrl(chargeId), "decision=approve");
      expect(posted.status).toBe(404);
      await posted.body?.cancel();
    }
    expect(await sandbox.status(plain.chargeId)).toEqual({ type: "succeeded" });
  });
});
