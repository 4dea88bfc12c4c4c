-- The sandbox provider keeps its charges in a Durable Object of its own (SandboxLedger), apart
-- from our D1 as an outside provider's records are: its old table goes.
DROP TABLE IF EXISTS sandbox_charges;
