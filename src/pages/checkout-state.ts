/**
 * What the page's script renders after any step: the payer's view, its markup and where to go
 * next. One payload for every way it reaches the page: `/pay/<id>/session`, the confirm and
 * exit answers, and each push of the session's live socket (src/session/live.ts).
 */
import { declineNotice, type Mode, renderCheckout } from "./checkout-view.js";
import { type PublicView, returnUrl } from "./destinations.js";
import { messagesFor } from "./messages.js";

export async function checkoutState(view: PublicView, request: Request, env: Env, mode: Mode) {
  const ctx = { m: await messagesFor(env, request, view.locale), mode };
  return {
    checkout_session: view,
    html: renderCheckout(view, ctx).value,
    notice: declineNotice(view, ctx.m).toString(),
    redirect_url: view.status === "COMPLETED" && mode === "hosted" ? returnUrl(view) : null,
  };
}
