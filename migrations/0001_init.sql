-- D1 schema, first migration. The Durable Object of each session is the truth; D1 holds the
-- merchants, their webhook endpoints and a session index (a projection for listing and ops).
-- Times are epoch milliseconds. JSON columns are parsed with zod when read (src/merchants.ts).

-- Secret keys are never stored: only the hex SHA-256 of each key (the UNIQUE index is the lookup).
CREATE TABLE merchants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  logo_url TEXT,
  secret_key_hash TEXT NOT NULL UNIQUE,
  -- StableMint dialect: the public `api_key` header and the hash of its API secret.
  api_key TEXT UNIQUE,
  api_secret_hash TEXT,
  -- JSON array of provider names, in routing order (the first is tried first).
  providers TEXT NOT NULL DEFAULT '["sandbox","sandbox_backup"]',
  -- JSON array of origins redirect URLs must match; empty means any https origin.
  allowed_origins TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);

-- Written by each session's object after it persists a transition (src/session-index.ts); an
-- update carrying an older `updated_at` is ignored, so the projection never moves backwards.
CREATE TABLE checkout_sessions (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  status TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  payment_id TEXT
);

-- Keyset pagination: newest first, `id` breaks ties between sessions created in the same ms.
CREATE INDEX checkout_sessions_by_merchant
  ON checkout_sessions (merchant_id, created_at DESC, id DESC);
-- The same order within one status; `id` is included so a status filter sorts without a temp b-tree.
CREATE INDEX checkout_sessions_by_merchant_status
  ON checkout_sessions (merchant_id, status, created_at DESC, id DESC);

-- Registered webhook endpoints (used by a later issue; the table exists from the start).
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  url TEXT NOT NULL,
  -- JSON array of event types.
  events TEXT NOT NULL DEFAULT '[]',
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);

CREATE INDEX webhook_endpoints_by_merchant ON webhook_endpoints (merchant_id);
