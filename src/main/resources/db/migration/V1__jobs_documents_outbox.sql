-- Jobs: one court delivery link to download. Status values are the API's (see JobStatus).
create table jobs (
    id               uuid primary key,
    url              varchar(2048) not null,
    portal           varchar(32)   not null,
    status           varchar(32)   not null,
    priority         smallint      not null check (priority between 1 and 10),
    case_ref         varchar(128),
    attempts         integer       not null default 0,
    max_attempts     integer       not null,
    created_at       timestamptz   not null,
    started_at       timestamptz,
    finished_at      timestamptz,
    next_attempt_at  timestamptz,
    lease_until      timestamptz,
    worker           varchar(255),
    error_code       varchar(64),
    error_message    varchar(2000),
    version          bigint        not null default 0
);
-- The list endpoint filters by these and sorts newest first.
create index jobs_created_idx on jobs (created_at desc, id);
create index jobs_status_created_idx on jobs (status, created_at desc);
create index jobs_case_ref_idx on jobs (case_ref) where case_ref is not null;
create index jobs_retry_due_idx on jobs (next_attempt_at) where status = 'RETRY_SCHEDULED';

create table job_attempts (
    job_id         uuid         not null references jobs (id) on delete cascade,
    number         integer      not null,
    worker         varchar(255) not null,
    started_at     timestamptz  not null,
    finished_at    timestamptz,
    outcome        varchar(32),
    error_code     varchar(64),
    error_message  varchar(2000),
    primary key (job_id, number)
);

create table documents (
    id            uuid primary key,
    job_id        uuid          not null references jobs (id) on delete cascade,
    file_name     varchar(512)  not null,
    content_type  varchar(128)  not null,
    size_bytes    bigint        not null,
    sha256        char(64)      not null,
    title         varchar(512),
    court         varchar(256),
    source_id     varchar(512)  not null,
    created_at    timestamptz   not null,
    -- a job that runs twice must not store a document twice
    constraint documents_job_source_uq unique (job_id, source_id)
);

-- Document bytes in 1 MiB chunks: API pods on other machines read them without a shared disk,
-- and neither side ever holds a whole large file in memory.
create table document_chunks (
    document_id  uuid    not null references documents (id) on delete cascade,
    seq          integer not null,
    data         bytea   not null,
    primary key (document_id, seq)
);

-- Transactional outbox: written with the job row, published to RabbitMQ by the relay.
create table outbox (
    id          bigserial primary key,
    job_id      uuid        not null,
    priority    smallint    not null,
    payload     text        not null,
    created_at  timestamptz not null,
    sent_at     timestamptz
);
create index outbox_unsent_idx on outbox (id) where sent_at is null;
