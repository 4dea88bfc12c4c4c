// Secrets are not in wrangler.toml (so `wrangler types` cannot see them): `.dev.vars` locally
// (written by `npm start` when missing), `wrangler secret put <NAME>` in production.
interface Env {
  /** At least 32 random characters; keys the HMAC of payer tokens. */
  TOKEN_SECRET?: string;
  /** At least 32 random characters; seals stored secrets such as webhook signing secrets. */
  ENCRYPTION_KEY?: string;
  /**
   * Where the Stripe adapter (src/providers/stripe.ts) sends its calls, when bound: in tests,
   * the fake Stripe (fake-stripe/, bound by vitest.config.ts). Production binds nothing here
   * and reaches api.stripe.com over the global fetch. Not in wrangler.toml for that reason.
   */
  STRIPE_UPSTREAM?: Fetcher;
}
