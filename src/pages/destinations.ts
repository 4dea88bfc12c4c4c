/**
 * Where a payer goes back to the merchant. A completed session returns to `return_url` with the
 * session id (as the 3-D Secure return does: `{CHECKOUT_SESSION_ID}` filled in, else a
 * `session_id` parameter), so the merchant can look the outcome up; a session closed without
 * payment goes to `cancel_url` when the merchant gave one, else to `return_url` the same way;
 * a failed one to the merchant's `error_url` first (StableMint sessions have one).
 */
import { withSessionId } from "../core/redirect-policy.js";
import type { publicView } from "../core/views.js";

export type PublicView = ReturnType<typeof publicView>;

/** The merchant's return page for this session, if it gave one. */
export function returnUrl(view: PublicView): string | null {
  return view.return_url === null ? null : withSessionId(view.return_url, view.id);
}

/** The way back without paying: the merchant's cancel page, or its return page. */
export function exitUrl(view: PublicView): string | null {
  return view.cancel_url === null ? returnUrl(view) : withSessionId(view.cancel_url, view.id);
}

/** The way back from a page showing `view`. */
export function wayBack(view: PublicView): string | null {
  if (view.status === "COMPLETED") return returnUrl(view);
  if (view.status === "FAILED" && view.error_url !== null) {
    return withSessionId(view.error_url, view.id);
  }
  return exitUrl(view);
}
