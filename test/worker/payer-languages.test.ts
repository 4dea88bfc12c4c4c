/**
 * Every payer's language: the hosted page, its script's messages, the closed pages, the link
 * pages and the sandbox 3-D Secure challenge speak the session's `locale` (a create field),
 * else the best match of the browser's `Accept-Language`, else English; amounts, dates and
 * country names are written by `Intl` in that locale. The catalogues themselves are checked
 * key for key in test/machines/i18n.test.ts.
 */
import { describe, expect, it } from "vitest";
import { CATALOGUES } from "../../src/pages/i18n/index.js";
import { PAYER_LANGUAGES } from "../../src/schemas.js";
import { advanceClock, CARDS, call, confirm, createSession, merchant } from "./api.js";

/** The hosted page as a browser with these headers sees it (the token link, then the page). */
async function hostedPage(token: string, headers: Record<string, string> = {}) {
  const link = await call("GET", `/pay/${token}`, undefined, headers);
  expect(link.status).toBe(303);
  const cookie = (link.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const page = await call("GET", link.headers.get("location") ?? "", undefined, {
    ...headers,
    cookie,
  });
  expect(page.status).toBe(200);
  return page.json as string;
}

/** The page's script messages, as the page hands them over (`data-messages` on <body>). */
function scriptMessages(page: string): Record<string, string> {
  const attribute = /<body[^>]* data-messages="([^"]*)"/.exec(page)?.[1] ?? "{}";
  return JSON.parse(
    attribute.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&"),
  );
}

const TURKISH = { "accept-language": "tr-TR,tr;q=0.9,en;q=0.5" };

/** English main labels that no other language's page may show. */
const ENGLISH_LABELS = [
  ">Total due<",
  ">Order summary<",
  ">Contact<",
  ">Email<",
  ">Full name<",
  ">Card details<",
  ">Card number ",
  ">Expiry<",
  ">CVC<",
  ">Pay ",
  "Secure checkout",
  "Card numbers are never stored",
  "Powered by",
  "Back to ",
  "Billing address",
  "Postal code",
  ">Country<",
  ">Select…<",
];

describe("the page's language", () => {
  it("is the browser's: a tr-TR browser gets Turkish and ₺125,00 on a TRY session", async () => {
    const session = await createSession({ amount: 12500, currency: "TRY" });
    const page = await hostedPage(session.token, TURKISH);
    expect(page).toContain('<html lang="tr-TR">');
    expect(page).toContain(">Ödenecek tutar<");
    expect(page).toContain("₺125,00 öde");
    expect(page).toContain('>Kart numarası <span class="card-brand"');
    expect(page).toContain("<title>Sandbox Store · ₺125,00</title>");
    expect(page).not.toContain("Total due");
    expect(page).not.toContain("Pay ₺");
    // The page's script speaks Turkish too.
    expect(scriptMessages(page)).toEqual(CATALOGUES.tr.script);
  });

  it("is the session's when it has one: locale de wins over Accept-Language", async () => {
    const session = await createSession({ amount: 12500, currency: "TRY", locale: "de" });
    const page = await hostedPage(session.token, TURKISH);
    expect(page).toContain('<html lang="de">');
    expect(page).toContain(">Zu zahlen<");
    expect(page).toContain("125,00\u00a0TRY bezahlen");
    expect(page).not.toContain("Ödenecek tutar");
    expect(scriptMessages(page).processing).toBe("Wird verarbeitet…");
  });

  it("takes the browser's region for a session's bare language", async () => {
    const session = await createSession({ locale: "es" });
    const page = await hostedPage(session.token, { "accept-language": "es-MX, en;q=0.5" });
    expect(page).toContain('<html lang="es-MX">');
    expect(page).toContain("Pagar EUR");
  });

  it("is the best match among the languages the pages speak, else English", async () => {
    const session = await createSession();
    const french = await hostedPage(session.token, {
      "accept-language": "it-IT, fr;q=0.7, de;q=0.9",
    });
    expect(french).toContain('<html lang="de">');
    const english = await hostedPage(session.token, { "accept-language": "it-IT, ja" });
    expect(english).toContain('<html lang="en">');
    expect(english).toContain(">Total due<");
    expect(english).toContain("Pay €10.50");
    const none = await hostedPage(session.token);
    expect(none).toContain('<html lang="en">');
  });

  it.each(PAYER_LANGUAGES.filter((language) => language !== "en"))(
    "%s: the page's main labels are all in that language",
    async (language) => {
      const session = await createSession({
        locale: language,
        payer_fields: { billing_address: "required", shipping_address: "optional" },
      });
      const page = await hostedPage(session.token);
      const words = CATALOGUES[language];
      expect(page).toContain(`<html lang="${language}">`);
      for (const label of ENGLISH_LABELS) expect(page, label).not.toContain(label);
      for (const key of [
        "totalDue",
        "cardNumber",
        "expiry",
        "securityCode",
        "billingAddress",
      ] as const) {
        // The card number's label is followed by the brand the payer types (a live slot).
        const after = key === "cardNumber" ? ' <span class="card-brand"' : "<";
        expect(page, key).toContain(`>${words.page[key]}${after}`);
      }
      expect(scriptMessages(page)).toEqual(words.script);
    },
  );
});

describe("what is written through Intl in the page's locale", () => {
  it("names countries in the page's language", async () => {
    const session = await createSession({ payer_fields: { billing_address: "required" } });
    const german = await hostedPage(session.token, { "accept-language": "de-DE" });
    expect(german).toMatch(/<option value="DE" selected>Deutschland<\/option>/);
    const turkish = await hostedPage(session.token, TURKISH);
    expect(turkish).toMatch(/<option value="TR" selected>Türkiye<\/option>/);
  });

  it("dates the expiry of a link that ran out", async () => {
    const session = await createSession({ expires_in: 60, locale: "fr" });
    await advanceClock(session.id, 61_000);
    const page = await hostedPage(session.token);
    expect(page).toContain("Ce lien de paiement a expiré");
    // "Expiré le 1 décembre 2026 à 19:11 UTC", in whatever month this test runs.
    expect(page).toMatch(
      /<time datetime="[^"]+">Expiré le \d{1,2} [a-zéû]+ \d{4} à \d\d:\d\d UTC<\/time>/,
    );
  });
});

describe("the other pages speak the same language", () => {
  it("the outcome of a paid session", async () => {
    const session = await createSession({ locale: "tr-TR" });
    expect((await confirm(session.token, CARDS.success)).status).toBe(200);
    const page = await hostedPage(session.token);
    expect(page).toContain("Ödeme başarılı");
    expect(page).toContain("Sandbox Store işletmesine");
    expect(page).toContain("Visa •••• 4242</span> ile");
  });

  it("the outcome of a cancelled session, and the script's state answer", async () => {
    const session = await createSession({ locale: "es" });
    await merchant("POST", `/v1/checkout-sessions/${session.id}/cancel`);
    const page = await hostedPage(session.token);
    expect(page).toContain("Este pago se ha cancelado");
    const link = await call("GET", `/pay/${session.token}`);
    const cookie = (link.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const state = await call("GET", `/pay/${session.id}/session`, undefined, { cookie });
    expect(state.json.checkout_session.locale).toBe("es");
    expect(state.json.html).toContain("No se ha realizado ningún cobro.");
  });

  it("a decline, with its attempts left", async () => {
    const session = await createSession({ locale: "de" });
    await confirm(session.token, CARDS.declined);
    const page = await hostedPage(session.token);
    expect(page).toContain("<strong>Ihre Karte wurde abgelehnt.</strong>");
    expect(page).toContain("Noch 2 Versuche.");
  });

  it("the link pages, in the browser's language", async () => {
    const invalid = await call("GET", "/pay/cs_nothing.x", undefined, {
      "accept-language": "es-ES",
    });
    expect(invalid.status).toBe(404);
    expect(invalid.json).toContain('<html lang="es-ES">');
    expect(invalid.json).toContain("Este enlace de pago no es válido");
    const session = await createSession();
    const again = await call("GET", `/pay/${session.id}`, undefined, { "accept-language": "fr" });
    expect(again.status).toBe(401);
    expect(again.json).toContain("Ouvrez à nouveau votre lien de paiement");
  });

  it("the sandbox 3-D Secure challenge", async () => {
    const session = await createSession({ locale: "fr", amount: 2350 });
    const confirmed = await confirm(session.token, CARDS.challenge);
    const url = new URL(confirmed.json.confirmResult.paymentNextAction.url);
    const challenge = await call("GET", url.pathname, undefined, TURKISH);
    expect(challenge.status).toBe(200);
    expect(challenge.json).toContain('<html lang="fr">');
    expect(challenge.json).toContain("Confirmez le paiement de <strong>23,50\u00a0€</strong>");
    expect(challenge.json).toMatch(/>Approuver<[\s\S]*>Refuser</);
    expect(challenge.json).not.toContain("Approve");
  });

  it("the embedded checkout's frame, from its first word", async () => {
    const session = await createSession({ locale: "tr" });
    const frame = await call("GET", `/embed/${session.id}`, undefined, { "accept-language": "de" });
    expect(frame.status).toBe(200);
    expect(frame.json).toContain('<html lang="tr">');
    expect(frame.json).toContain("Ödeme sayfası yükleniyor…");
    expect(scriptMessages(frame.json)).toEqual(CATALOGUES.tr.script);
  });
});

describe("the locale a session is created with", () => {
  it("is auto by default, and kept in canonical form", async () => {
    const plain = await createSession();
    const viewed = await call("GET", `/v1/checkout-sessions/token/${plain.token}`);
    expect(viewed.json.checkout_session.locale).toBe("auto");
    const turkish = await createSession({ locale: "TR-tr" });
    const again = await call("GET", `/v1/checkout-sessions/token/${turkish.token}`);
    expect(again.json.checkout_session.locale).toBe("tr-TR");
  });

  it.each(["it", "xx", "en_GB", "", "tr-", 42])("refuses %j with a 422", async (locale) => {
    const created = await merchant("POST", "/v1/checkout-sessions", {
      amount: 1050,
      currency: "EUR",
      return_url: "http://127.0.0.1:8787/demo/return",
      locale,
    });
    expect(created.status).toBe(422);
    expect(created.json.errors.map((e: { field: string }) => e.field)).toEqual(["locale"]);
  });
});

describe("the pages' icons", () => {
  it("are first-party SVG files, and nothing else is", async () => {
    const icon = await call("GET", "/assets/icons/success.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(icon.json).toContain("<svg");
    expect((await call("GET", "/assets/icons/nope.svg")).status).toBe(404);
    expect((await call("GET", "/assets/icons/..%2Fcheckout.js")).status).toBe(404);
  });
});
