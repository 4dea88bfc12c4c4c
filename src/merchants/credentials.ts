/**
 * A merchant's own keys at its upstream providers (`PATCH /v1/merchant` `provider_credentials`),
 * e.g. its Stripe restricted key. Write-only: kept sealed like webhook secrets (src/sealed.ts),
 * shown back only as a hint (`rk_test_…4xYz`) with when it was set, never logged, and unsealed
 * only for the call that needs it (src/providers/index.ts). A provider that needs a key cannot be in `providers` or a
 * routing rule without one.
 */
import * as z from "zod";
import type { StoredCredentials } from "../d1/merchants.js";
import { seal } from "../sealed.js";

/** Providers that take a merchant's own key, and what such a key looks like. */
export const CREDENTIAL_FORMATS = {
  // A restricted key (rk_) with PaymentIntents and Refunds write access, or a secret key (sk_).
  stripe: /^(?:rk|sk)_(?:test|live)_[A-Za-z0-9]{16,247}$/,
} as const;
export type CredentialProvider = keyof typeof CREDENTIAL_FORMATS;

export const needsCredentials = (provider: string): provider is CredentialProvider =>
  Object.hasOwn(CREDENTIAL_FORMATS, provider);

/** The PATCH's part: a new key per provider, or null to remove it. */
export const PatchCredentials = z
  .object({
    stripe: z
      .object({
        secret_key: z
          .string()
          .regex(
            CREDENTIAL_FORMATS.stripe,
            "A Stripe restricted key (rk_test_… or rk_live_…) or secret key (sk_…).",
          ),
      })
      .strict()
      .nullable(),
  })
  .partial()
  .strict();
export type PatchCredentials = z.infer<typeof PatchCredentials>;

/** What GET shows of them: enough to tell which key is set, nothing to use. */
export function credentialsView(stored: StoredCredentials) {
  return Object.fromEntries(
    Object.entries(stored).map(([provider, { hint, set_at }]) => [
      provider,
      { key_hint: hint, set_at: new Date(set_at).toISOString() },
    ]),
  );
}

/** `rk_test_…4xYz`: the key's kind and its last four characters. */
const hintOf = (key: string) => `${key.slice(0, key.indexOf("_", 3) + 1)}…${key.slice(-4)}`;

/** The stored credentials after a PATCH: new keys sealed, removed ones gone, the rest kept. */
export async function applyCredentials(
  env: Env,
  before: StoredCredentials,
  patch: PatchCredentials | undefined,
  now: number,
): Promise<StoredCredentials> {
  if (patch === undefined) return before;
  const after = { ...before };
  for (const [provider, change] of Object.entries(patch)) {
    if (change === undefined) continue;
    if (change === null) delete after[provider];
    else {
      const key = change.secret_key;
      after[provider] = { sealed: await seal(env, key), hint: hintOf(key), set_at: now };
    }
  }
  return after;
}
