/**
 * Pages that only say something: a link that is not valid, a page opened without its link, and
 * the step between a form of ours (the 3-D Secure challenge, the way back) and the merchant.
 */
import { objectHexOf } from "../ids.js";
import { type Framing, htmlResponse, renderDocument } from "./document.js";
import { html } from "./html.js";
import { embeddingOrigins } from "./payer-session.js";

export function messagePage(status: number, title: string, text: string): Response {
  const body = html`<main class="interstitial"><h1>${title}</h1><p>${text}</p></main>`;
  return htmlResponse(
    renderDocument({ title, lang: "en", page: "message", body }),
    { kind: "hosted" },
    status,
  );
}

export const invalidLinkPage = () =>
  messagePage(
    404,
    "This payment link is not valid",
    "Check that you opened the whole link, or ask the merchant for a new one.",
  );

/** The hosted page opened without the cookie its token link sets (shared, another browser). */
export const openLinkAgainPage = () =>
  messagePage(
    401,
    "Open your payment link again",
    "For your security, this page opens only from the payment link the merchant gave you, in the browser where you opened it.",
  );

/**
 * Sends the payer on to `destination` in answer to a form of ours. CSP `form-action` applies to
 * every redirect that follows a form submission (w3c/webappsec-csp#8), so a 303 from a form
 * (`form-action 'self'`) to a merchant on another origin is blocked by the browser. A
 * same-origin destination is a plain 303; another origin gets a small page of ours that moves
 * on by itself (meta refresh, a new navigation that no form started) with a link.
 *
 * @example
 * continueTo(request, "https://shop.example/cancel"); // 200, refreshes to the shop's page
 */
export function continueTo(request: Request, destination: string): Response {
  if (new URL(destination).origin === new URL(request.url).origin) {
    return new Response(null, {
      status: 303,
      headers: { location: destination, "referrer-policy": "no-referrer" },
    });
  }
  const body = html`<main class="interstitial"><h1>Returning you to the merchant…</h1>
<p><a class="button" href="${destination}" rel="noreferrer">Continue</a></p></main>`;
  return htmlResponse(
    renderDocument({
      title: "Returning to the merchant",
      lang: "en",
      page: "message",
      body,
      refreshTo: destination,
    }),
    { kind: "hosted" },
  );
}

/**
 * Where the payer goes once the bank's check is done: on to the destination (`continueTo`).
 * Inside the embedded checkout (`Sec-Fetch-Dest: iframe`) the payer stays in the frame: the
 * page tells the checkout around it that the check is over, and the checkout shows the outcome.
 */
export async function challengeReturnResponse(
  request: Request,
  env: Env,
  chargeId: string,
  destination: string,
): Promise<Response> {
  if (request.headers.get("sec-fetch-dest") === "iframe") {
    const hex = objectHexOf(chargeId);
    const merchantOrigins = hex === null ? [] : ((await embeddingOrigins(env, `cs_${hex}`)) ?? []);
    const framing: Framing = { kind: "embedded", ancestors: ["'self'", ...merchantOrigins] };
    const body = html`<main class="interstitial"><p>Checked. Returning to the checkout…</p></main>`;
    return htmlResponse(
      renderDocument({
        title: "Returning to the checkout",
        lang: "en",
        page: "challenge-returned",
        body,
      }),
      framing,
    );
  }
  return continueTo(request, destination);
}
