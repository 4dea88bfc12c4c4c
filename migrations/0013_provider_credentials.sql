-- A merchant's own keys at its upstream providers (PATCH /v1/merchant `provider_credentials`,
-- src/merchants/credentials.ts), by provider: each sealed (src/sealed.ts), with a hint and when
-- it was set.
ALTER TABLE merchants ADD COLUMN provider_credentials TEXT NOT NULL DEFAULT '{}';
