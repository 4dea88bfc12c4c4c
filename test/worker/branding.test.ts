/**
 * The merchant on the payer's pages, as the Worker renders them: logo box, brand stylesheet,
 * help link and the sandbox's "Test mode" badge on the checkout and on the page between the
 * way back and the merchant; nothing of any merchant on a link that opens nothing; and banks
 * listed by the payer's country first (StableMint `userCountryCode`), then by the language's.
 */
import { describe, expect, it } from "vitest";
import { bankList } from "../../src/pages/bank-choice.js";
import { CATALOGUES } from "../../src/pages/i18n/index.js";
import { Messages } from "../../src/pages/messages.js";
import { CARDS, call, card, confirm, newMerchant, PAYER, RETURN_URL } from "./api.js";
import { hostedBody, stablemint } from "./stablemint-api.js";

/** The hosted page as a browser with these headers sees it, and the cookie it was given. */
async function hostedPage(link: string, headers: Record<string, string> = {}) {
  const traded = await call(
    "GET",
    new URL(link).pathname + new URL(link).search,
    undefined,
    headers,
  );
  expect(traded.status).toBe(303);
  const cookie = (traded.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const location = traded.headers.get("location") ?? "";
  const page = await call("GET", location, undefined, { ...headers, cookie });
  expect(page.status).toBe(200);
  return { html: page.json as string, cookie, path: location };
}

/** A merchant of its own, branded as a PATCH sets it, and one of its sessions' hosted page. */
async function brandedMerchant() {
  const shop = await newMerchant();
  const patched = await shop.call("PATCH", "/v1/merchant", {
    name: "Lumen & Co",
    logo_url: "https://cdn.example/lumen-wordmark.svg",
    brand_color: "#ff8800",
    support_url: "https://help.example/lumen",
  });
  expect(patched.status).toBe(200);
  const create = async (extra: Record<string, unknown> = {}) => {
    const created = await shop.call("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: RETURN_URL,
      cancel_url: "https://shop.example/cancel",
      ...extra,
    });
    expect(created.status).toBe(201);
    return created.json.checkout_session as { id: string; token: string; url: string };
  };
  return { shop, create };
}

describe("the sandbox 3-D Secure challenge page", () => {
  it("names the merchant with its logo, says it is a test, and keeps its strict policy", async () => {
    const { create } = await brandedMerchant();
    const session = await create();
    const confirmed = await call("POST", `/v1/checkout-sessions/token/${session.token}/confirm`, {
      payment_method: card(CARDS.challenge),
      payer: PAYER,
    });
    const url = new URL(confirmed.json.confirmResult.paymentNextAction.url);
    const page = await call("GET", url.pathname);
    expect(page.status).toBe(200);
    const html = page.json as string;
    expect(html).toContain(`<img class="logo" src="/pay/${session.id}/logo" alt="">`);
    expect(html).toContain('<span class="merchant">Lumen &amp; Co</span>');
    expect(html).toMatch(/<main><h1>Sandbox 3-D Secure challenge<\/h1>/);
    expect(html).toContain("<strong>Test mode</strong>");
    expect(page.headers.get("content-security-policy")).toMatch(
      /^default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors /,
    );
    expect(html).not.toMatch(/<script/i);
  });
});

describe("the merchant on the payer's pages", () => {
  it("the checkout wears the logo box, brand stylesheet, help link and Test mode badge", async () => {
    const { create } = await brandedMerchant();
    const session = await create();
    const { html } = await hostedPage(`${session.url}?token=${session.token}`);
    // No fixed size on the logo: its box (static/checkout.css) keeps a wordmark's ratio.
    expect(html).toContain(`<img class="logo" src="/pay/${session.id}/logo" alt="">`);
    expect(html).toContain(`<span class="merchant-name">Lumen &amp; Co</span>`);
    expect(html).toContain(
      `<link rel="stylesheet" class="brand-style" href="/assets/brand/ff8800.css">`,
    );
    expect(html).toContain(
      `<a class="support" href="https://help.example/lumen" rel="noreferrer" target="_blank">Need help? Contact Lumen &amp; Co</a>`,
    );
    expect(html).toContain(
      `<p class="test-mode"><strong class="test-mode-badge">Test mode</strong> <span>This is a sandbox payment: no real money moves.</span></p>`,
    );
    // The open form's one heading, for screen readers.
    expect(html).toContain(`<h1 class="visually-hidden">Pay Lumen &amp; Co</h1>`);
    const view = await call("GET", `/v1/checkout-sessions/token/${session.token}`);
    expect(view.json.checkout_session).toMatchObject({ test_mode: true, payer_country: null });
  });

  it("the brand stylesheet gives orange black text and darker accents and links, all readable", async () => {
    const css = await call("GET", "/assets/brand/ff8800.css");
    expect(css.json).toBe(
      ":root { --brand: #ff8800; --brand-dark: #e07800; --brand-ink: #000000; --accent: #e07800; --link: #ad5c00; --ring: rgba(224, 120, 0, 0.35); }\n",
    );
  });

  it("the closed page says it in the payer's language, badge and help link included", async () => {
    const { create } = await brandedMerchant();
    const session = await create({ locale: "tr" });
    await confirm(session.token, CARDS.success);
    const { html } = await hostedPage(`${session.url}?token=${session.token}`);
    expect(html).toContain("Ödeme başarılı");
    expect(html).toContain(">Test modu</strong>");
    expect(html).toContain(">Yardım mı gerekiyor? Lumen &amp; Co ile iletişime geçin</a>");
    expect(html).not.toContain('class="visually-hidden"'); // the outcome has its own heading
  });

  it("the way back without script: the page that moves on wears the merchant", async () => {
    const { create } = await brandedMerchant();
    const session = await create({ locale: "de" });
    const { cookie, path } = await hostedPage(`${session.url}?token=${session.token}`);
    // A form post from our page, as the browser sends it (README "Payer pages").
    const left = await call("POST", `${path}/exit`, "", {
      "content-type": "application/x-www-form-urlencoded",
      cookie,
      origin: "null",
      "sec-fetch-site": "same-origin",
    });
    expect(left.status).toBe(200);
    const html = left.json as string;
    expect(html).toContain(
      `<meta http-equiv="refresh" content="0; url=https://shop.example/cancel?session_id=${session.id}">`,
    );
    expect(html).toContain(`<span class="merchant-name">Lumen &amp; Co</span>`);
    expect(html).toContain(`<img class="logo" src="/pay/${session.id}/logo" alt="">`);
    expect(html).toContain(">Testmodus</strong>");
    expect(html).toContain(">Brauchen Sie Hilfe? Lumen &amp; Co kontaktieren</a>");
    expect(html).toContain(`href="/assets/brand/ff8800.css"`);
  });

  it("a link that opens nothing names no merchant, even one of a real session", async () => {
    const { create } = await brandedMerchant();
    const session = await create();
    const forged = await call("GET", `/pay/${session.id}.bm90LXRoZS1tYWM`);
    expect(forged.status).toBe(404);
    expect(forged.json).toContain("This payment link is not valid");
    expect(forged.json).not.toMatch(/Lumen|test-mode|help\.example|brand-style/);
  });
});

describe("banks by the payer's country", () => {
  /** The bank groups' headings in the order the page lists them. */
  const groups = (html: string) =>
    [...html.matchAll(/<p class="bank-country" id="banks-\w+">([^<]*)<\/p>/g)].map((m) => m[1]);

  it("StableMint's userCountryCode comes first, then the browser's region, then by name", async () => {
    const created = await stablemint("hosted", hostedBody({ userCountryCode: "PL" }));
    expect(created.status).toBe(200);
    const { html } = await hostedPage(created.json.url, { "accept-language": "en-GB" });
    expect(groups(html)).toEqual(["Poland", "United Kingdom", "France", "Germany", "Netherlands"]);
    // Named in the page's language, with the same order rules.
    const german = await hostedPage(created.json.url, { "accept-language": "de-DE" });
    expect(groups(german.html)).toEqual([
      "Polen",
      "Deutschland",
      "Frankreich",
      "Niederlande",
      "Vereinigtes Königreich",
    ]);
    const view = await call(
      "GET",
      `/v1/checkout-sessions/token/${new URL(created.json.url).pathname.split("/").at(-1)}`,
    );
    expect(view.json.checkout_session.payer_country).toBe("PL");
  });

  it("a checkout session takes the payer's country from the billing address of a confirm", async () => {
    const { create } = await brandedMerchant();
    const session = await create({ payer_fields: { billing_address: "required" } });
    const address = { line1: "Damrak 1", city: "Amsterdam", postal_code: "1012 LG", country: "NL" };
    const declined = await confirm(session.token, CARDS.declined, {
      payer: { name: "Ada Lovelace", email: "ada@example.com", billing_address: address },
    });
    expect(declined.json.checkout_session).toMatchObject({
      status: "PENDING",
      payer_country: "NL",
    });
    // The next try starts from that country, not the browser's (en-GB).
    const { html } = await hostedPage(`${session.url}?token=${session.token}`, {
      "accept-language": "en-GB",
    });
    expect(html).toContain(`<option value="NL" selected>`);
    expect(html).not.toContain(`<option value="GB" selected>`);
  });

  it("bankList: the countries given first, in their order, the rest by name; used banks above all", () => {
    const m = new Messages("en", "en-GB", CATALOGUES.en);
    const bank = (id: string, country: string, lastUsedAt: string | null = null) => ({
      id,
      name: `Bank ${id}`,
      country,
      logo_url: `/banks/${id}/logo.svg`,
      last_used_at: lastUsedAt,
    });
    const banks = [bank("de", "DE"), bank("fr", "FR"), bank("nl", "NL"), bank("gb", "GB")];
    const order = (first: readonly (string | null)[], list = banks) =>
      groups(bankList(list, first, false, m).value);
    expect(order(["NL", "GB"])).toEqual(["Netherlands", "United Kingdom", "France", "Germany"]);
    expect(order([null, "FR"])).toEqual(["France", "Germany", "Netherlands", "United Kingdom"]);
    expect(order(["FR", "FR"])).toEqual(["France", "Germany", "Netherlands", "United Kingdom"]);
    expect(order([])).toEqual(["France", "Germany", "Netherlands", "United Kingdom"]);
    const used = [...banks, bank("pl", "PL", "2026-01-01T00:00:00.000Z")];
    expect(order(["NL"], used)).toEqual([
      "Used before",
      "Netherlands",
      "France",
      "Germany",
      "United Kingdom",
    ]);
  });
});
