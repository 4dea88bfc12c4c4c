/**
 * What every ops page goes through before its handler: the session cookie (a page without one
 * sends the browser to sign in and back), and for a form post, first the same-origin check, then
 * the body, then the CSRF token bound to the session. Whatever is refused on the way, or by the
 * handler, is a page with its 4xx status.
 */
import type { AppRequest } from "../app.js";
import { auditLogRecord } from "../d1/audit-log.js";
import { isD1Unavailable, ProblemError } from "../errors.js";
import { type AuditAction, actorOf } from "../merchants/audit.js";
import { assertCsrf, type OpsSession, opsSession } from "../pages/ops/auth.js";
import { opsErrorPage, seeOther } from "../pages/ops/layout.js";
import { signInPage } from "../pages/ops/sign-in.js";
import { assertSameOrigin } from "../pages/payer-auth.js";
import { readForm } from "./read-body.js";

const TITLES: Record<number, string> = {
  400: "That request is not valid",
  403: "Refused",
  404: "Not found",
  409: "Not possible now",
  410: "Gone",
  413: "Too large",
  415: "Not a form of this screen",
  422: "Not valid",
  429: "Too many requests",
  503: "Try again in a moment",
};

/** A refusal as a page: a ProblemError keeps its status and words; D1 down is a 503. */
export function refusalPage(error: unknown, session: OpsSession | null): Response {
  if (error instanceof ProblemError) {
    const page = opsErrorPage(
      session,
      error.status,
      TITLES[error.status] ?? "Refused",
      error.message,
    );
    for (const [name, value] of Object.entries(error.headers)) page.headers.set(name, value);
    return page;
  }
  if (isD1Unavailable(error)) {
    const page = opsErrorPage(session, 503, TITLES[503] ?? "", "Our database did not answer.");
    page.headers.set("retry-after", "5");
    return page;
  }
  throw error;
}

/**
 * The audit trail of an operator's action: an entry in the merchant's audit log
 * (`GET /v1/merchant/audit-log`), beside the session's own journal entry (same `request_id`),
 * its actor the ops session's key. The action is made already, so a log D1 refuses is written
 * to the Worker's log instead, whole, and the operator's page still answers.
 */
export async function auditOpsAction(
  request: AppRequest,
  env: Env,
  session: OpsSession,
  action: AuditAction,
  target: Record<string, string>,
): Promise<void> {
  const entry = {
    merchantId: session.merchantId,
    at: Date.now(),
    requestId: request.requestId,
    actor: actorOf(session.keyHash, "ops_session"),
    action,
    changes: Object.fromEntries(Object.entries(target).map(([k, v]) => [k, { from: null, to: v }])),
  };
  try {
    await auditLogRecord(env.DB, entry);
  } catch (error) {
    console.error(JSON.stringify({ audit: entry, error: String(error) }));
  }
}

type GetHandler = (request: AppRequest, env: Env, session: OpsSession) => Promise<Response>;
type PostHandler = (
  request: AppRequest,
  env: Env,
  session: OpsSession,
  form: URLSearchParams,
) => Promise<Response>;

function pathWithQuery(request: Request): string {
  const url = new URL(request.url);
  return `${url.pathname}${url.search}`;
}

/** A page that needs the ops session: without one, to sign in, and back here after. */
export function opsGet(handler: GetHandler) {
  return async (request: AppRequest, env: Env): Promise<Response> => {
    let session: OpsSession | null = null;
    try {
      session = await opsSession(request, env);
      if (session === null) {
        const next = encodeURIComponent(pathWithQuery(request));
        return seeOther(`/ops/sign-in?next=${next}`);
      }
      return await handler(request, env, session);
    } catch (error) {
      return refusalPage(error, session);
    }
  };
}

/** A form post of the screen: same origin, signed in, and carrying the session's CSRF token. */
export function opsPost(handler: PostHandler) {
  return async (request: AppRequest, env: Env): Promise<Response> => {
    let session: OpsSession | null = null;
    try {
      assertSameOrigin(request);
      session = await opsSession(request, env);
      if (session === null) {
        return signInPage({
          notice: { kind: "error", text: "Your ops session has ended. Sign in again." },
          status: 401,
        });
      }
      const form = await readForm(request);
      assertCsrf(session, form.get("csrf"));
      return await handler(request, env, session, form);
    } catch (error) {
      return refusalPage(error, session);
    }
  };
}
