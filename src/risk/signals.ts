/**
 * What the risk rules (src/core/risk.ts) are told of a confirm, gathered here: how often its
 * card, email and client address were seen (the merchant's counters, src/risk/velocity.ts), the
 * card's country by BIN, the billing country, where the request came from, and the session's
 * declines. Counters are keyed by an HMAC under a key derived from `ENCRYPTION_KEY`: neither a
 * card number nor an email nor an address is ever stored.
 *
 * In test mode (a sandbox merchant's sessions) every developer shares the same test cards,
 * emails and localhost, so only inputs reserved for the purpose are counted: the card
 * 4000 0000 0000 4954, emails at `risk.test`, and the documentation networks of RFC 5737.
 */
import type { RiskAssessment } from "../../machines/index.js";
import type { ConfirmCheckoutSession } from "../core/confirm-request.js";
import type { StoredSession } from "../core/details.js";
import { assessRisk, DEFAULT_RISK_SETTINGS, type RiskFacts } from "../core/risk.js";
import { cardCountry } from "../core/routing.js";
import { clientAddress } from "../rate-limit.js";
import { derivedKey } from "../sealed.js";
import { riskCounters } from "./velocity.js";

/** Where a confirm came from: `CF-Connecting-IP` (src/rate-limit.ts) and `request.cf.country`. */
export interface ClientFacts {
  address: string | null;
  country: string | null;
}

/**
 * The payer's side of a confirm request. A confirm without an `Origin` came from a server (a
 * merchant confirming for its payer), whose address says nothing of the payer: not counted.
 */
export function clientFacts(request: Request): ClientFacts {
  const country = request.cf?.country;
  return {
    address: request.headers.has("origin") ? clientAddress(request) : null,
    country: typeof country === "string" ? country : null,
  };
}

export const RISK_TEST_CARD = "4000000000004954";
const RISK_TEST_EMAIL = /@risk\.test$/;
const RISK_TEST_ADDRESS = /^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/;

/** The assessment a confirm takes to the machine (`CONFIRM.risk`). */
export async function assessConfirm(
  env: Env,
  session: Pick<StoredSession, "snapshot" | "details">,
  params: ConfirmCheckoutSession,
  client: ClientFacts,
): Promise<RiskAssessment> {
  const { context } = session.snapshot;
  const testMode = session.details.merchant.sandbox === true;
  const method = params.payment_method;
  const card = method.type === "card" ? method.card.number.replace(/[\s-]/g, "") : null;
  const email = (params.payer?.email ?? context.payer.email)?.trim().toLowerCase() ?? null;
  const counted = {
    card: card !== null && (!testMode || card === RISK_TEST_CARD) ? card : null,
    email: email !== null && (!testMode || RISK_TEST_EMAIL.test(email)) ? email : null,
    ip:
      client.address !== null && (!testMode || RISK_TEST_ADDRESS.test(client.address))
        ? client.address
        : null,
  };
  const confirms = await countConfirms(env, context.merchantId, counted);
  const billing = params.payer?.billing_address?.country ?? context.payer.billingAddress?.country;
  const facts: RiskFacts = {
    method: method.type,
    amount: context.amount ?? params.amount ?? 0,
    currency: context.currency,
    cardConfirms: confirms.card,
    emailConfirms: confirms.email,
    ipConfirms: confirms.ip,
    billingCountry: billing?.toUpperCase() ?? null,
    cardCountry: card === null ? null : cardCountry(card),
    // XX: Cloudflare does not know; T1: Tor, which has no country.
    ipCountry: client.country === "XX" || client.country === "T1" ? null : client.country,
    sessionDeclines:
      context.payment?.charges.filter((charge) => charge.status === "declined").length ?? 0,
  };
  return assessRisk(facts, session.details.risk ?? DEFAULT_RISK_SETTINGS);
}

type Counted = Record<"card" | "email" | "ip", number | null>;

/** Each value's confirms in the window, this one counted; null for a value not counted. */
async function countConfirms(
  env: Env,
  merchantId: string,
  values: Record<keyof Counted, string | null>,
): Promise<Counted> {
  const counted: Counted = { card: null, email: null, ip: null };
  const kinds = (Object.keys(values) as Array<keyof Counted>).filter((k) => values[k] !== null);
  if (kinds.length === 0) return counted;
  const keys = await Promise.all(kinds.map((kind) => fingerprint(env, kind, values[kind] ?? "")));
  const counts = await riskCounters(env, merchantId).record(keys);
  kinds.forEach((kind, i) => {
    counted[kind] = counts[i] ?? null;
  });
  return counted;
}

const fingerprintKey = (env: Env) =>
  derivedKey(
    env,
    "edge-checkout risk fingerprints v1",
    { name: "HMAC", hash: "SHA-256", length: 256 },
    ["sign"],
  );

/** A keyed hash of one value: the same card always counts under the same key, unreadable. */
async function fingerprint(env: Env, kind: string, value: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await fingerprintKey(env),
    new TextEncoder().encode(`${kind}:${value}`),
  );
  const hex = [...new Uint8Array(mac, 0, 16)].map((b) => b.toString(16).padStart(2, "0"));
  return `${kind}:${hex.join("")}`;
}
