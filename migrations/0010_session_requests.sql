-- Which requests touched which session (issue 14: the ops screen finds a session by the
-- `request-id` a merchant, payer or provider call carried). Written by the session's D1
-- projection from its journal, idempotently (INSERT OR IGNORE); read by src/d1/ops-search.ts.
CREATE TABLE session_requests (
  merchant_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (merchant_id, request_id, session_id)
) WITHOUT ROWID;
