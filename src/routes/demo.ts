/**
 * `GET /demo/return?session_id=…`: the quick start's return page, standing in for a merchant's
 * own. It does what a merchant's return page should do, look the session up on the server by the
 * `session_id` every redirect carries, and shows the outcome; the webhook, not this page, is
 * the signal to fulfil an order. It reads the payer's view (no metadata, customer or keys).
 */
import type { RouteModule } from "../app.js";
import { sessionStub } from "../ids.js";
import { htmlResponse, renderDocument } from "../pages/document.js";
import { formatAmount } from "../pages/format.js";
import { html } from "../pages/html.js";
import { invalidLinkPage } from "../pages/message-page.js";
import { isSessionId } from "../pages/payer-auth.js";

const HEADLINES: Record<string, string> = {
  COMPLETED: "Payment received",
  PROCESSING: "Payment in progress",
  PENDING: "Not paid yet",
  CANCELLED: "Checkout cancelled",
  EXPIRED: "Checkout expired",
  FAILED: "Payment failed",
};

export const demoRoutes: RouteModule = (router) => {
  router.get("/demo/return", async (request, env) => {
    const id = typeof request.query.session_id === "string" ? request.query.session_id : "";
    if (!isSessionId(id)) return invalidLinkPage(request, env);
    const found = await sessionStub(env, id).view();
    if (!found.ok) return invalidLinkPage(request, env);
    const view = found.value;
    const amount = view.amount === null ? "" : formatAmount(view.amount, view.currency, "en-GB");
    const body = html`<main class="interstitial" id="demo-return">
<h1>${HEADLINES[view.status] ?? view.status}</h1>
<p>${view.merchant.name}${amount === "" ? "" : ` · ${amount}`}</p>
<dl class="demo-facts">
<dt>Session</dt><dd><code>${view.id}</code></dd>
<dt>Status</dt><dd id="demo-status">${view.status}</dd>
<dt>Payment</dt><dd id="demo-payment">${view.payment?.status ?? "none"}</dd>
</dl>
<p>This is the sandbox's demo return page. Your own return page should look the session up with
<code>GET /v1/checkout-sessions/${view.id}</code> and fulfil the order only on the
<code>checkout_session.completed</code> webhook.</p>
</main>`;
    return htmlResponse(
      renderDocument({ title: "Back at the shop", lang: "en", page: "message", body }),
      { kind: "hosted" },
    );
  });
};
