/**
 * The operator's screen at `/ops`: server-rendered pages, POST forms for every change, no
 * script. A merchant's secret key signs in once (src/pages/ops/auth.ts); every other page needs
 * the session cookie it gets, and every form post also the same-origin check and the session's
 * CSRF token. Refusals are pages with their 4xx status, never problem+json.
 *
 * | route                                | what                                                  |
 * |--------------------------------------|-------------------------------------------------------|
 * | `GET /ops`                           | to the session list                                   |
 * | `GET`/`POST /ops/sign-in`            | the sign-in form; the key traded for the cookie       |
 * | `POST /ops/sign-out`                 | the cookie cleared                                    |
 * | `GET /ops/sessions`                  | filters, search, keyset pages (src/d1/ops-search.ts)  |
 * | `GET /ops/sessions/:id`, its actions | src/routes/ops-session.ts                             |
 * | `/ops/webhooks…`                     | src/routes/ops-webhooks.ts                            |
 */
import type { AppRouter, RouteModule } from "../app.js";
import { searchSessions } from "../d1/ops-search.js";
import { ProblemError } from "../errors.js";
import {
  isStablemintSessionId,
  objectHexOf,
  sessionIdOf,
  sessionStub,
  stablemintObjectId,
} from "../ids.js";
import { opsSession, signedOutCookie, signIn } from "../pages/ops/auth.js";
import { dayEnd, dayStart, parseFilters, rawFilters, safeNext } from "../pages/ops/form.js";
import { seeOther } from "../pages/ops/layout.js";
import { sessionsPage } from "../pages/ops/sessions-page.js";
import { signInPage } from "../pages/ops/sign-in.js";
import { assertSameOrigin } from "../pages/payer-auth.js";
import { opsGet, opsPost, refusalPage } from "./ops-guard.js";
import { opsSessionRoutes } from "./ops-session.js";
import { opsWebhookRoutes } from "./ops-webhooks.js";
import { readForm } from "./read-body.js";

const PAGE_SIZE = 25;

/**
 * The session an id the operator typed names, if it is this merchant's: a session, payment,
 * charge or event id routes to its object, as a StableMint `sessionId` does. Another merchant's
 * session is answered as no session at all.
 */
async function sessionNamed(env: Env, merchantId: string, text: string): Promise<string | null> {
  const hex = objectHexOf(text);
  const id =
    hex !== null
      ? `cs_${hex}`
      : isStablemintSessionId(text)
        ? sessionIdOf(stablemintObjectId(env, text))
        : null;
  if (id === null) return null;
  try {
    return (await sessionStub(env, id).owner()) === merchantId ? id : null;
  } catch (error) {
    if (error instanceof ProblemError) return null;
    throw error;
  }
}

function authRoutes(router: AppRouter): void {
  router.get("/ops", () => seeOther("/ops/sessions"));

  router.get("/ops/sign-in", async (request, env) => {
    const query = new URL(request.url).searchParams;
    const next = query.get("next");
    if ((await opsSession(request, env)) !== null) return seeOther(safeNext(next));
    return signInPage({
      ...(next !== null && { next: safeNext(next) }),
      notice: query.has("signed_out") ? { kind: "success", text: "You are signed out." } : null,
    });
  });

  router.post("/ops/sign-in", async (request, env) => {
    try {
      assertSameOrigin(request);
      const form = await readForm(request);
      const next = safeNext(form.get("next"));
      try {
        const { setCookie } = await signIn(request, env, form.get("secret_key") ?? "");
        return seeOther(next, { "set-cookie": setCookie });
      } catch (error) {
        if (!(error instanceof ProblemError) || (error.status !== 401 && error.status !== 429)) {
          throw error;
        }
        return signInPage({
          next,
          notice: { kind: "error", text: error.message },
          status: error.status,
          headers: error.headers,
        });
      }
    } catch (error) {
      return refusalPage(error, null);
    }
  });

  router.post(
    "/ops/sign-out",
    opsPost(async (request) =>
      seeOther("/ops/sign-in?signed_out=1", { "set-cookie": signedOutCookie(request) }),
    ),
  );
}

function listRoutes(router: AppRouter): void {
  router.get(
    "/ops/sessions",
    opsGet(async (request, env, session) => {
      const raw = rawFilters(new URL(request.url));
      const parsed = parseFilters(raw);
      if (!parsed.ok) return sessionsPage({ session, raw, errors: parsed.errors, page: null }, 422);
      const f = parsed.filters;
      if (f.q !== undefined) {
        const named = await sessionNamed(env, session.merchantId, f.q);
        if (named !== null) return seeOther(`/ops/sessions/${named}`);
      }
      try {
        const page = await searchSessions(env.DB, session.merchantId, {
          status: f.status,
          createdGte: f.from === undefined ? undefined : dayStart(f.from),
          createdLte: f.to === undefined ? undefined : dayEnd(f.to),
          amountMin: f.amount_min,
          amountMax: f.amount_max,
          currency: f.currency,
          text: f.q,
          limit: PAGE_SIZE,
          after: f.after,
          before: f.before,
        });
        return sessionsPage({ session, raw, errors: [], page });
      } catch (error) {
        if (!(error instanceof ProblemError) || error.code !== "invalid_cursor") throw error;
        const field = f.before === undefined ? "after" : "before";
        const errors = [{ field, message: "Not a page of this list: start again from the first." }];
        return sessionsPage({ session, raw, errors, page: null }, 422);
      }
    }),
  );
}

/** The ops screen's routes, all under `/ops`. */
export const opsRoutes: RouteModule = (router) => {
  authRoutes(router);
  listRoutes(router);
  opsSessionRoutes(router);
  opsWebhookRoutes(router);
};
