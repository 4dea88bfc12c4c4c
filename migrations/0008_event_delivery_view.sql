-- Each event's delivery as the API shows it, per endpoint, so that the list shows what
-- GET /v1/events/:id shows (rows written before this keep the older columns).
ALTER TABLE webhook_events ADD COLUMN delivery TEXT;
