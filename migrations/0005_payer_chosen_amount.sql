-- Sessions whose payer chooses the amount (StableMint embedded without `amount`): the session
-- index holds NULL in `amount` until the payer's first accepted confirm fixes it, then the amount
-- (src/session-index.ts). SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt
-- (create the new one, copy, drop the old, rename) and both indexes are made again, as they went
-- with the old table.
CREATE TABLE checkout_sessions_new (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  status TEXT NOT NULL,
  amount INTEGER,
  currency TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  payment_id TEXT
);

INSERT INTO checkout_sessions_new
  (id, merchant_id, status, amount, currency, created_at, updated_at, expires_at, payment_id)
SELECT id, merchant_id, status, amount, currency, created_at, updated_at, expires_at, payment_id
FROM checkout_sessions;

DROP TABLE checkout_sessions;
ALTER TABLE checkout_sessions_new RENAME TO checkout_sessions;

CREATE INDEX checkout_sessions_by_merchant
  ON checkout_sessions (merchant_id, created_at DESC, id DESC);
CREATE INDEX checkout_sessions_by_merchant_status
  ON checkout_sessions (merchant_id, status, created_at DESC, id DESC);
