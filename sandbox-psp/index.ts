/**
 * The sandbox PSP's Worker: its HTTP API (sandbox-psp/api.ts) over its ledger
 * (sandbox-psp/ledger.ts), with the test cards' misbehaviour (sandbox-psp/scenarios.ts) played
 * on the wire, where an upstream's would be: a 429, a 503, an answer lost after the charge, an
 * answer that comes late or not at all.
 */
import * as z from "zod";
import {
  accountKey,
  CreateCharge,
  CreateRefund,
  Decision,
  SANDBOX_ACCOUNTS,
  type SandboxAccount,
} from "./api.js";
import { type Answer, chargeAnswer, type PspEnv, type SandboxLedger } from "./ledger.js";
import { type Scenario, scenarioOf } from "./scenarios.js";

export { SandboxLedger } from "./ledger.js";

const JSON_HEADERS = { "content-type": "application/json" };

const answer = ({ status, body }: Answer, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { ...JSON_HEADERS, ...headers } });

function error(status: number, type: string, code: string, message: string, headers = {}) {
  return answer({ status, body: JSON.stringify({ error: { type, code, message } }) }, headers);
}

const notFound = () => error(404, "invalid_request_error", "resource_missing", "No such charge.");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The account whose key the request carries, or null. */
function accountOf(request: Request): SandboxAccount | null {
  const given = request.headers.get("authorization") ?? "";
  return SANDBOX_ACCOUNTS.find((account) => given === `Bearer ${accountKey(account)}`) ?? null;
}

/** What a key's request is, for replays: every parameter but the card's secrets. */
async function fingerprintOf(charge: CreateCharge): Promise<string> {
  const method = charge.payment_method;
  const { payment_method: _, ...rest } = charge;
  const shown =
    method.type === "card"
      ? {
          ...rest,
          card: method.card.number.slice(-4),
          exp: [method.card.exp_month, method.card.exp_year],
        }
      : { ...rest, bank_id: method.bank_id };
  return digest(shown);
}

async function digest(value: unknown): Promise<string> {
  const bytes = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify(value)),
  );
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function createCharge(
  request: Request,
  env: PspEnv,
  ledger: DurableObjectStub<SandboxLedger>,
  account: SandboxAccount,
) {
  const parsed = CreateCharge.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return error(400, "invalid_request_error", "parameter_invalid", z.prettifyError(parsed.error));
  }
  const charge = parsed.data;
  const key = request.headers.get("idempotency-key");
  const scenario: Scenario = scenarioOf(charge);
  // Refusals that charge nothing, so they are not remembered under the key either.
  if (scenario === "primary_unavailable" && account === "sandbox") {
    return error(
      503,
      "api_error",
      "unavailable",
      "The sandbox is unavailable; nothing was charged.",
    );
  }
  if (scenario === "rate_limited" && (key === null || (await ledger.throttleOnce(account, key)))) {
    return error(429, "rate_limit_error", "rate_limited", "Too many requests.", {
      "retry-after": "1",
    });
  }
  const created = await ledger.create(account, key, await fingerprintOf(charge), charge, scenario);
  if (created.kind === "mismatch") {
    const message = "This Idempotency-Key was used with other parameters.";
    return error(400, "idempotency_error", "idempotency_key_reused", message);
  }
  if (created.kind === "replayed") return answer(created.answer, { "idempotent-replayed": "true" });
  // The first answer to a made charge is where the test cards misbehave.
  switch (created.scenario) {
    case "answer_lost":
      return error(502, "api_error", "bad_gateway", "The answer was lost on the way.");
    case "timeout":
      await sleep(Number(env.HANG_MS ?? 60_000));
      break;
    case "slow":
      await sleep(Number(env.SLOW_ANSWER_MS ?? 2_000));
      break;
  }
  return answer(created.answer);
}

async function refund(
  request: Request,
  ledger: DurableObjectStub<SandboxLedger>,
  account: SandboxAccount,
  reference: string,
) {
  const parsed = CreateRefund.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return error(400, "invalid_request_error", "parameter_invalid", z.prettifyError(parsed.error));
  }
  const key = request.headers.get("idempotency-key");
  if (key === null) {
    return error(
      400,
      "invalid_request_error",
      "idempotency_key_required",
      "Refunds need an Idempotency-Key.",
    );
  }
  const fingerprint = await digest({ reference, ...parsed.data });
  const refunded = await ledger.refund(account, key, fingerprint, reference, parsed.data);
  if (refunded.kind === "mismatch") {
    const message = "This Idempotency-Key was used with other parameters.";
    return error(400, "idempotency_error", "idempotency_key_reused", message);
  }
  const replayed: Record<string, string> =
    refunded.kind === "replayed" ? { "idempotent-replayed": "true" } : {};
  return answer(refunded.answer, replayed);
}

async function chargeRoute(
  request: Request,
  ledger: DurableObjectStub<SandboxLedger>,
  account: SandboxAccount,
  reference: string,
  action: string | undefined,
) {
  if (request.method === "GET" && action === undefined) {
    const row = await ledger.find(account, reference);
    return row === null ? notFound() : answer(chargeAnswer(row));
  }
  if (request.method !== "POST") return null;
  if (action === "complete") {
    // The challenge page recorded the payer's decision; completing is reading it.
    const row = await ledger.find(account, reference);
    return row === null ? notFound() : answer(chargeAnswer(row));
  }
  if (action === "refunds") return refund(request, ledger, account, reference);
  if (action === "capture") {
    const row = await ledger.capture(account, reference);
    if (row === null) return notFound();
    if (row.status !== "succeeded") {
      const message = `A ${row.status} charge cannot be captured.`;
      return error(409, "invalid_request_error", "not_capturable", message);
    }
    return answer(chargeAnswer(row));
  }
  return null;
}

async function acsRoute(
  request: Request,
  ledger: DurableObjectStub<SandboxLedger>,
  reference: string,
) {
  if (request.method === "GET") {
    const challenge = await ledger.challenge(reference);
    return challenge === null ? notFound() : Response.json(challenge);
  }
  if (request.method !== "POST") return null;
  const decision = Decision.safeParse(await request.json().catch(() => null));
  if (!decision.success) {
    return error(400, "invalid_request_error", "parameter_invalid", "decision: approve or deny.");
  }
  const challenge = await ledger.decide(reference, decision.data.decision);
  return challenge === null ? notFound() : Response.json(challenge);
}

async function route(request: Request, env: PspEnv): Promise<Response | null> {
  const url = new URL(request.url);
  const ledger = env.LEDGER.get(env.LEDGER.idFromName("sandbox"));
  const [, root, second, third, fourth, extra] = url.pathname.split("/").map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return "";
    }
  });
  if (extra !== undefined) return null;
  if (root === "acs" && second && third === undefined) return acsRoute(request, ledger, second);
  if (
    root === "sandbox" &&
    second === "charges" &&
    third === undefined &&
    request.method === "GET"
  ) {
    return Response.json(await ledger.list(url.searchParams.get("payment") ?? ""));
  }
  if (root !== "v1" || second !== "charges") return null;
  const account = accountOf(request);
  if (account === null) {
    return error(401, "authentication_error", "invalid_api_key", "No valid API key was given.");
  }
  if (third === undefined) {
    return request.method === "POST" ? createCharge(request, env, ledger, account) : null;
  }
  return chargeRoute(request, ledger, account, third, fourth);
}

export default {
  async fetch(request, env) {
    const answered = await route(request, env);
    return answered ?? error(404, "invalid_request_error", "route_not_found", "No such route.");
  },
} satisfies ExportedHandler<PspEnv>;
