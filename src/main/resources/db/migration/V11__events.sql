-- Domain events (issue 15): written in the same transaction as the change they describe.
-- seq is dense and increases per tenant in commit order: the counter row is taken with the
-- event and held until commit, so a reader that saw seq n never later finds a smaller one.
CREATE TABLE event_counters (
    tenant   varchar(128) PRIMARY KEY,
    last_seq bigint       NOT NULL
);

CREATE TABLE events (
    id          uuid         PRIMARY KEY,
    tenant      varchar(128) NOT NULL,
    seq         bigint       NOT NULL,
    type        varchar(64)  NOT NULL,
    occurred_at timestamptz  NOT NULL,
    job_id      uuid,
    case_ref    varchar(128),
    data        text         NOT NULL,
    CONSTRAINT events_tenant_seq UNIQUE (tenant, seq)
);

CREATE INDEX events_occurred_at ON events (occurred_at);
CREATE INDEX events_tenant_job ON events (tenant, job_id, seq) WHERE job_id IS NOT NULL;
