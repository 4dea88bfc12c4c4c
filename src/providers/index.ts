/** Providers by name, as a merchant's routing list names them (`merchants.providers`). */
import type { Provider, ProviderOutcome } from "./provider.js";
import { isSandboxProvider, sandboxProvider } from "./sandbox.js";

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
  const outcome: ProviderOutcome = {
    type: "failed",
    code: "unknown_provider",
    message: `No provider named "${name}" is configured.`,
  };
  const answer = () => Promise.resolve(outcome);
  return {
    authorize: answer,
    completeAction: answer,
    status: answer,
    capture: answer,
    refund: answer,
  };
}
