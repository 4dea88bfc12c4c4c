/**
 * The sandbox provider: the sandbox PSP (sandbox-psp/, a Worker of its own with its own books),
 * reached through the `SANDBOX_PSP` service binding by the HTTP adapter every upstream uses
 * (src/providers/http-provider.ts). Its test cards and banks, and what each makes it do, are in
 * sandbox-psp/scenarios.ts and README.
 *
 * Two providers share it, `sandbox` (primary) and `sandbox_backup` (fallback): two accounts, each
 * seeing only the charges made at it, as two outside providers would.
 */
import {
  ApiError,
  accountKey,
  Charge,
  type CreateCharge,
  RefundObject,
  SANDBOX_ACCOUNTS,
  type SandboxAccount,
} from "../../sandbox-psp/api.js";
import { HttpProvider, type Outgoing, upstreamTimeoutMs, type Wire } from "./http-provider.js";
import type { AuthorizeRequest, ProviderOutcome } from "./provider.js";

export const SANDBOX_PROVIDERS = SANDBOX_ACCOUNTS;
export type SandboxProviderName = SandboxAccount;

export const isSandboxProvider = (name: string): name is SandboxProviderName =>
  (SANDBOX_PROVIDERS as readonly string[]).includes(name);

/** Decline codes the sandbox shares with us; any other is a plain `card_declined`. */
const DECLINE_CODES = new Set(["card_declined", "authentication_failed", "bank_declined"]);

/** Why the sandbox would not refund, in its codes (which are also ours). */
const REFUND_REFUSALS = new Set([
  "amount_too_large",
  "charge_not_refundable",
  "refund_not_supported",
]);

/** The sandbox has no address on the internet: the binding carries every call, to this host. */
const BASE_URL = "https://sandbox-psp.internal";

const path = (chargeId: string, action = "") =>
  `/v1/charges/${encodeURIComponent(chargeId)}${action && `/${action}`}`;

function chargeBody(request: AuthorizeRequest): CreateCharge {
  const method = request.paymentMethod;
  return {
    reference: request.chargeId,
    amount: request.amount,
    currency: request.currency,
    capture: request.captureMethod,
    three_d_secure: request.secureMode ? "required" : "automatic",
    payment_method:
      method.type === "card"
        ? {
            type: "card",
            card: {
              number: method.card.number.replace(/[\s-]/g, ""),
              exp_month: method.card.expMonth,
              exp_year: method.card.expYear,
              cvc: method.card.cvc,
            },
          }
        : { type: "bank_transfer", bank_id: method.bankId },
    return_url: request.challengeReturnUrl,
  };
}

function chargeOutcome(charge: Charge): ProviderOutcome {
  switch (charge.status) {
    case "succeeded":
      return { type: "succeeded" };
    case "authorized":
      return { type: "authorized" };
    case "requires_action":
      return charge.next_action === null
        ? { type: "pending" }
        : { type: "requires_action", url: charge.next_action.url };
    case "declined":
      return declined(charge.failure?.code ?? "card_declined", charge.failure?.message);
  }
}

function declined(code: string, message = "The payment was declined."): ProviderOutcome {
  return { type: "declined", code: DECLINE_CODES.has(code) ? code : "card_declined", message };
}

/** What an answer of the sandbox's API means (sandbox-psp/api.ts); null when it cannot be trusted. */
export function readSandboxAnswer(
  status: number,
  body: unknown,
  outgoing: Pick<Outgoing, "answers"> = {},
): ProviderOutcome | null {
  if (status === 200 && outgoing.answers === "refund") {
    const refund = RefundObject.safeParse(body);
    if (!refund.success) return null;
    if (refund.data.status === "succeeded") return { type: "succeeded" };
    if (refund.data.status === "pending") return { type: "pending" };
    return { type: "declined", code: "refund_failed", message: "The provider did not refund." };
  }
  if (status === 200) {
    const charge = Charge.safeParse(body);
    return charge.success ? chargeOutcome(charge.data) : null;
  }
  const problem = ApiError.safeParse(body);
  if (!problem.success) return null;
  const { type, code, message } = problem.data.error;
  // A refund the provider will not make is a refund that failed, for good.
  if (outgoing.answers === "refund" && REFUND_REFUSALS.has(code)) {
    return { type: "declined", code, message };
  }
  switch (type) {
    case "card_error":
      return declined(code, message);
    // Our key with other parameters: whatever the first request did stands, so ask later.
    case "idempotency_error":
      return { type: "silent" };
    case "api_error":
      // A 503 is the sandbox saying nothing was done; any other server error leaves it open.
      return status === 503 ? { type: "failed", code: "provider_unavailable", message } : null;
    case "invalid_request_error":
      if (code === "resource_missing") return { type: "failed", code: "unknown_charge", message };
      return {
        type: "failed",
        code: code === "not_capturable" ? code : "provider_rejected",
        message,
      };
    case "authentication_error":
      return { type: "failed", code: "provider_auth_failed", message };
    case "rate_limit_error":
      return { type: "failed", code: "provider_rate_limited", message };
  }
}

/** The sandbox's wire: JSON, our charge id as the reference and (per action) the key. */
export const sandboxWire: Wire = {
  authorize: (request) => ({
    method: "POST",
    path: "/v1/charges",
    body: JSON.stringify(chargeBody(request)),
    contentType: "application/json",
    idempotencyKey: request.chargeId,
  }),
  completeAction: (chargeId) => ({
    method: "POST",
    path: path(chargeId, "complete"),
    idempotencyKey: `${chargeId}:complete`,
  }),
  status: (chargeId) => ({ method: "GET", path: path(chargeId) }),
  capture: (chargeId) => ({
    method: "POST",
    path: path(chargeId, "capture"),
    idempotencyKey: `${chargeId}:capture`,
  }),
  refund: (request) => ({
    method: "POST",
    path: path(request.chargeId, "refunds"),
    body: JSON.stringify({ amount: request.amount, reason: request.reason }),
    contentType: "application/json",
    idempotencyKey: request.refundId,
    answers: "refund",
  }),
  read: readSandboxAnswer,
};

/**
 * @example
 * const provider = sandboxProvider("sandbox", env);
 * await provider.authorize({ chargeId, paymentMethod: { type: "card", card }, … }); // { type: "succeeded" }
 */
export function sandboxProvider(account: SandboxAccount, env: Env): HttpProvider {
  const upstream = {
    name: account,
    fetcher: env.SANDBOX_PSP,
    baseUrl: BASE_URL,
    authorization: `Bearer ${accountKey(account)}`,
    timeoutMs: upstreamTimeoutMs(env),
  };
  return new HttpProvider(upstream, sandboxWire);
}

/** The sandbox's issuer: the 3-D Secure challenge a payer answers (src/routes/sandbox.ts). */
export const sandboxAcs = (env: Env, reference: string, init?: RequestInit) =>
  env.SANDBOX_PSP.fetch(`${BASE_URL}/acs/${encodeURIComponent(reference)}`, init);
