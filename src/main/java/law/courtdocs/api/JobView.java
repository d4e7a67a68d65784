package law.courtdocs.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import law.courtdocs.job.JobEntity;
import law.courtdocs.storage.DocumentEntity;

/**
 * The Job JSON: field names are a contract with the frontend. Credentials never appear, only
 * whether the job still holds some ({@code hasCredentials}; false once it finished, they are erased).
 */
public record JobView(
        UUID id,
        String url,
        String portal,
        String status,
        int priority,
        String caseRef,
        int attempts,
        int maxAttempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant nextAttemptAt,
        Instant captchaRequestedAt,
        ErrorView error,
        boolean hasCredentials,
        List<DocumentView> documents) {

    public record ErrorView(String code, String message) {}

    /** {@code legalHold}: kept past {@code court.retention.documents} (POST /api/v1/documents/{id}/hold). */
    public record DocumentView(UUID id, String fileName, String contentType, long sizeBytes, String sha256,
            String title, String court, String caseNumber, boolean legalHold) {

        static DocumentView of(DocumentEntity d) {
            return new DocumentView(d.id, d.fileName, d.contentType, d.sizeBytes, d.sha256, d.title, d.court,
                    d.caseNumber, d.legalHold);
        }
    }

    static JobView of(JobEntity job, List<DocumentEntity> documents) {
        ErrorView error = job.errorCode == null ? null : new ErrorView(job.errorCode, job.errorMessage);
        return new JobView(job.id, job.url, job.portal, job.status().name(), job.priority, job.caseRef, job.attempts,
                job.maxAttempts, job.createdAt, job.startedAt, job.finishedAt, job.nextAttemptAt,
                job.captchaRequestedAt, error, job.hasCredentials(),
                documents.stream().map(DocumentView::of).toList());
    }
}
