-- What a failed attempt looked like (size-capped, secrets redacted before storing).
alter table job_attempts add column screenshot bytea;
alter table job_attempts add column page_html text;
alter table job_attempts add column blocked_requests text;

-- A retry requested through the API starts a new series of attempts: maxAttempts counts from here.
alter table jobs add column attempt_series_start integer not null default 0;

-- The reaper looks for running jobs whose worker stopped extending the lease.
create index jobs_lease_idx on jobs (lease_until) where status = 'RUNNING';
