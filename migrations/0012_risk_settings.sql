-- A merchant's risk thresholds (PATCH /v1/merchant `risk`, src/core/risk.ts): what it set; the
-- defaults fill the rest.
ALTER TABLE merchants ADD COLUMN risk_settings TEXT NOT NULL DEFAULT '{}';
