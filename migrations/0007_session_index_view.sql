-- The merchant's view of each session (`GET /v1/checkout-sessions/:id` without the payer token),
-- written with every projection, so `GET /v1/checkout-sessions` lists the same objects as a
-- retrieve does. Rows written before this column existed hold NULL and are read from the object.
ALTER TABLE checkout_sessions ADD COLUMN view TEXT;
