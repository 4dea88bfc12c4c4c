/**
 * The payer's session as pages need it: opened (the first look marks the session opened), or,
 * once it is closed, viewed as it ended; and which origins may frame its embedded checkout.
 */

import { frameAncestors } from "../core/redirect-policy.js";
import { unwrap } from "../core/result.js";
import { sessionStub } from "../ids.js";
import { merchantById } from "../merchants/merchants.js";
import type { PublicView } from "./destinations.js";

export async function payerView(
  env: Env,
  sessionId: string,
  requestId: string,
): Promise<PublicView> {
  const stub = sessionStub(env, sessionId);
  const opened = await stub.open(requestId);
  if (opened.ok) return opened.value;
  if (opened.problem.code === "session_closed") return unwrap(await stub.view());
  return unwrap(opened);
}

/**
 * The session `ref` names (its id, or the id of one of its charges), for a page about it that
 * its payer reached through it (a challenge return, an embedded frame): null when it cannot be
 * read, since the page is still worth showing without it.
 */
export async function viewFor(env: Env, ref: string): Promise<PublicView | null> {
  try {
    const viewed = await sessionStub(env, ref).view();
    return viewed.ok ? viewed.value : null;
  } catch {
    return null;
  }
}

/** The `locale` of the session `ref` names; `auto` (the browser's language) when unknown. */
export async function sessionLocale(env: Env, ref: string): Promise<string> {
  return (await viewFor(env, ref))?.locale ?? "auto";
}

/**
 * The CSP `frame-ancestors` sources that may embed the session's checkout: the merchant's
 * allowed origins, else any https page (and local http in the sandbox), as
 * src/core/redirect-policy.ts decides; null when the session is unknown. The session object names
 * its merchant; the merchant's current settings come from the per-isolate cache (D1 when cold).
 */
export async function embeddingOrigins(env: Env, sessionId: string): Promise<string[] | null> {
  const merchantId = await sessionStub(env, sessionId).owner();
  if (merchantId === null) return null;
  const merchant = await merchantById(env, merchantId);
  return merchant === null ? null : frameAncestors(merchant);
}
