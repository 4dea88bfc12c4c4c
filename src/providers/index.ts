/** Providers by name, as a merchant's routing list names them. */
import type { Provider, ProviderOutcome } from "./provider.js";
import { SandboxProvider } from "./sandbox.js";

const unknown = (name: string): ProviderOutcome => ({
  type: "failed",
  code: "unknown_provider",
  message: `No provider named ${name} is configured.`,
});

export function createProvider(name: string, env: Env, origin: string): Provider {
  if (name === "sandbox" || name === "sandbox_backup")
    return new SandboxProvider(name, env.DB, origin);
  const answer = async () => unknown(name);
  return { authorize: answer, completeAction: answer, status: answer, capture: answer };
}
