package law.courtdocs.audit;

/** What an audit event records; the name is stored and shown in {@code GET /api/v1/audit}. */
public enum AuditAction {
    /** A document's bytes were served (200; a 304 re-validation serves nothing and is not recorded). */
    DOCUMENT_DOWNLOAD,
    /** Reserved for the cancel endpoint (not built yet). */
    JOB_CANCEL,
    /** Reserved for the retry endpoint (not built yet). */
    JOB_RETRY
}
