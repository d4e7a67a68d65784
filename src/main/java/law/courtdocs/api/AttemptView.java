package law.courtdocs.api;

import java.time.Instant;
import java.util.List;
import law.courtdocs.job.AttemptEntity;

/**
 * One attempt of a job, for {@code GET /api/v1/jobs/{id}/attempts}; {@code traceId} finds it in
 * the tracing backend.
 */
public record AttemptView(int number, String worker, Instant startedAt, Instant finishedAt, String outcome,
        JobView.ErrorView error, boolean hasScreenshot, boolean hasHtml, List<String> blockedRequests,
        String traceId) {

    static AttemptView of(AttemptEntity a) {
        List<String> blocked = a.blockedRequests == null || a.blockedRequests.isBlank() ? List.of()
                : List.of(a.blockedRequests.split("\n"));
        return new AttemptView(a.key.number(), a.worker, a.startedAt, a.finishedAt, a.outcome,
                a.errorCode == null ? null : new JobView.ErrorView(a.errorCode, a.errorMessage),
                a.screenshot != null, a.pageHtml != null, blocked, a.traceId);
    }
}
