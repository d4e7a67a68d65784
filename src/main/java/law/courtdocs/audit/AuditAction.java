package law.courtdocs.audit;

/** What an audit event records; the name is stored and shown in {@code GET /api/v1/audit}. */
public enum AuditAction {
    /**
     * A document's bytes were served: its content (200; a 304 re-validation serves nothing and is
     * not recorded), or as one entry of its job's documents.zip (one event per document).
     */
    DOCUMENT_DOWNLOAD,
    /** A job was cancelled ({@code POST /api/v1/jobs/{id}/cancel}). */
    JOB_CANCEL,
    /** A failed or cancelled job was queued again ({@code POST /api/v1/jobs/{id}/retry}). */
    JOB_RETRY,
    /** A person answered a job's captcha ({@code POST /api/v1/jobs/{id}/captcha}); the answer is not kept here. */
    CAPTCHA_ANSWER,
    /** A document was put under legal hold ({@code POST /api/v1/documents/{id}/hold}): never purged. */
    DOCUMENT_HOLD,
    /** A document's legal hold was released ({@code DELETE /api/v1/documents/{id}/hold}). */
    DOCUMENT_RELEASE
}
