-- The sandbox provider's own memory of the charges it was asked to make (it stands for an
-- outside provider). Only the scenario a test card selects is kept, never the card number.
CREATE TABLE IF NOT EXISTS sandbox_charges (
  charge_id TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  scenario TEXT NOT NULL,
  status TEXT NOT NULL,
  amount INTEGER NOT NULL,
  currency TEXT NOT NULL,
  capture_method TEXT NOT NULL,
  challenge TEXT CHECK (challenge IN ('approved', 'denied')),
  created_at INTEGER NOT NULL
);
