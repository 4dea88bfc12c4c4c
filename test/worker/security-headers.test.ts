/**
 * The security headers of every kind of page and answer, pinned: JSON answers (2xx), problems
 * (4xx), the payer's pages (hosted checkout, embedded checkout, the 3-D Secure challenge, the
 * pages that only say something, the way back), their scripts, styles and images, and the CORS
 * preflight. Each answer is written as its status, content type and security-relevant headers,
 * with what differs per request (ids, tokens, hashes) replaced by placeholders, and the lot is
 * a snapshot (__snapshots__/security-headers.test.ts.snap; a file, since the Workers pool
 * writes inline snapshots at the wrong place): a change to any of them shows in review.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CARDS, card, createSession, newMerchant, PAYER, SANDBOX_KEY } from "./api.js";
import { signedHeaders } from "./stablemint-api.js";

const SECURITY_HEADERS = [
  "content-type",
  "content-security-policy",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "cache-control",
  "strict-transport-security",
  "permissions-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "cross-origin-embedder-policy",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-allow-credentials",
  "www-authenticate",
  "set-cookie",
  "location",
  "retry-after",
];

const ORIGIN = "https://checkout.example";
const MERCHANT = { authorization: `Bearer ${SANDBOX_KEY}` };

/** Ids, tokens and request ids replaced by what they are, so the snapshot holds only policy. */
function normalised(text: string): string {
  return text
    .replace(/cs_[0-9a-f]{64}\.[\w-]+/g, "<token>")
    .replace(/pay_[0-9a-f]{64}_ch\d+/g, "<charge id>")
    .replace(/(cs|pay)_[0-9a-f]{64}/g, "<$1 id>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, "<uuid>");
}

interface Sent {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request to the Worker; its answer as status, then each security header present. */
async function headersOf(label: string, path: string, init: Sent = {}): Promise<string> {
  const response = await exports.default.fetch(`${ORIGIN}${path}`, {
    method: init.method ?? "GET",
    redirect: "manual",
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  await response.arrayBuffer();
  // Every answer names its request; the id itself differs each time.
  expect(response.headers.get("request-id")).toMatch(/^req_[0-9a-f-]{36}$/);
  const lines = SECURITY_HEADERS.flatMap((name) => {
    const value = response.headers.get(name);
    return value === null ? [] : [`  ${name}: ${normalised(value)}`];
  });
  return `${label} → ${response.status}\n${lines.join("\n")}`;
}

const json = (body: unknown, headers: Record<string, string> = {}): Sent => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

const confirmBody = (number: string) => ({ payment_method: card(number), payer: PAYER });

describe("security headers", () => {
  it("of the API's answers, JSON and problems", async () => {
    const session = await createSession();
    const created = { amount: 1050, currency: "EUR", return_url: `${ORIGIN}/demo/return` };
    const embedded = {
      userId: "user-headers",
      userEmail: "ada@example.com",
      userCountryCode: "DE",
      currency: "EUR",
      amount: 5.5,
    };
    const answers = [
      await headersOf(
        "create (merchant, JSON 201)",
        "/v1/checkout-sessions",
        json(created, MERCHANT),
      ),
      await headersOf("retrieve (merchant, JSON 200)", `/v1/checkout-sessions/${session.id}`, {
        headers: MERCHANT,
      }),
      await headersOf(
        "StableMint create (JSON 200)",
        "/session/embedded",
        json(embedded, signedHeaders(embedded)),
      ),
      await headersOf("payer token API (JSON 200)", `/v1/checkout-sessions/token/${session.token}`),
      await headersOf("no key (problem 401)", "/v1/merchant"),
      await headersOf(
        "invalid body (problem 422)",
        "/v1/checkout-sessions",
        json({ amount: -1 }, MERCHANT),
      ),
      await headersOf(
        "payer token API, bad token (problem 404)",
        "/v1/checkout-sessions/token/nope",
      ),
      await headersOf("no such route (problem 404)", "/nowhere"),
      await headersOf(
        "CORS preflight of the payer token API (204)",
        `/v1/checkout-sessions/token/${session.token}/confirm`,
        {
          method: "OPTIONS",
          headers: {
            origin: "https://merchant.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
        },
      ),
      await headersOf("CORS preflight of a merchant route (problem 404)", "/v1/checkout-sessions", {
        method: "OPTIONS",
        headers: { origin: "https://merchant.example", "access-control-request-method": "POST" },
      }),
    ];
    expect(answers.join("\n\n")).toMatchSnapshot();
  });

  it("of the payer's pages", async () => {
    const returnUrls = { return_url: `${ORIGIN}/demo/return`, cancel_url: `${ORIGIN}/demo/cancel` };
    const open = await createSession(returnUrls);
    const link = await exports.default.fetch(`${ORIGIN}/pay/${open.token}`, { redirect: "manual" });
    const cookie = (link.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const sameOrigin = { cookie, origin: ORIGIN, "sec-fetch-site": "same-origin" };

    const challenged = await createSession(returnUrls);
    const closedLink = await exports.default.fetch(`${ORIGIN}/pay/${challenged.token}`, {
      redirect: "manual",
    });
    const closedCookie = (closedLink.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const confirmed = await exports.default.fetch(
      `${ORIGIN}/v1/checkout-sessions/token/${challenged.token}/confirm`,
      json(confirmBody(CARDS.challenge)),
    );
    const challengeUrl = new URL(
      ((await confirmed.json()) as { confirmResult: { paymentNextAction: { url: string } } })
        .confirmResult.paymentNextAction.url,
    );
    const chargeId = decodeURIComponent(challengeUrl.pathname.split("/").at(-1) ?? "");
    const decide = (decision: string): Sent => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `decision=${decision}`,
    });

    // A merchant that lists its origins: only those may frame its checkout and its challenge.
    const shop = await newMerchant();
    const listed = await shop.call("PATCH", "/v1/merchant", {
      allowed_origins: ["https://shop.example"],
    });
    expect(listed.status).toBe(200);
    const shopSession = (
      await shop.call("POST", "/v1/checkout-sessions", {
        amount: 1050,
        currency: "EUR",
        return_url: "https://shop.example/return",
      })
    ).json.checkout_session;
    const shopConfirmed = await exports.default.fetch(
      `${ORIGIN}/v1/checkout-sessions/token/${shopSession.token}/confirm`,
      json(confirmBody(CARDS.challenge)),
    );
    const shopChallenge = new URL(
      ((await shopConfirmed.json()) as { confirmResult: { paymentNextAction: { url: string } } })
        .confirmResult.paymentNextAction.url,
    ).pathname;

    const pages = [
      await headersOf("token link (303 to the clean URL, cookie)", `/pay/${open.token}`),
      await headersOf("hosted checkout (200)", `/pay/${open.id}`, { headers: { cookie } }),
      await headersOf("hosted checkout's state (JSON 200)", `/pay/${open.id}/session`, {
        headers: { cookie },
      }),
      await headersOf("hosted checkout without its cookie (401 page)", `/pay/${open.id}`),
      await headersOf("a link that is not valid (404 page)", `/pay/${open.id}.forged`),
      await headersOf("embedded checkout (200)", `/embed/${open.id}`),
      await headersOf(
        "embedded checkout of a merchant listing its origins (200)",
        `/embed/${shopSession.id}`,
      ),
      await headersOf("3-D Secure challenge (200)", challengeUrl.pathname),
      await headersOf(
        "3-D Secure challenge of a merchant listing its origins (200)",
        shopChallenge,
      ),
      await headersOf("3-D Secure decision (303)", challengeUrl.pathname, decide("approve")),
      await headersOf(
        "3-D Secure return, hosted (303 to the merchant's return page)",
        `/v1/checkout-sessions/challenge-return?charge_id=${encodeURIComponent(chargeId)}`,
      ),
      await headersOf(
        "3-D Secure return, in the embedded frame (200 page)",
        `/v1/checkout-sessions/challenge-return?charge_id=${encodeURIComponent(chargeId)}`,
        { headers: { "sec-fetch-dest": "iframe" } },
      ),
      await headersOf("closed checkout (200 outcome page)", `/pay/${challenged.id}`, {
        headers: { cookie: closedCookie },
      }),
      await headersOf("demo return page (200)", `/demo/return?session_id=${challenged.id}`),
      await headersOf("the way back without script (303)", `/pay/${open.id}/exit`, {
        method: "POST",
        headers: { ...sameOrigin, "content-type": "application/x-www-form-urlencoded" },
        body: "",
      }),
    ];
    expect(pages.join("\n\n")).toMatchSnapshot();
  });

  it("of the pages' scripts, styles and images", async () => {
    const assets = [
      await headersOf("checkout script", "/assets/checkout.js"),
      await headersOf("checkout stylesheet", "/assets/checkout.css"),
      await headersOf("brand stylesheet", "/assets/brand/0a7d38.css"),
      await headersOf("widget script (for merchants' pages)", "/widget.js"),
      await headersOf("bank logo", "/banks/sandbox_de_1/logo.svg"),
    ];
    expect(assets.join("\n\n")).toMatchSnapshot();
  });
});

describe("HSTS", () => {
  it("is sent on every https answer, and never on plain http", async () => {
    const paths = ["/v1/merchant", "/pay", "/assets/checkout.js", "/nowhere"];
    for (const path of paths) {
      const secure = await exports.default.fetch(`https://checkout.example${path}`);
      const plain = await exports.default.fetch(`http://127.0.0.1:8787${path}`);
      await Promise.all([secure.arrayBuffer(), plain.arrayBuffer()]);
      expect([path, secure.headers.get("strict-transport-security")]).toEqual([
        path,
        "max-age=63072000; includeSubDomains",
      ]);
      expect([path, plain.headers.get("strict-transport-security")]).toEqual([path, null]);
    }
  });
});
