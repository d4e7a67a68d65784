-- Tracing (issue 19): the submit's W3C traceparent travels with the job's queue message, and each
-- attempt records the trace it ran in, so an operator goes from a failed attempt to its trace.
ALTER TABLE outbox ADD COLUMN trace_parent varchar(55);
ALTER TABLE job_attempts ADD COLUMN trace_id varchar(32);
