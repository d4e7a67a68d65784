-- Retention (issue 19): documents, attempt evidence and SMS texts are purged after their
-- court.retention.* period; a document under legal hold never is.
ALTER TABLE documents ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;
ALTER TABLE documents ADD COLUMN hold_reason varchar(500);
ALTER TABLE documents ADD COLUMN held_by varchar(256);
ALTER TABLE documents ADD COLUMN held_at timestamptz;

-- what each purge pass looks for, oldest first
CREATE INDEX documents_purge_idx ON documents (created_at) WHERE NOT legal_hold;
CREATE INDEX job_attempts_evidence_idx ON job_attempts (finished_at)
    WHERE screenshot IS NOT NULL OR page_html IS NOT NULL;
CREATE INDEX sms_messages_text_idx ON sms_messages (created_at) WHERE octet_length(content) > 0;
