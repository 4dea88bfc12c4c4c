/**
 * The sandbox 3-D Secure challenge: the page an issuer would show, served on our origin because
 * the sandbox PSP has no address of its own (it is reached only through the SANDBOX_PSP binding).
 * It asks the sandbox's issuer (`/acs/:reference`) what to show, records Approve or Deny there,
 * then sends the payer to the checkout's challenge return, which asks the
 * provider to complete the action. Self-contained HTML: no script, no external assets, so the
 * strict CSP below holds.
 *
 * `form-action 'self'` also governs every redirect after the form's POST (w3c/webappsec-csp#8):
 * the challenge return therefore never 303s to a merchant on another origin, it answers with a
 * page that moves on by itself (src/pages/message-page.ts, `challengeReturnResponse`).
 *
 * The page names the merchant with its logo, says it is a test (the sandbox is), wears its brand colour (made readable by
 * src/pages/brand-color.ts) and speaks the session's language (else the browser's), all found
 * through the charge id, which carries its session's object id: one call to that object. A
 * charge no session of ours owns gets the page unbranded, in the browser's language.
 */
import * as z from "zod";
import { Challenge } from "../../sandbox-psp/api.js";
import type { RouteModule } from "../app.js";
import { notFound, ProblemError } from "../errors.js";
import { objectHexOf, sessionStub } from "../ids.js";
import { readableBrandColor } from "../pages/brand-color.js";
import { formatAmount as formatMoney } from "../pages/format.js";
import { type Html, html } from "../pages/html.js";
import { type Messages, messagesFor } from "../pages/messages.js";
import { embeddingOrigins } from "../pages/payer-session.js";
import { sandboxAcs } from "../providers/sandbox.js";
import { readBody } from "./read-body.js";

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

/**
 * The page's CSP: no script, inline style only, forms only to us, and framed only where the
 * checkout is. Hosted, the page is top level; embedded, it is in the checkout's frame of its own,
 * so its ancestors are us and the merchant's page: the origins that may embed the checkout, as
 * for the challenge return's page (src/pages/message-page.ts). Nobody else can frame the Approve
 * button to have it clicked unseen.
 */
async function pagePolicy(env: Env, charge: Challenge): Promise<string> {
  const hex = objectHexOf(charge.reference);
  const embedders =
    hex === null ? null : await embeddingOrigins(env, `cs_${hex}`).catch(() => null);
  const ancestors = ["'self'", ...(embedders ?? [])].join(" ");
  return `${PAGE_HEADERS["content-security-policy"]}; frame-ancestors ${ancestors}`;
}

const Decision = z.enum(["approve", "deny"]);

/** Our charge ids (`pay_<64 hex>_ch<n>`): anything else names no challenge. */
const CHARGE_ID = /^pay_[0-9a-f]{64}_ch\d+$/;

/** The issuer's challenge for a charge of ours, or null (no such challenge, or not our id). */
async function challengeOf(env: Env, chargeId: string, decision?: "approve" | "deny") {
  if (!CHARGE_ID.test(chargeId)) return null;
  const init =
    decision === undefined
      ? undefined
      : {
          method: "POST",
          body: JSON.stringify({ decision }),
          headers: { "content-type": "application/json" },
        };
  const answer = await sandboxAcs(env, chargeId, init);
  if (answer.status === 404) return null;
  return Challenge.parse(await answer.json());
}

/** The charge id from the path: itty hands params over still percent-encoded. */
function chargeIdOf(param: string | undefined): string {
  try {
    return decodeURIComponent(param ?? "");
  } catch {
    return ""; // Malformed escapes name no charge: a 404 follows.
  }
}

const returnPath = (chargeId: string) =>
  `/v1/checkout-sessions/challenge-return?charge_id=${encodeURIComponent(chargeId)}`;

/** Minor units shown in major units (1050 EUR → €10.50); plain figures if the code is odd. */
function formatAmount(amount: number, currency: string, locale: string): string {
  try {
    return formatMoney(amount, currency, locale);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

/** Who the payment is for, from the charge's session: its merchant's name, logo and colour. */
interface Payee {
  name: string;
  /** The session's id, whose `/pay/<id>/logo` serves the merchant's logo; null without one. */
  logoOf: string | null;
  brandColor: string | null;
  /** The session's `locale`: the page's language, or `auto`. */
  locale: string;
}

async function payeeOf(env: Env, chargeId: string): Promise<Payee | null> {
  try {
    const viewed = await sessionStub(env, chargeId, "charge").view();
    if (!viewed.ok) return null;
    const { merchant, locale, id } = viewed.value;
    const logoOf = merchant.logo_url === null ? null : id;
    return { name: merchant.name, logoOf, brandColor: merchant.brand_color, locale };
  } catch {
    return null; // Not one of our ids, or an id this namespace never issued.
  }
}

/** The approve button's colours: the merchant's, readable, else our green. */
function approveStyle(payee: Payee | null): string {
  const colors =
    payee === null || payee.brandColor === null
      ? { background: "#0a7d38", text: "#ffffff" }
      : readableBrandColor(payee.brandColor);
  return `.approve{background:${colors.background};color:${colors.text};border-color:${colors.background}}`;
}

/** What the page asks, or what was decided: "Confirm the payment of €10.50 to Corner Shop." */
function question(charge: Challenge, payee: Payee | null, m: Messages): Html {
  const values = {
    amount: html`<strong>${formatAmount(charge.amount, charge.currency, m.locale)}</strong>`,
    merchant: payee === null ? "" : html`<strong>${payee.name}</strong>`,
  };
  const key =
    charge.decision === null
      ? "challengeAsk"
      : charge.decision === "approved"
        ? "challengeApproved"
        : "challengeDenied";
  return m.html(payee === null ? key : `${key}To`, values);
}

function page(charge: Challenge, payee: Payee | null, m: Messages): string {
  const body =
    charge.decision === null
      ? html`<p>${question(charge, payee, m)}</p>
<form method="post" action="/sandbox/challenge/${encodeURIComponent(charge.reference)}">
<button class="approve" name="decision" value="approve">${m.text("approve")}</button>
<button name="decision" value="deny">${m.text("deny")}</button>
</form>`
      : html`<p>${question(charge, payee, m)}</p>
<p><a href="${returnPath(charge.reference)}">${m.text("continue")}</a></p>`;
  return html`<!doctype html>
<html lang="${m.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.text("challengeTitle")}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem;line-height:1.25;margin:.5rem 0 1rem}
header{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
.logo{max-height:40px;max-width:200px;object-fit:contain}
.merchant{font-weight:600}
.test-mode{margin:.75rem 0;padding:.25rem .6rem;border:1px solid #e3b341;border-radius:.5rem;background:#fff6d9;font-size:.875rem}
button{font:inherit;padding:.6rem 1.2rem;margin:0 .5rem .5rem 0;border-radius:.4rem;border:1px solid #888;background:#fff;cursor:pointer}
${approveStyle(payee)}</style></head>
<body>${
    payee === null
      ? ""
      : html`<header>${payee.logoOf === null ? "" : html`<img class="logo" src="/pay/${payee.logoOf}/logo" alt="">`}<span class="merchant">${payee.name}</span></header>`
  }
<main><h1>${m.text("challengeTitle")}</h1>
<p class="test-mode"><strong>${m.text("testMode")}</strong> ${m.text("testModeText")}</p>
${body}
</main>
</body></html>`.value;
}

/**
 * GET and POST `/sandbox/challenge/:chargeId`.
 *
 * @example
 * sandboxRoutes(router); // POST decision=approve → 303 /v1/checkout-sessions/challenge-return?charge_id=…
 */
export const sandboxRoutes: RouteModule = (router) => {
  router.get("/sandbox/challenge/:chargeId", async (request, env) => {
    const chargeId = chargeIdOf(request.params.chargeId);
    const charge = await challengeOf(env, chargeId);
    if (charge === null) throw notFound("challenge");
    const payee = await payeeOf(env, charge.reference);
    const m = await messagesFor(env, request, payee?.locale);
    const headers = { ...PAGE_HEADERS, "content-security-policy": await pagePolicy(env, charge) };
    return new Response(page(charge, payee, m), { headers });
  });

  router.post("/sandbox/challenge/:chargeId", async (request, env) => {
    const chargeId = chargeIdOf(request.params.chargeId);
    // Read under the limit (413) first; a body that is not a form (wrong type, malformed) is
    // then as invalid as a wrong value.
    const body = new Response(await readBody(request), {
      headers: { "content-type": request.headers.get("content-type") ?? "" },
    });
    const form = await body.formData().catch(() => null);
    const decision = Decision.safeParse(form?.get("decision"));
    if (!decision.success) {
      throw new ProblemError(422, "invalid_decision", "The decision must be approve or deny.", [
        { field: "decision", message: "Must be approve or deny." },
      ]);
    }
    // The first decision stands; a repeat (a double click, a reload) is sent on all the same.
    const charge = await challengeOf(env, chargeId, decision.data);
    if (charge === null) throw notFound("challenge");
    return new Response(null, {
      status: 303,
      headers: { location: returnPath(chargeId), "cache-control": "no-store" },
    });
  });
};
