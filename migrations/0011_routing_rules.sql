-- A merchant's routing rules (PATCH /v1/merchant `routing_rules`, src/core/routing.ts): evaluated
-- in order at each confirm; none matching, a payment goes to `providers` in order.
ALTER TABLE merchants ADD COLUMN routing_rules TEXT NOT NULL DEFAULT '[]';
