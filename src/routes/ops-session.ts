/**
 * One session on the ops screen, and what an operator may do to it: cancel a pending session,
 * capture an authorized payment, redeliver a webhook event (to all, or one endpoint). Each goes
 * through the same object method the API route uses (src/routes/checkout-sessions.ts,
 * payments.ts, events.ts), lands in the session's journal with the request's id, and is
 * written to the audit trail (`auditOpsAction`). The object decides what its state allows; a
 * refusal comes back as the session page with the reason and its 4xx status.
 */
import type { AppRouter } from "../app.js";
import { unwrap } from "../core/result.js";
import { ProblemError } from "../errors.js";
import { objectHexOf, sessionStub } from "../ids.js";
import type { OpsSession } from "../pages/ops/auth.js";
import type { Notice } from "../pages/ops/layout.js";
import { seeOther } from "../pages/ops/layout.js";
import {
  type OpsEvent,
  OpsJournalEntries,
  type SessionPageData,
} from "../pages/ops/session-data.js";
import { sessionPage } from "../pages/ops/session-page.js";
import { isSessionId } from "../pages/payer-auth.js";
import { getEndpoint, listEndpoints } from "../webhooks/endpoints.js";
import { auditOpsAction, opsGet, opsPost } from "./ops-guard.js";

type Stub = ReturnType<typeof sessionStub>;

/** Webhook event ids are `evt_<session id>_<sequence>`, the sequence counting 1, 2, 3… */
const PROBE = 8;
const MAX_EVENTS = 200;

/** Every webhook event of the session, read from its object (the truth, never behind). */
async function eventsOf(stub: Stub, merchantId: string, sessionId: string): Promise<OpsEvent[]> {
  const events: OpsEvent[] = [];
  for (let from = 1; from <= MAX_EVENTS; from += PROBE) {
    const batch = await Promise.all(
      Array.from({ length: PROBE }, (_, i) =>
        stub.event(merchantId, `evt_${sessionId}_${from + i}`),
      ),
    );
    for (const result of batch) {
      // The first sequence with no event is the end of the outbox.
      if (!result.ok) return events;
      events.push(unwrap(result));
    }
  }
  return events;
}

async function loadSession(
  env: Env,
  session: OpsSession,
  sessionId: string,
  notice: Notice | null,
): Promise<SessionPageData> {
  if (!isSessionId(sessionId))
    throw new ProblemError(404, "not_found", "No such checkout session.");
  const stub = sessionStub(env, sessionId);
  const { merchantId } = session;
  const view = unwrap(await stub.retrieve(merchantId));
  const [journal, events, endpoints] = await Promise.all([
    (async () => OpsJournalEntries.parse(unwrap(await stub.journal(merchantId))))(),
    eventsOf(stub, merchantId, sessionId),
    listEndpoints(env, merchantId),
  ]);
  return { session, view, journal, events, endpoints, notice };
}

const DONE: Record<string, string> = {
  cancelled: "The session is cancelled.",
  captured: "Capture asked of the provider: the payment succeeds when it answers.",
  refunded: "Refund sent to the provider: its outcome is under Refunds.",
  redelivered: "Redelivery started: the attempt shows below once the endpoint answers.",
};

function doneNotice(request: Request): Notice | null {
  const done = new URL(request.url).searchParams.get("done") ?? "";
  const text = DONE[done];
  return text === undefined ? null : { kind: "success", text };
}

/** The session page again, with why the action was refused (a missing session stays a 404). */
async function refused(
  env: Env,
  session: OpsSession,
  sessionId: string,
  problem: { status: number; message: string },
): Promise<Response> {
  const data = await loadSession(env, session, sessionId, { kind: "error", text: problem.message });
  return sessionPage(data, problem.status === 404 ? 409 : problem.status);
}

export function opsSessionRoutes(router: AppRouter): void {
  router.get(
    "/ops/sessions/:id",
    opsGet(async (request, env, session) => {
      const data = await loadSession(env, session, request.params.id ?? "", doneNotice(request));
      return sessionPage(data);
    }),
  );

  router.post(
    "/ops/sessions/:id/cancel",
    opsPost(async (request, env, session) => {
      const id = request.params.id ?? "";
      if (!isSessionId(id)) throw new ProblemError(404, "not_found", "No such checkout session.");
      const result = await sessionStub(env, id).cancel(session.merchantId, request.requestId);
      if (!result.ok) return refused(env, session, id, result.problem);
      await auditOpsAction(request, env, session, "checkout_session.cancelled", {
        checkout_session_id: id,
      });
      return seeOther(`/ops/sessions/${id}?done=cancelled`);
    }),
  );

  router.post(
    "/ops/sessions/:id/capture",
    opsPost(async (request, env, session) => {
      const id = request.params.id ?? "";
      if (!isSessionId(id)) throw new ProblemError(404, "not_found", "No such checkout session.");
      const result = await sessionStub(env, id).capture(session.merchantId, request.requestId);
      if (!result.ok) {
        // The session is there (else the page is a 404) but has no payment yet.
        const none = {
          status: 409,
          message: "There is no payment to capture: nobody has paid yet.",
        };
        return refused(env, session, id, result.problem.status === 404 ? none : result.problem);
      }
      await auditOpsAction(request, env, session, "payment.capture_requested", {
        checkout_session_id: id,
        payment_id: result.value.id,
      });
      return seeOther(`/ops/sessions/${id}?done=captured#payment`);
    }),
  );

  router.post(
    "/ops/sessions/:id/refund",
    opsPost(async (request, env, session) => {
      const id = request.params.id ?? "";
      if (!isSessionId(id)) throw new ProblemError(404, "not_found", "No such checkout session.");
      // All that is left, as one new refund: a second click finds nothing left (409).
      const refundId = `re_${crypto.randomUUID().replaceAll("-", "")}`;
      const result = await sessionStub(env, id).refund(
        session.merchantId,
        { refundId },
        request.requestId,
      );
      if (!result.ok) {
        const none = { status: 409, message: "There is no payment to refund: nobody has paid." };
        return refused(env, session, id, result.problem.status === 404 ? none : result.problem);
      }
      const { refund } = result.value;
      await auditOpsAction(request, env, session, "payment.refund_requested", {
        checkout_session_id: id,
        payment_id: refund.payment_id,
        refund_id: refund.id,
        amount: String(refund.amount),
      });
      return seeOther(`/ops/sessions/${id}?done=refunded#payment`);
    }),
  );

  router.post(
    "/ops/events/:id/redeliver",
    opsPost(async (request, env, session, form) => {
      const eventId = request.params.id ?? "";
      const hex = objectHexOf(eventId);
      if (hex === null || !eventId.startsWith("evt_")) {
        throw new ProblemError(404, "not_found", "No such event.");
      }
      const sessionId = `cs_${hex}`;
      const given = form.get("endpoint_id") ?? "";
      const endpointId = given === "" ? undefined : given;
      if (endpointId !== undefined) {
        const endpoint = await getEndpoint(env, session.merchantId, endpointId);
        if (endpoint.disabledAt !== null) {
          return refused(env, session, sessionId, {
            status: 409,
            message: `That endpoint is disabled (${endpoint.disabledReason ?? "by hand"}): enable it first.`,
          });
        }
      }
      const stub = sessionStub(env, sessionId);
      const result = await stub.redeliver(
        session.merchantId,
        eventId,
        endpointId,
        request.requestId,
      );
      if (!result.ok)
        throw new ProblemError(result.problem.status, result.problem.code, result.problem.message);
      await auditOpsAction(request, env, session, "event.redelivered", {
        event_id: eventId,
        ...(endpointId !== undefined && { endpoint_id: endpointId }),
      });
      return seeOther(`/ops/sessions/${sessionId}?done=redelivered#${eventId}`);
    }),
  );
}
