// Secrets are not in wrangler.toml (so `wrangler types` cannot see them): `.dev.vars` locally
// (written by `npm start` when missing), `wrangler secret put TOKEN_SECRET` in production.
interface Env {
  /** At least 32 random characters; keys the HMAC of payer tokens. */
  TOKEN_SECRET?: string;
}
