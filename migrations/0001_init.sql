-- Placeholder schema: replaced as the merchant model is written.
CREATE TABLE IF NOT EXISTS merchants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_key_hash TEXT NOT NULL UNIQUE,
  api_key TEXT UNIQUE,
  created_at INTEGER NOT NULL
);
