-- The sandbox merchant, for local development and tests only: applied by `npm start`
-- (scripts/start.sh) and by the worker tests (test/worker/setup.ts), never as a migration, so a
-- production D1 never holds it. Idempotent.
--
--   secret key (Checkout API, `Authorization: Bearer …`): sk_test_sandbox
--   StableMint dialect: api_key pk_test_sandbox, API secret sk_test_sandbox
--
-- The StableMint API secret must be usable to verify signatures, so it is kept sealed under
-- ENCRYPTION_KEY (`api_secret_sealed`, migrations/0004), which differs per install: a seed cannot
-- hold it. scripts/start.sh (scripts/seal-sandbox-secret.ts) and test/worker/setup.ts seal it.
--
-- Only hashes are stored: hex SHA-256 of "sk_test_sandbox", computed with
--   node -e 'console.log(require("node:crypto").createHash("sha256").update("sk_test_sandbox").digest("hex"))'
INSERT OR IGNORE INTO merchants
  (id, name, logo_url, secret_key_hash, api_key, api_secret_hash, providers, allowed_origins, created_at)
VALUES (
  'm_sandbox',
  'Sandbox Store',
  NULL,
  'f5c8bb5a44b28cfbe65e7221f149920b2cf309586c63bc40fae9bc0ce722b6a1',
  'pk_test_sandbox',
  'f5c8bb5a44b28cfbe65e7221f149920b2cf309586c63bc40fae9bc0ce722b6a1',
  '["sandbox","sandbox_backup"]',
  -- No allowed origins: any https URL (and http on localhost/127.0.0.1, as a sandbox merchant)
  -- may be a redirect, and any https page may frame the embedded checkout (README).
  '[]',
  1767225600000
);
