-- The list endpoint always filters by tenant and often by status, newest first. The V1 index on
-- (status, created_at) predates tenants: with many firms it walks other tenants' rows.
create index jobs_tenant_status_created_idx on jobs (tenant, status, created_at desc, id desc);
drop index jobs_status_created_idx;
