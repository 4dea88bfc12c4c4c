/** Providers by name, as a merchant's routing list names them (`merchants.providers`). */
import { merchantCredentials } from "../d1/merchants.js";
import { unseal } from "../sealed.js";
import { upstreamTimeoutMs } from "./http-provider.js";
import type { Provider, ProviderOutcome } from "./provider.js";
import { isSandboxProvider, sandboxProvider } from "./sandbox.js";
import { type StripeCharge, stripeProvider } from "./stripe.js";

/**
 * The provider a routing list names. An unknown name is not an exception: it answers every call
 * with a retryable `unknown_provider` failure, so the session falls back to the next provider.
 *
 * @example
 * const provider = createProvider("sandbox", env);
 * await provider.status("pay_…_ch1"); // { type: "succeeded" }
 */
export function createProvider(name: string, env: Env): Provider {
  if (isSandboxProvider(name)) return sandboxProvider(name, env);
  return failing("unknown_provider", `No provider named "${name}" is configured.`);
}

/**
 * The provider for one call about one charge: a provider at the merchant's own account (Stripe)
 * is built with the merchant's key, unsealed for this call, and the charge it is about.
 */
export async function providerFor(
  name: string,
  env: Env,
  merchantId: string,
  charge: StripeCharge,
): Promise<Provider> {
  if (name !== "stripe") return createProvider(name, env);
  // The merchant's key, unsealed for this call only (set write-only: src/merchants/credentials.ts).
  const sealed = (await merchantCredentials(env.DB, merchantId))?.stripe?.sealed;
  if (sealed === undefined) {
    const message = "No Stripe key is set: PATCH /v1/merchant provider_credentials.stripe.";
    return failing("provider_not_configured", message);
  }
  return stripeProvider({
    apiKey: await unseal(env, sealed),
    // Tests bind the fake Stripe here (src/secrets.d.ts); production goes to api.stripe.com.
    fetcher: env.STRIPE_UPSTREAM ?? { fetch },
    timeoutMs: upstreamTimeoutMs(env),
    charge,
  });
}

/** A provider that answers every call with the same retryable failure: nothing was done. */
function failing(code: string, message: string): Provider {
  const outcome: ProviderOutcome = { type: "failed", code, message };
  const answer = () => Promise.resolve(outcome);
  return {
    authorize: answer,
    completeAction: answer,
    status: answer,
    capture: answer,
    refund: answer,
  };
}
