-- Webhook delivery (issue 4). Endpoint signing secrets are sealed (AES-GCM under ENCRYPTION_KEY,
-- src/sealed.ts): the column holds ciphertext, never a usable `whsec_…`. During a rotation the
-- previous secret keeps signing beside the new one until `previous_secret_expires_at`.
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN previous_secret_expires_at INTEGER;
-- Why the endpoint was disabled (e.g. it answered 410 Gone), shown by the API.
ALTER TABLE webhook_endpoints ADD COLUMN disabled_reason TEXT;

-- The events index: a projection of every session object's outbox for `GET /v1/events`, written
-- by the object after each transition it persists (the object stays the truth). An update older
-- than the stored row is ignored, as for the session index.
CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  type TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  -- pending | delivered | failed | skipped
  delivery_status TEXT NOT NULL,
  -- JSON array of attempts: { at, endpoint_id, status_code, latency_ms, error }.
  attempts TEXT NOT NULL DEFAULT '[]',
  next_attempt_at INTEGER,
  updated_at INTEGER NOT NULL
);

CREATE INDEX webhook_events_by_merchant ON webhook_events (merchant_id, created_at DESC, id DESC);
CREATE INDEX webhook_events_by_session ON webhook_events (session_id, sequence);
