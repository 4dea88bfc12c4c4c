/**
 * The sandbox 3-D Secure challenge: a page with Approve and Deny that records the decision at the
 * sandbox provider, then sends the payer back through the checkout's challenge return.
 */
import type { RouteModule } from "../app.js";
import { notFound, ProblemError } from "../errors.js";
import { recordChallenge, sandboxCharge } from "../providers/sandbox.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
};

function page(chargeId: string, amount: number, currency: string): string {
  const formatted = new Intl.NumberFormat("en", { style: "currency", currency }).format(
    amount /
      10 **
        (new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
          .maximumFractionDigits ?? 2),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox 3-D Secure challenge</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:.4rem;border:1px solid #888;cursor:pointer}
.approve{background:#0a7d38;color:#fff;border-color:#0a7d38}</style></head>
<body><h1>Sandbox 3-D Secure challenge</h1>
<p>Confirm the payment of <strong>${escapeHtml(formatted)}</strong>. This page stands for the card issuer's check.</p>
<form method="post" action="/sandbox/challenge/${escapeHtml(chargeId)}">
<button class="approve" name="decision" value="approve">Approve</button>
<button name="decision" value="deny">Deny</button>
</form></body></html>`;
}

export const sandboxRoutes: RouteModule = (router) => {
  router.get("/sandbox/challenge/:chargeId", async (request, env) => {
    const charge = await sandboxCharge(env.DB, request.params.chargeId ?? "");
    if (charge === null) throw notFound("challenge");
    return new Response(page(request.params.chargeId ?? "", charge.amount, charge.currency), {
      headers: HEADERS,
    });
  });

  router.post("/sandbox/challenge/:chargeId", async (request, env) => {
    const chargeId = request.params.chargeId ?? "";
    const form = await request.formData().catch(() => null);
    const decision = form?.get("decision");
    if (decision !== "approve" && decision !== "deny") {
      throw new ProblemError(422, "invalid_decision", "decision must be approve or deny.");
    }
    const recorded = await recordChallenge(
      env.DB,
      chargeId,
      decision === "approve" ? "approved" : "denied",
    );
    if (recorded === null) throw notFound("challenge");
    const location = `/v1/checkout-sessions/challenge-return?charge_id=${encodeURIComponent(chargeId)}`;
    return new Response(null, { status: 303, headers: { location } });
  });
};
