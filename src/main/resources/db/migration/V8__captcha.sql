-- A job parked for a captcha: when it started waiting (the timeout counts from there) and how
-- many times a person was asked in this series (at most court.captcha.max-rounds).
alter table jobs add column captcha_requested_at timestamptz;
alter table jobs add column captcha_rounds integer not null default 0;
create index jobs_captcha_wait_idx on jobs (captcha_requested_at) where status = 'WAITING_FOR_CAPTCHA';

-- The image a person reads and the portal session to continue with, kept apart from jobs so
-- listing jobs never reads bytea. session and answer are sealed (AES-GCM, bound to the job id).
-- The row lives from the park until the next attempt takes it, or the job finishes.
create table job_captchas (
    job_id          uuid         primary key references jobs (id) on delete cascade,
    image           bytea,
    image_type      varchar(64),
    sealed_session  bytea        not null,
    sealed_answer   bytea,
    created_at      timestamptz  not null
);
