-- Tenants: every job and document belongs to one firm (the token's tenant claim). Rows from
-- before tenants existed go to 'default'; from now on the code always names the tenant, so the
-- column default is dropped again and a missing tenant is an error, not a silent 'default'.
-- Attempts belong to their job and carry no tenant of their own; outbox rows only name a job.
alter table jobs add column tenant varchar(128) not null default 'default';
alter table jobs alter column tenant drop default;

alter table documents add column tenant varchar(128);
update documents d set tenant = j.tenant from jobs j where j.id = d.job_id;
alter table documents alter column tenant set not null;

-- Lists are per tenant, newest first; the old index served the same order without the tenant.
create index jobs_tenant_created_idx on jobs (tenant, created_at desc, id desc);
drop index jobs_created_idx;
create index jobs_tenant_case_ref_idx on jobs (tenant, case_ref) where case_ref is not null;
drop index jobs_case_ref_idx;

-- Audit trail: who did what to which job or document, from where. Append-only.
create table audit_events (
    id              bigserial    primary key,
    tenant          varchar(128) not null,
    subject         varchar(255) not null,
    action          varchar(32)  not null,
    target_id       uuid         not null,
    client_address  varchar(64),
    created_at      timestamptz  not null
);
create index audit_events_tenant_created_idx on audit_events (tenant, created_at desc, id desc);
