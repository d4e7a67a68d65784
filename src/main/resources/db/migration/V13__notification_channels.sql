-- Chat-group notification channels (issue 15, item 4) are subscriptions of another kind: they
-- follow the tenant's events with the same cursor, lease, ordering and retry rows as webhooks,
-- and only the last step (the vendor's robot API instead of a signed POST) differs.
-- For a channel, url holds a display form without the robot's token, and secret the sealed
-- JSON of everything that reaches the robot (webhook URL or bot token, chat id, signing secret).
ALTER TABLE webhooks ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'webhook';
-- a channel may follow one case only (a group per matter)
ALTER TABLE webhooks ADD COLUMN case_ref varchar(128);

DROP INDEX webhooks_tenant;
CREATE INDEX webhooks_tenant ON webhooks (tenant, kind, created_at);
