/**
 * The sandbox 3-D Secure challenge: the page an issuer would show. It records Approve or Deny at
 * the sandbox provider, then sends the payer to the checkout's challenge return, which asks the
 * provider to complete the action. Self-contained HTML: no script, no external assets, so the
 * strict CSP below holds.
 *
 * `form-action 'self'` also governs every redirect after the form's POST (w3c/webappsec-csp#8):
 * the challenge return therefore never 303s to a merchant on another origin, it answers with a
 * page that moves on by itself (src/pages/message-page.ts, `challengeReturnResponse`).
 *
 * The page names the merchant and wears its brand colour (made readable by
 * src/pages/brand-color.ts), found through the charge id, which carries its session's object id:
 * one call to that object. A charge no session of ours owns gets the page unbranded.
 */
import * as z from "zod";
import type { RouteModule } from "../app.js";
import { notFound, ProblemError } from "../errors.js";
import { objectHexOf, sessionStub } from "../ids.js";
import { readableBrandColor } from "../pages/brand-color.js";
import { formatAmount as formatMoney } from "../pages/format.js";
import { escapeHtml } from "../pages/html.js";
import { embeddingOrigins } from "../pages/payer-session.js";
import { isChallenge, ledgerOf, type SandboxCharge } from "../providers/sandbox-ledger.js";
import { readBody } from "./read-body.js";

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
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
async function pagePolicy(env: Env, charge: SandboxCharge): Promise<string> {
  const hex = objectHexOf(charge.charge_id);
  const embedders =
    hex === null ? null : await embeddingOrigins(env, `cs_${hex}`).catch(() => null);
  const ancestors = ["'self'", ...(embedders ?? [])].join(" ");
  return `${PAGE_HEADERS["content-security-policy"]}; frame-ancestors ${ancestors}`;
}

const Decision = z.enum(["approve", "deny"]);

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
function formatAmount(amount: number, currency: string): string {
  try {
    return formatMoney(amount, currency, "en");
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

/** Who the payment is for, from the charge's session: its merchant's name and colour. */
interface Payee {
  name: string;
  brandColor: string | null;
}

async function payeeOf(env: Env, chargeId: string): Promise<Payee | null> {
  try {
    const viewed = await sessionStub(env, chargeId, "charge").view();
    if (!viewed.ok) return null;
    return { name: viewed.value.merchant.name, brandColor: viewed.value.merchant.brand_color };
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

function page(charge: SandboxCharge, payee: Payee | null): string {
  const amount = escapeHtml(formatAmount(charge.amount, charge.currency));
  const to = payee === null ? "" : ` to <strong>${escapeHtml(payee.name)}</strong>`;
  const body =
    charge.challenge === null
      ? `<p>Confirm the payment of <strong>${amount}</strong>${to}. This page stands in for the card issuer's check.</p>
<form method="post" action="/sandbox/challenge/${escapeHtml(encodeURIComponent(charge.charge_id))}">
<button class="approve" name="decision" value="approve">Approve</button>
<button name="decision" value="deny">Deny</button>
</form>`
      : `<p>The payment of <strong>${amount}</strong>${to} was ${charge.challenge}.</p>
<p><a href="${escapeHtml(returnPath(charge.charge_id))}">Continue</a></p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox 3-D Secure challenge</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.6rem 1.2rem;margin:0 .5rem .5rem 0;border-radius:.4rem;border:1px solid #888;background:#fff;cursor:pointer}
${approveStyle(payee)}</style></head>
<body><h1>Sandbox 3-D Secure challenge</h1>
${body}
</body></html>`;
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
    const charge = (await ledgerOf(env, chargeId)?.find(chargeId)) ?? null;
    if (charge === null || !isChallenge(charge)) throw notFound("challenge");
    const payee = await payeeOf(env, charge.charge_id);
    const headers = { ...PAGE_HEADERS, "content-security-policy": await pagePolicy(env, charge) };
    return new Response(page(charge, payee), { headers });
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
    const charge = (await ledgerOf(env, chargeId)?.decide(chargeId, decision.data)) ?? null;
    if (charge === null) throw notFound("challenge");
    return new Response(null, {
      status: 303,
      headers: { location: returnPath(chargeId), "cache-control": "no-store" },
    });
  });
};
