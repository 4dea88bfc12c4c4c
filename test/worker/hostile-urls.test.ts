/**
 * Hostile URLs, on every field that takes one: each string of the corpus below is refused with a
 * 422 problem naming the field, whichever field it is sent in — the checkout API's `url`,
 * `return_url` and `cancel_url`, StableMint's `successUrl`, `supportUrl`, `exitUrl` and
 * `errorUrl`, and the merchant's `support_url` and `logo_url` — and a refusal creates nothing
 * and changes nothing. A few good URLs are accepted everywhere, and a merchant that lists
 * allowed origins gets only those. The rules are src/core/redirect-policy.ts's.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type call, newMerchant, projected } from "./api.js";
import { hostedBody, newStablemintMerchant } from "./stablemint-api.js";

type Merchant = Awaited<ReturnType<typeof newMerchant>>;
type StablemintMerchant = Awaited<ReturnType<typeof newStablemintMerchant>>;
type Response = Awaited<ReturnType<typeof call>>;

const GOOD = "https://shop.example/return";

/**
 * Refused for its syntax (`validation_failed` everywhere), or, with `policy`, a well-formed URL
 * this (sandbox, no allowed origins) merchant may not use: plain http off loopback
 * (`redirect_url_not_allowed` on the checkout API).
 */
interface Hostile {
  value: string;
  why: string;
  policy?: true;
}

const CORPUS: Hostile[] = [
  // Other schemes, in any case.
  { value: "javascript:alert(document.domain)", why: "javascript:" },
  { value: "JaVaScRiPt:alert(1)", why: "javascript: mixed case" },
  { value: "javascript://shop.example/%0aalert(1)", why: "javascript: posing as a URL" },
  { value: " javascript:alert(1)", why: "javascript: after a space" },
  { value: "java\tscript:alert(1)", why: "javascript: split by a tab" },
  { value: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", why: "data:" },
  { value: "DATA:text/html,<script>alert(1)</script>", why: "data: upper case" },
  { value: "vbscript:msgbox(1)", why: "vbscript:" },
  { value: "VBScript:MsgBox(1)", why: "vbscript: mixed case" },
  { value: "file:///etc/passwd", why: "file:" },
  { value: "FILE://shop.example/c$/windows", why: "file: upper case" },
  { value: "ftp://ftp.shop.example/pub", why: "ftp:" },
  { value: "blob:https://shop.example/0d1e2f", why: "blob:" },
  { value: "ws://shop.example/socket", why: "ws:" },
  { value: "wss://shop.example/socket", why: "wss:" },
  { value: "mailto:support@shop.example", why: "mailto:" },
  { value: "intent://shop.example#Intent;scheme=https;end", why: "intent:" },
  // The authority, bent.
  { value: "//evil.example/return", why: "protocol-relative" },
  { value: "///evil.example/return", why: "three slashes" },
  { value: "https:/evil.example/return", why: "one slash" },
  { value: "https:evil.example/return", why: "no slash" },
  { value: "https:\\\\evil.example/return", why: "backslashes for slashes" },
  { value: "https://shop.example\\@evil.example/", why: "backslash before @" },
  { value: "https://evil.example\\return", why: "backslash in the path" },
  { value: "/\\evil.example", why: "slash-backslash" },
  { value: "https:／／evil.example/", why: "fullwidth solidus" },
  { value: "ｈｔｔｐｓ://evil.example/", why: "fullwidth scheme" },
  // Credentials.
  { value: "https://user:pass@shop.example/return", why: "user and password" },
  { value: "https://user@shop.example/return", why: "user name" },
  { value: "https://shop.example@evil.example/return", why: "a host posing as a user" },
  { value: "https://shop.example:443@evil.example/", why: "host:port posing as credentials" },
  { value: "https://:@shop.example/return", why: "empty credentials" },
  { value: "https://shop.example%40evil.example/", why: "percent-encoded @ in the host" },
  // Control characters, invisible and bidi marks.
  { value: "https://shop.example/return\r\nSet-Cookie:%20a=b", why: "CRLF" },
  { value: "https://shop.example/\nreturn", why: "LF" },
  { value: "https://shop.example/\rreturn", why: "CR" },
  { value: "https://shop.example/return\u0000", why: "NUL" },
  { value: "https://shop.\texample/return", why: "tab in the host" },
  { value: "https://shop.example/\u0001", why: "SOH" },
  { value: "https://shop.example/\u001b[31m", why: "ESC" },
  { value: "https://shop.example/\u001f", why: "US (last C0)" },
  { value: "https://shop.example/\u007f", why: "DEL" },
  { value: "https://shop.example/\u0085", why: "NEL (C1)" },
  { value: "https://shop.example/\u2028return", why: "U+2028 line separator" },
  { value: "https://shop.example/\u2029return", why: "U+2029 paragraph separator" },
  { value: "https://shop\u200b.example/return", why: "zero-width space in the host" },
  { value: "https://shop.example/\u200dreturn", why: "zero-width joiner" },
  { value: "https://shop.example/\u200e", why: "left-to-right mark" },
  { value: "https://shop.example/\u202egnp.exe", why: "right-to-left override" },
  { value: "https://shop.example/\u202areturn", why: "left-to-right embedding" },
  { value: "https://shop.example/\ufeffreturn", why: "BOM / zero-width no-break space" },
  { value: "https://shop.example/\u2060", why: "word joiner" },
  // The rest of Unicode's Bidi_Control set: the isolates and the Arabic letter mark.
  { value: "https://shop.example/\u2066return\u2069", why: "left-to-right isolate … pop" },
  { value: "https://shop.example/\u2067gnp.exe", why: "right-to-left isolate" },
  { value: "https://shop.example/\u2068return", why: "first strong isolate" },
  { value: "https://shop.example/\u061creturn", why: "Arabic letter mark" },
  // Leading, trailing and inner white space.
  { value: " https://shop.example/return", why: "leading space" },
  { value: "https://shop.example/return ", why: "trailing space" },
  { value: "\thttps://shop.example/return", why: "leading tab" },
  { value: "https://shop.example/return\n", why: "trailing newline" },
  { value: "https://shop.example/re turn", why: "inner space" },
  { value: "https://shop.example/\u00a0", why: "no-break space" },
  { value: "https://shop.example/\u3000", why: "ideographic space" },
  // Look-alike hosts: Latin mixed with Cyrillic or Greek, raw and punycode.
  { value: "https://pаypal.com/", why: "Cyrillic а among Latin" },
  { value: "https://xn--pypal-4ve.com/", why: "the same, punycode" },
  { value: "https://XN--PYPAL-4VE.COM/", why: "the same, punycode upper case" },
  { value: "https://login.pаypal.com/", why: "Cyrillic а in the second label" },
  { value: "https://shop.xn--pypal-4ve.example/", why: "punycode look-alike in a middle label" },
  { value: "https://gοοgle.com/", why: "Greek ο among Latin" },
  { value: "https://xn--ggle-0nda.com/", why: "the same, punycode" },
  { value: "https://αpple.com/", why: "Greek α among Latin" },
  { value: "https://xn--pple-zld.com/", why: "the same, punycode" },
  { value: "https://xn--.example/", why: "empty punycode label" },
  // Too long, empty, relative, incomplete.
  { value: `https://shop.example/${"a".repeat(2028)}`, why: "2,049 characters" },
  { value: `https://shop.example/?q=${"x".repeat(5000)}`, why: "5,024 characters" },
  { value: "", why: "empty" },
  { value: "/return", why: "relative path" },
  { value: "return", why: "bare word" },
  { value: "?session=1", why: "query only" },
  { value: "#top", why: "fragment only" },
  { value: "https://", why: "scheme only" },
  { value: "https:///return", why: "no host" },
  { value: "https://?x=1", why: "empty host before a query" },
  { value: "https://shop.example:99999/", why: "port out of range" },
  { value: "http://", why: "http scheme only" },
  // Well-formed, but plain http off loopback: the policy refuses it.
  { value: "http://shop.example", why: "plain http", policy: true },
  { value: "HTTP://SHOP.EXAMPLE/", why: "plain http, upper case", policy: true },
  { value: "http://shop.example:8787/return", why: "plain http with a port", policy: true },
  { value: "http://localhost.evil.example/return", why: "localhost as a prefix", policy: true },
  { value: "http://127.0.0.1.nip.io/return", why: "127.0.0.1 as a prefix", policy: true },
  { value: "http://0.0.0.0:8787/return", why: "0.0.0.0", policy: true },
  { value: "http://10.0.0.1/return", why: "a private address", policy: true },
];

/** The test's name: the value with everything outside printable ASCII as \uXXXX, shortened. */
const label = ({ value, why }: Hostile) => {
  const shown = `"${value.replace(/[^\x20-\x7e]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`)}"`;
  return `${shown.length > 70 ? `${shown.slice(0, 60)}…(${value.length} chars)` : shown} (${why})`;
};
const CASES = CORPUS.map((entry) => ({ ...entry, label: label(entry) }));

/** What a response says about one field, in the shape a refusal must have. */
function outcome(field: string, response: Response) {
  const problem = response.json;
  const errors: Array<{ field?: unknown; message?: unknown }> =
    typeof problem === "object" && Array.isArray(problem?.errors) ? problem.errors : [];
  return {
    field,
    status: response.status,
    problemJson: response.headers.get("content-type") === "application/problem+json",
    code: typeof problem === "object" ? problem?.code : problem,
    errorFields: [...new Set(errors.map((e) => e.field))].sort(),
    messages:
      errors.length > 0 && errors.every((e) => typeof e.message === "string" && e.message !== ""),
  };
}

const refusal = (field: string, code: string) => ({
  field,
  status: 422,
  problemJson: true,
  code,
  errorFields: [field],
  messages: true,
});

async function sessionCount(merchantId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM checkout_sessions WHERE merchant_id = ?",
  )
    .bind(merchantId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

const CHECKOUT_FIELDS = ["url", "return_url", "cancel_url"] as const;
const STABLEMINT_FIELDS = ["successUrl", "supportUrl", "exitUrl", "errorUrl"] as const;
const MERCHANT_FIELDS = ["support_url", "logo_url"] as const;

/** Every URL field with `value`, each in its own request; answers in field order. */
async function sendEverywhere(
  value: string,
  merchants: { checkout: Merchant; stablemint: StablemintMerchant; settings: Merchant },
) {
  const sessions = await Promise.all([
    ...CHECKOUT_FIELDS.map(async (field) =>
      outcome(
        field,
        await merchants.checkout.call("POST", "/v1/checkout-sessions", {
          amount: 1050,
          currency: "EUR",
          return_url: GOOD,
          [field]: value,
        }),
      ),
    ),
    ...STABLEMINT_FIELDS.map(async (field) =>
      outcome(field, await merchants.stablemint.create("hosted", hostedBody({ [field]: value }))),
    ),
  ]);
  // One PATCH after the other, so that an accepted one cannot make the other a 409.
  const patches = [];
  for (const field of MERCHANT_FIELDS) {
    patches.push(
      outcome(field, await merchants.settings.call("PATCH", "/v1/merchant", { [field]: value })),
    );
  }
  return [...sessions, ...patches];
}

describe("hostile URLs are refused on every URL field", () => {
  let checkout: Merchant;
  let stablemint: StablemintMerchant;
  let settings: Merchant;

  beforeAll(async () => {
    [checkout, stablemint, settings] = await Promise.all([
      newMerchant(),
      newStablemintMerchant(),
      newMerchant(),
    ]);
    const got = await settings.call("GET", "/v1/merchant");
    expect(got.status, "GET /v1/merchant exists").toBe(200);
  });

  /** What a refusal must leave as it was: the sessions in D1 and the merchant's settings. */
  const state = async () => ({
    checkoutSessions: await sessionCount(checkout.id),
    stablemintSessions: await sessionCount(stablemint.id),
    settings: (await settings.call("GET", "/v1/merchant")).json,
    audit: (await settings.call("GET", "/v1/merchant/audit-log")).json.data,
  });

  it("the corpus holds at least 50 distinct strings", () => {
    expect(new Set(CORPUS.map((c) => c.value)).size).toBe(CORPUS.length);
    expect(CORPUS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(CASES)("$label", async ({ value, policy }) => {
    const before = await state();
    const outcomes = await sendEverywhere(value, { checkout, stablemint, settings });
    expect(outcomes).toEqual([
      ...CHECKOUT_FIELDS.map((field) =>
        refusal(field, policy ? "redirect_url_not_allowed" : "validation_failed"),
      ),
      // StableMint names every violation, policy ones included, in one validation_failed.
      ...STABLEMINT_FIELDS.map((field) => refusal(field, "validation_failed")),
      ...MERCHANT_FIELDS.map((field) => refusal(field, "validation_failed")),
    ]);
    // Nothing was created (no session in D1) and nothing changed (settings, audit log).
    expect(await state()).toEqual(before);
  });

  it("after the whole corpus: these merchants have no session, no setting changed", async () => {
    expect((await checkout.call("GET", "/v1/checkout-sessions")).json.data).toEqual([]);
    expect((await stablemint.api("GET", "/v1/checkout-sessions")).json.data).toEqual([]);
    const audit = await settings.call("GET", "/v1/merchant/audit-log");
    expect(audit.status).toBe(200);
    expect(audit.json.data).toEqual([]);
  });
});

describe("good URLs are accepted on every URL field", () => {
  const padded = "https://shop.example/";
  const GOOD_URLS = [
    "https://shop.example/return",
    "HTTPS://SHOP.EXAMPLE/Return",
    "https://shop.example:8443/return?order=7&next=%2Fdone#top",
    "https://münchen.example/return",
    "https://xn--mnchen-3ya.example/return",
    "https://例え.jp/return",
    "http://localhost:3000/return",
    "http://127.0.0.1:5173/return?x=1",
    "http://[::1]:8080/return",
    "https://shop.example/return?session={CHECKOUT_SESSION_ID}",
    `${padded}${"a".repeat(2048 - padded.length)}`,
  ];

  it.each(GOOD_URLS.map((value) => ({ value, label: JSON.stringify(value).slice(0, 70) })))(
    "$label",
    async ({ value }) => {
      const [checkout, stablemint, settings] = await Promise.all([
        newMerchant(),
        newStablemintMerchant(),
        newMerchant(),
      ]);
      // The sessions made, for the index to catch up on before it is counted.
      const ids: string[] = [];
      const created = await Promise.all([
        ...CHECKOUT_FIELDS.map(async (field) => {
          const r = await checkout.call("POST", "/v1/checkout-sessions", {
            amount: 1050,
            currency: "EUR",
            return_url: GOOD,
            [field]: value,
          });
          if (r.status === 201) ids.push(r.json.checkout_session.id);
          return { field, status: r.status, stored: r.json.checkout_session?.[field] };
        }),
        ...STABLEMINT_FIELDS.map(async (field) => {
          const r = await stablemint.create("hosted", hostedBody({ [field]: value }));
          if (r.status === 200) ids.push(r.json.reference);
          return { field, status: r.status, stored: value };
        }),
      ]);
      expect(created).toEqual([
        ...CHECKOUT_FIELDS.map((field) => ({ field, status: 201, stored: value })),
        ...STABLEMINT_FIELDS.map((field) => ({ field, status: 200, stored: value })),
      ]);
      await projected(...ids);
      expect(await sessionCount(checkout.id)).toBe(CHECKOUT_FIELDS.length);
      expect(await sessionCount(stablemint.id)).toBe(STABLEMINT_FIELDS.length);

      // One PATCH after the other: two at once may race (409 concurrent_change).
      for (const field of MERCHANT_FIELDS) {
        const patched = await settings.call("PATCH", "/v1/merchant", { [field]: value });
        expect(patched.status, `${field}: ${JSON.stringify(patched.json)}`).toBe(200);
        expect(patched.json.merchant[field]).toBe(value);
      }
    },
  );
});

describe("a merchant that lists allowed origins gets only those", () => {
  const ORIGIN = "https://shop.example";
  let checkout: Merchant;
  let stablemint: StablemintMerchant;

  beforeAll(async () => {
    [checkout, stablemint] = await Promise.all([
      newMerchant(),
      newStablemintMerchant({ allowedOrigins: [ORIGIN] }),
    ]);
    const patched = await checkout.call("PATCH", "/v1/merchant", { allowed_origins: [ORIGIN] });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    expect(patched.json.merchant.allowed_origins).toEqual([ORIGIN]);
  });

  it("on its origin: accepted", async () => {
    const created = await checkout.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      url: `${ORIGIN}/checkout`,
      return_url: `${ORIGIN}/return`,
      cancel_url: `${ORIGIN}/cancel`,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const hosted = await stablemint.create(
      "hosted",
      hostedBody({
        successUrl: `${ORIGIN}/ok`,
        supportUrl: `${ORIGIN}/help`,
        exitUrl: `${ORIGIN}/exit`,
        errorUrl: `${ORIGIN}/error`,
      }),
    );
    expect(hosted.status, JSON.stringify(hosted.json)).toBe(200);
    // In the index before the tests below count its sessions ("nothing created" is a count).
    await projected(created.json.checkout_session.id, hosted.json.reference);
  });

  const OFF_ORIGIN = [
    "https://other.example/return",
    "https://shop.example.evil.example/return",
    "https://shop.example:8443/return",
    "http://shop.example/return",
    "http://localhost:3000/return",
    "https://sub.shop.example/return",
  ];

  it.each(OFF_ORIGIN)(
    "off its origin, %s: 422 redirect_url_not_allowed on each field, nothing created",
    async (value) => {
      const onOrigin = {
        successUrl: `${ORIGIN}/ok`,
        supportUrl: `${ORIGIN}/help`,
        exitUrl: `${ORIGIN}/exit`,
        errorUrl: `${ORIGIN}/error`,
      };
      const before = [await sessionCount(checkout.id), await sessionCount(stablemint.id)];
      const outcomes = await Promise.all([
        ...CHECKOUT_FIELDS.map(async (field) =>
          outcome(
            field,
            await checkout.call("POST", "/v1/checkout-sessions", {
              amount: 1050,
              currency: "EUR",
              return_url: `${ORIGIN}/return`,
              [field]: value,
            }),
          ),
        ),
        // supportUrl is left out: README says it may be a help-desk host, the code checks it
        // against the allowed origins too (reported, not asserted here).
        ...(["successUrl", "exitUrl", "errorUrl"] as const).map(async (field) =>
          outcome(
            field,
            await stablemint.create("hosted", hostedBody({ ...onOrigin, [field]: value })),
          ),
        ),
      ]);
      expect(outcomes).toEqual([
        ...CHECKOUT_FIELDS.map((field) => refusal(field, "redirect_url_not_allowed")),
        ...(["successUrl", "exitUrl", "errorUrl"] as const).map((field) =>
          refusal(field, "validation_failed"),
        ),
      ]);
      expect([await sessionCount(checkout.id), await sessionCount(stablemint.id)]).toEqual(before);
    },
  );

  it("a syntax failure is still validation_failed", async () => {
    const refused = await checkout.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: "https://user@shop.example/return",
    });
    expect(outcome("return_url", refused)).toEqual(refusal("return_url", "validation_failed"));
  });

  it("the merchant's support_url and logo_url are links, not redirects: another host is fine", async () => {
    const patched = await checkout.call("PATCH", "/v1/merchant", {
      support_url: "https://help.desk.example/shop",
    });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    const logo = await checkout.call("PATCH", "/v1/merchant", {
      logo_url: "https://cdn.example/logo.png",
    });
    expect(logo.status, JSON.stringify(logo.json)).toBe(200);
    expect(logo.json.merchant).toMatchObject({
      support_url: "https://help.desk.example/shop",
      logo_url: "https://cdn.example/logo.png",
      allowed_origins: [ORIGIN],
    });
  });
});
