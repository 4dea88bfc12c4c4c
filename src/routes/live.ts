/**
 * `GET /pay/<id>/live`: the payer's page follows its session over a WebSocket, which the
 * session's object holds (src/session/live.ts). The payer is checked here, as on every
 * `/pay/<id>/…` route, before the upgrade reaches the object: the hosted page's cookie (from our
 * own page only: a socket is no fetch, so no CORS guards it), or the embedded frame's token. A
 * browser's WebSocket cannot send `Authorization`, so the frame offers its token as a second
 * subprotocol, `token.<token>`, beside `edge-checkout`, the one the answer names: the token
 * stays out of every URL, as everywhere else.
 */
import type { RouteModule } from "../app.js";
import { notFound, ProblemError } from "../errors.js";
import { sessionOfToken, sessionStub } from "../ids.js";
import { assertSameOrigin, isSessionId, presentedToken } from "../pages/payer-auth.js";
import { LIVE_PROTOCOL, liveUpgradeRequest } from "../session/live.js";

const TOKEN_PROTOCOL = "token.";
/** A sequence number as the page sends it back (`?after=`). */
const SEQ = /^\d{1,15}$/;

/** The token the upgrade carries (subprotocol, else `Authorization: Token`, else the cookie). */
function presented(request: Request, offered: string[]) {
  const fromProtocol = offered.find((p) => p.startsWith(TOKEN_PROTOCOL));
  if (fromProtocol !== undefined) {
    return { token: fromProtocol.slice(TOKEN_PROTOCOL.length), via: "header" as const };
  }
  return presentedToken(request);
}

export const liveRoutes: RouteModule = (router) => {
  router.get("/pay/:ref/live", async (request, env) => {
    const sessionId = request.params.ref ?? "";
    if (!isSessionId(sessionId)) throw notFound("checkout session");
    if ((request.headers.get("upgrade") ?? "").toLowerCase() !== "websocket") {
      throw new ProblemError(426, "websocket_expected", "Open this address as a WebSocket.", [], {
        upgrade: "websocket",
      });
    }
    const offered = (request.headers.get("sec-websocket-protocol") ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter((p) => p !== "");
    const payer = presented(request, offered);
    const opened = payer === null ? null : await sessionOfToken(env, payer.token).catch(() => null);
    if (payer === null || opened !== sessionId) {
      throw new ProblemError(401, "invalid_token", "Open the payment link you were given again.");
    }
    if (payer.via === "cookie") assertSameOrigin(request);
    const after = request.query.after ?? "0";
    if (typeof after !== "string" || !SEQ.test(after)) {
      throw new ProblemError(422, "validation_failed", "The request is not valid.", [
        { field: "after", message: "The last sequence number seen: a whole number." },
      ]);
    }
    const upgrade = {
      mode: payer.via === "header" ? ("embedded" as const) : ("hosted" as const),
      language: (request.headers.get("accept-language") ?? "").slice(0, 256),
      after: Number(after),
      protocol: offered.includes(LIVE_PROTOCOL),
    };
    return sessionStub(env, sessionId).fetch(liveUpgradeRequest(upgrade, request.requestId));
  });
};
