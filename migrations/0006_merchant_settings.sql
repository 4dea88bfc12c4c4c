-- A merchant configures itself (issue 11): `GET`/`PATCH /v1/merchant`, key rolls, an audit log.

-- `#rrggbb` (lower case) for the pay button and accents of the payer's pages; NULL: our default.
ALTER TABLE merchants ADD COLUMN brand_color TEXT;
-- Where a payer can get help (a link shown on the payer's pages); NULL: none.
ALTER TABLE merchants ADD COLUMN support_url TEXT;

-- Key rolls. The key that was current before the last roll keeps authenticating until
-- `previous_secret_key_expires_at` (epoch ms); only its hex SHA-256 is kept, as for the current
-- key. Rolling again replaces it: the key before that stops working at once. SQLite cannot add
-- a UNIQUE column, so the lookup index is made beside it (NULLs never collide in it).
ALTER TABLE merchants ADD COLUMN previous_secret_key_hash TEXT;
ALTER TABLE merchants ADD COLUMN previous_secret_key_expires_at INTEGER;
CREATE UNIQUE INDEX merchants_by_previous_secret_key_hash
  ON merchants (previous_secret_key_hash);

-- Bumped by every settings change and key roll: a write names the version it read, so of two
-- concurrent changes one wins and the other is refused (409), and the audit's `from` is true.
ALTER TABLE merchants ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;

-- Who changed what, when, through which request. Written in the same D1 batch (one
-- transaction) as the change itself. `seq` orders entries written in the same millisecond;
-- the public id is `aud_<seq>`. `actor` is JSON { type: "secret_key", key_hash_suffix }: the
-- last 4 hex digits of the key's SHA-256, never the key. `changes` is JSON
-- { field: { from, to } } with wire names and values; key rolls record no secret.
CREATE TABLE merchant_audit_log (
  seq INTEGER PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL
);

CREATE INDEX merchant_audit_log_by_merchant
  ON merchant_audit_log (merchant_id, created_at DESC, seq DESC);
