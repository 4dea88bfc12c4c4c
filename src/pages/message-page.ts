/**
 * Pages that only say something: a link that is not valid, a page opened without its link, and
 * the step between a form of ours (the 3-D Secure challenge, the way back) and the merchant.
 * Each speaks the language of the session it is about, else the browser's, and, when it is
 * about a session its payer reached it through, wears that session's merchant: name, logo,
 * colour, help link and "Test mode" badge. A link that opens nothing names no merchant: a
 * forged or stale link must not learn whose session an id is.
 */
import { objectHexOf } from "../ids.js";
import { brandLink, merchantLine, supportLink, testModeBadge } from "./branding.js";
import type { PublicView } from "./destinations.js";
import { type Framing, htmlResponse, renderDocument } from "./document.js";
import { type Html, html, type Part } from "./html.js";
import type { PageKey } from "./i18n/en.js";
import { type Messages, messagesFor } from "./messages.js";
import { embeddingOrigins, viewFor } from "./payer-session.js";

/** A message page's `<main>`: the merchant (when the page is about a session) around `content`. */
function messageMain(content: Part, m: Messages, view: PublicView | null): Html {
  if (view === null) return html`<main class="interstitial">${content}</main>`;
  return html`<main class="interstitial">${merchantLine(view)}${testModeBadge(view, m)}
${content}${supportLink(view, m)}</main>${brandLink(view)}`;
}

async function messagePage(
  request: Request,
  env: Env,
  status: number,
  title: PageKey,
  text: PageKey,
): Promise<Response> {
  const m = await messagesFor(env, request);
  const body = messageMain(html`<h1>${m.text(title)}</h1><p>${m.text(text)}</p>`, m, null);
  return htmlResponse(
    renderDocument({ title: m.text(title), lang: m.locale, page: "message", body }),
    { kind: "hosted" },
    status,
  );
}

export const invalidLinkPage = (request: Request, env: Env) =>
  messagePage(request, env, 404, "invalidLinkTitle", "invalidLinkText");

/** The hosted page opened without the cookie its token link sets (shared, another browser). */
export const openLinkAgainPage = (request: Request, env: Env) =>
  messagePage(request, env, 401, "openAgainTitle", "openAgainText");

/**
 * Sends the payer on to `destination` in answer to a form of ours. CSP `form-action` applies to
 * every redirect that follows a form submission (w3c/webappsec-csp#8), so a 303 from a form
 * (`form-action 'self'`) to a merchant on another origin is blocked by the browser. A
 * same-origin destination is a plain 303; another origin gets a small page of ours that moves
 * on by itself (meta refresh, a new navigation that no form started) with a link, in `m`'s
 * language (the session's), or the browser's when no `m` is given, wearing `view`'s merchant.
 *
 * @example
 * await continueTo(request, env, "https://shop.example/cancel"); // 200, refreshes to the shop's page
 */
export async function continueTo(
  request: Request,
  env: Env,
  destination: string,
  m?: Messages,
  view: PublicView | null = null,
): Promise<Response> {
  if (new URL(destination).origin === new URL(request.url).origin) {
    return new Response(null, {
      status: 303,
      headers: { location: destination, "referrer-policy": "no-referrer" },
    });
  }
  const words = m ?? (await messagesFor(env, request));
  const body = messageMain(
    html`<h1>${words.text("returningText")}</h1>
<p><a class="button" href="${destination}" rel="noreferrer">${words.text("continue")}</a></p>`,
    words,
    view,
  );
  return htmlResponse(
    renderDocument({
      title: words.text("returningTitle"),
      lang: words.locale,
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
  const framed = request.headers.get("sec-fetch-dest") === "iframe";
  if (!framed && new URL(destination).origin === new URL(request.url).origin) {
    return continueTo(request, env, destination);
  }
  const view = await viewFor(env, chargeId);
  const m = await messagesFor(env, request, view?.locale);
  if (framed) {
    const hex = objectHexOf(chargeId);
    const merchantOrigins = hex === null ? [] : ((await embeddingOrigins(env, `cs_${hex}`)) ?? []);
    const framing: Framing = { kind: "embedded", ancestors: ["'self'", ...merchantOrigins] };
    const body = messageMain(html`<p>${m.text("checkoutReturningText")}</p>`, m, view);
    return htmlResponse(
      renderDocument({
        title: m.text("checkoutReturningTitle"),
        lang: m.locale,
        page: "challenge-returned",
        body,
      }),
      framing,
    );
  }
  return continueTo(request, env, destination, m, view);
}
