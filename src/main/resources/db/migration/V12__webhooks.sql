-- Webhook subscriptions (issue 15): each follows its tenant's events in seq order.
-- cursor_seq: every event of the tenant up to it has a delivery row (or did not match the
-- subscription's types); the sender hands out the next one only when no earlier delivery is
-- still pending, so a receiver sees a subscription's events in seq order.
CREATE TABLE webhooks (
    id              uuid          PRIMARY KEY,
    tenant          varchar(128)  NOT NULL,
    url             varchar(2048) NOT NULL,
    event_types     varchar(1024) NOT NULL,
    description     varchar(500),
    secret          bytea         NOT NULL,
    created_at      timestamptz   NOT NULL,
    created_by      varchar(256),
    cursor_seq      bigint        NOT NULL,
    next_attempt_at timestamptz   NOT NULL,
    lease_until     timestamptz,
    lease_owner     varchar(128)
);

CREATE INDEX webhooks_tenant ON webhooks (tenant, created_at);
CREATE INDEX webhooks_due ON webhooks (next_attempt_at);

CREATE TABLE webhook_deliveries (
    id               uuid          PRIMARY KEY,
    webhook_id       uuid          NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         uuid          NOT NULL,
    seq              bigint        NOT NULL,
    type             varchar(64)   NOT NULL,
    status           varchar(16)   NOT NULL,
    attempts         integer       NOT NULL,
    first_attempt_at timestamptz,
    last_attempt_at  timestamptz,
    last_http_status integer,
    last_error       varchar(500),
    next_attempt_at  timestamptz,
    delivered_at     timestamptz,
    created_at       timestamptz   NOT NULL,
    CONSTRAINT webhook_deliveries_event UNIQUE (webhook_id, event_id)
);

CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, seq DESC);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, seq) WHERE status = 'PENDING';
