/**
 * What the payer sees: the hosted checkout at the session's `url`, the embedded checkout for
 * `/widget.js`, their script and stylesheet, and the JSON the pages' script talks to. The token
 * link is traded for a cookie and a clean URL at once; after that no URL carries the token.
 *
 * | route                     | for                                                                 |
 * |---------------------------|---------------------------------------------------------------------|
 * | `GET /pay/<token>`        | sets the session's cookie, 303 to `/pay/<session id>`               |
 * | `GET /pay/<session id>`   | the hosted checkout (cookie)                                        |
 * | `GET /pay/<id>/session`   | the checkout's state and markup (cookie, or `Authorization: Token`) |
 * | `POST /pay/<id>/confirm`  | pay (same auth; a cookie request must come from this origin)        |
 * | `POST /pay/<id>/exit`     | leave without paying: the session is cancelled (same auth)          |
 * | `GET /pay/<id>/live`      | the session's state pushed over a WebSocket (src/routes/live.ts)    |
 * | `GET /pay/<id>/logo`      | the merchant's logo, from our origin                                |
 * | `GET /embed/<id>#token=…` | the embedded checkout, framed only by the merchant's origins        |
 */

import type { AppRequest, RouteModule } from "../app.js";
import { unwrap } from "../core/result.js";
import { notFound, ProblemError } from "../errors.js";
import { isStablemintSessionId, sessionOfToken, sessionStub } from "../ids.js";
import { checkoutState } from "../pages/checkout-state.js";
import { pageTitle, renderCheckout } from "../pages/checkout-view.js";
import { BASE_HEADERS, htmlResponse, pageHeaders, renderDocument } from "../pages/document.js";
import { html } from "../pages/html.js";
import { logoResponse } from "../pages/logo.js";
import { continueTo, invalidLinkPage, openLinkAgainPage } from "../pages/message-page.js";
import { messagesFor } from "../pages/messages.js";
import {
  assertSameOrigin,
  cleanPath,
  isSessionId,
  payerCookie,
  payerTokenFor,
} from "../pages/payer-auth.js";
import { embeddingOrigins, payerView, sessionLocale } from "../pages/payer-session.js";
import { clientFacts } from "../risk/signals.js";
import { ConfirmCheckoutSession } from "../schemas.js";
import { json, parseBody } from "./respond.js";

/**
 * A file of static/ (Workers Static Assets, fetched through the `ASSETS` binding rather than
 * bundled as strings), with the headers every answer of ours carries.
 */
async function asset(
  request: Request,
  env: Env,
  file: string,
  type: string,
  crossOrigin = false,
): Promise<Response> {
  const stored = await env.ASSETS.fetch(new URL(file, request.url));
  if (!stored.ok) throw new Error(`static asset ${file}: ${stored.status}`);
  return new Response(stored.body, {
    headers: {
      ...BASE_HEADERS,
      "content-type": `${type}; charset=utf-8`,
      "cross-origin-resource-policy": crossOrigin ? "cross-origin" : "same-origin",
      ...(crossOrigin ? { "access-control-allow-origin": "*" } : {}),
    },
  });
}

/** The session id in the path, or a 404 problem. */
function sessionIdParam(request: AppRequest): string {
  const ref = request.params.ref ?? "";
  if (!isSessionId(ref)) throw notFound("checkout session");
  return ref;
}

export const pageRoutes: RouteModule = (router) => {
  router.get("/assets/checkout.js", (request, env) =>
    asset(request, env, "/checkout.js", "text/javascript"),
  );
  // The card rules checkout.js imports; the Worker bundles the same file (src/core/confirm-request.ts).
  router.get("/assets/card.js", (request, env) =>
    asset(request, env, "/card.js", "text/javascript"),
  );
  router.get("/assets/checkout.css", (request, env) =>
    asset(request, env, "/checkout.css", "text/css"),
  );
  router.get("/assets/ops.css", (request, env) => asset(request, env, "/ops.css", "text/css"));
  // The payer pages' icons (src/pages/checkout-view.ts); any other name is no asset of ours.
  router.get("/assets/icons/:name", (request, env) => {
    const name = request.params.name ?? "";
    if (!/^(lock|success|closed|failed|bank)\.svg$/.test(name)) throw notFound("icon");
    return asset(request, env, `/icons/${name}`, "image/svg+xml");
  });
  router.get("/widget.js", (request, env) =>
    asset(request, env, "/widget.js", "text/javascript", true),
  );

  // The OpenAPI description and its reference page, generated at build time from the zod
  // schemas (src/openapi/, `npm run openapi`), so none of it is in the Worker's bundle.
  router.get("/openapi.json", (request, env) =>
    asset(request, env, "/openapi.json", "application/json", true),
  );
  // Fetched as `/docs/` (the assets binding answers `index.html` with a redirect to it); a page
  // with the payer pages' CSP, which its one stylesheet and no script keep.
  router.get("/docs", async (request, env) => {
    const page = await asset(request, env, "/docs/", "text/html");
    return new Response(page.body, { headers: pageHeaders({ kind: "hosted" }) });
  });
  router.get("/docs/docs.css", (request, env) => asset(request, env, "/docs/docs.css", "text/css"));

  // `checkout_session.url` of a hosted session: the merchant sends the payer to `${url}?token=…`.
  router.get("/pay", async (request, env) => {
    const token = request.query.token;
    if (typeof token !== "string" || token === "") return openLinkAgainPage(request, env);
    return tradeToken(request, env, token);
  });

  router.get("/pay/:ref", async (request, env) => {
    const ref = request.params.ref ?? "";
    // A token link (ours, or a StableMint sessionId), or `/pay/<session id>?token=…`.
    if (ref.includes(".") || isStablemintSessionId(ref)) return tradeToken(request, env, ref);
    const queryToken = request.query.token;
    if (typeof queryToken === "string" && queryToken !== "") {
      return tradeToken(request, env, queryToken);
    }
    if (!isSessionId(ref)) return invalidLinkPage(request, env);
    const authorized = await payerTokenFor(request, env, ref).catch(() => null);
    if (authorized === null) return openLinkAgainPage(request, env);
    // A well-formed sessionId that names no session: the link is simply not valid.
    const view = await payerView(env, ref, request.requestId).catch((error: unknown) => {
      if (error instanceof ProblemError && error.status === 404) return null;
      throw error; // anything else is ours to see, not an "invalid link"
    });
    if (view === null) return invalidLinkPage(request, env);
    const ctx = { m: await messagesFor(env, request, view.locale), mode: "hosted" as const };
    const document = renderDocument({
      title: pageTitle(view, ctx),
      lang: ctx.m.locale,
      page: "hosted",
      body: renderCheckout(view, ctx),
      data: { messages: ctx.m.scriptMessages() },
    });
    return htmlResponse(document, { kind: "hosted" });
  });

  router.get("/pay/:ref/session", async (request, env) => {
    const sessionId = sessionIdParam(request);
    const { via } = await payerTokenFor(request, env, sessionId);
    const view = await payerView(env, sessionId, request.requestId);
    return json(await checkoutState(view, request, env, via === "header" ? "embedded" : "hosted"));
  });

  router.post("/pay/:ref/confirm", async (request, env) => {
    const sessionId = sessionIdParam(request);
    const { via } = await payerTokenFor(request, env, sessionId);
    if (via === "cookie") assertSameOrigin(request);
    const params = await parseBody(request, ConfirmCheckoutSession);
    const client = clientFacts(request);
    const result = unwrap(
      await sessionStub(env, sessionId).confirm(params, client, request.requestId),
    );
    const view = result.checkout_session;
    return json({
      ...(await checkoutState(view, request, env, via === "header" ? "embedded" : "hosted")),
      next_action: result.confirmResult.paymentNextAction,
    });
  });

  // The way back to the merchant. The page's script asks for JSON (and goes on itself, or in
  // the widget tells the host `cancelled`); without script it is a plain form post, answered
  // with a navigation: to the merchant, or back to the page when the session cannot be left.
  router.post("/pay/:ref/exit", async (request, env) => {
    const sessionId = sessionIdParam(request);
    const fromScript = (request.headers.get("accept") ?? "").includes("application/json");
    const authorized = await payerTokenFor(request, env, sessionId).catch((error: unknown) => {
      if (fromScript) throw error;
      return null;
    });
    if (authorized === null) return openLinkAgainPage(request, env);
    if (authorized.via === "cookie") assertSameOrigin(request);
    const result = await sessionStub(env, sessionId).exit(request.requestId);
    if (!fromScript) {
      const back = new URL(cleanPath(sessionId), request.url).href;
      const left = result.ok ? result.value : null;
      const m =
        left === null ? undefined : await messagesFor(env, request, left.checkout_session.locale);
      return continueTo(request, env, left?.redirect_url ?? back, m, left?.checkout_session);
    }
    const left = unwrap(result);
    const mode = authorized.via === "header" ? "embedded" : "hosted";
    return json({
      ...(await checkoutState(left.checkout_session, request, env, mode)),
      // Inside the merchant's page the host decides where to go next (it hears `cancelled`).
      redirect_url: mode === "hosted" ? left.redirect_url : null,
    });
  });

  router.get("/pay/:ref/logo", async (request, env) => {
    const sessionId = sessionIdParam(request);
    const view = unwrap(await sessionStub(env, sessionId).view());
    const logo = await logoResponse(view.merchant.logo_url);
    if (logo === null) throw notFound("logo");
    return logo;
  });

  // `ref` is the session id, or the StableMint `sessionId` the widget was mounted with.
  router.get("/embed/:ref", async (request, env) => {
    const given = request.params.ref ?? "";
    const ref = isStablemintSessionId(given) ? await sessionOfToken(env, given) : given;
    // The frame speaks its session's language from the first word ("Loading…").
    const [ancestors, locale] = isSessionId(ref)
      ? await Promise.all([embeddingOrigins(env, ref), sessionLocale(env, ref)])
      : [null, "auto"];
    if (ancestors === null) return invalidLinkPage(request, env);
    const m = await messagesFor(env, request, locale);
    const body = html`<main class="checkout checkout-embedded" id="checkout" aria-busy="true"><p class="loading">${m.text("loading")}</p></main>`;
    const document = renderDocument({
      title: m.text("checkout"),
      lang: m.locale,
      page: "embedded",
      body,
      data: {
        session: ref,
        "allowed-origins": ancestors.join(" "),
        messages: m.scriptMessages(),
      },
    });
    return htmlResponse(document, { kind: "embedded", ancestors });
  });
};

/**
 * The token link: trade it for the session's cookie and leave it behind at once, with a 303 to
 * the clean URL (the token never stays in the address bar or the history).
 */
async function tradeToken(request: Request, env: Env, token: string): Promise<Response> {
  const sessionId = await sessionOfToken(env, token).catch(() => null);
  if (sessionId === null) return invalidLinkPage(request, env);
  const secure = new URL(request.url).protocol === "https:";
  return new Response(null, {
    status: 303,
    headers: {
      ...BASE_HEADERS,
      location: cleanPath(sessionId),
      "set-cookie": payerCookie(token, sessionId, secure),
    },
  });
}
