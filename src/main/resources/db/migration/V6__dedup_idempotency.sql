-- The same delivery submitted twice finds the first job: compared by a normalised key.
alter table jobs add column dedup_key varchar(2100);
create index jobs_dedup_idx on jobs (tenant, dedup_key, created_at desc) where dedup_key is not null;

-- Idempotency-Key: the same key within 24 h gets the same answer (per tenant).
create table idempotency_keys (
    tenant        varchar(128)  not null,
    key           varchar(255)  not null,
    request_hash  char(64)      not null,
    job_id        uuid          not null references jobs (id) on delete cascade,
    status        smallint      not null,
    created_at    timestamptz   not null,
    primary key (tenant, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
