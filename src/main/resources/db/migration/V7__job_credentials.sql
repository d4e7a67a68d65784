-- Portal credentials a job carries (phones, SMS code, daolv account and password), sealed with
-- AES-256-GCM by JobSecrets, the job id as associated data. Set to NULL in the transaction that
-- moves the job to SUCCEEDED, FAILED or CANCELLED: nothing secret outlives the job's work.
alter table jobs add column credentials bytea;

-- Court SMS messages posted to /api/v1/sms. The text holds codes and passwords, so it is kept
-- sealed too (associated data = the SMS id); "parsed" is what the API shows and holds no secret.
create table sms_messages (
    id               uuid          primary key,
    tenant           varchar(128)  not null,
    content          bytea         not null,
    received_at      timestamptz,
    case_ref         varchar(128),
    parsed           text          not null,
    idempotency_key  varchar(255),
    request_hash     char(64),
    created_at       timestamptz   not null
);
create index sms_messages_tenant_idx on sms_messages (tenant, created_at desc);
create unique index sms_messages_idempotency_idx on sms_messages (tenant, idempotency_key)
    where idempotency_key is not null;
