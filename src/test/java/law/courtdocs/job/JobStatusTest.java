package law.courtdocs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void aSucceededJobNeverMovesAgain(JobStatus target) {
        assertFalse(JobStatus.SUCCEEDED.canMoveTo(target));
    }

    @Test
    void theLifecycleAllowsExactlyTheDocumentedMoves() {
        assertTrue(JobStatus.QUEUED.canMoveTo(JobStatus.RUNNING));
        assertTrue(JobStatus.RUNNING.canMoveTo(JobStatus.SUCCEEDED));
        assertTrue(JobStatus.RUNNING.canMoveTo(JobStatus.RETRY_SCHEDULED));
        assertTrue(JobStatus.RUNNING.canMoveTo(JobStatus.QUEUED), "a lost or stopped worker hands the job back");
        assertTrue(JobStatus.RETRY_SCHEDULED.canMoveTo(JobStatus.QUEUED));
        assertTrue(JobStatus.FAILED.canMoveTo(JobStatus.QUEUED), "retry through the API");
        assertTrue(JobStatus.CANCELLED.canMoveTo(JobStatus.QUEUED), "retry through the API");

        assertFalse(JobStatus.QUEUED.canMoveTo(JobStatus.SUCCEEDED), "no success without running");
        assertFalse(JobStatus.RETRY_SCHEDULED.canMoveTo(JobStatus.RUNNING), "a retry goes through the queue");
        assertFalse(JobStatus.FAILED.canMoveTo(JobStatus.RUNNING));
        assertFalse(JobStatus.CANCELLED.canMoveTo(JobStatus.RUNNING));
        assertFalse(JobStatus.FAILED.canMoveTo(JobStatus.CANCELLED));
    }

    @Test
    void theEntityRefusesAForbiddenMoveAndKeepsItsStatus() {
        JobEntity job = JobEntity.newQueued(UUID.randomUUID(), "acme", "http://sd.gdems.com/v3/dzsd/abc123", "gdems", 5, null,
                5, Instant.now());
        job.moveTo(JobStatus.RUNNING);
        job.moveTo(JobStatus.SUCCEEDED);
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> job.moveTo(JobStatus.RUNNING));
        assertTrue(e.getMessage().contains("SUCCEEDED → RUNNING"), e.getMessage());
        assertEquals(JobStatus.SUCCEEDED, job.status());
    }

    @Test
    void finalStatusesAreTheOnesNoWorkerTouchesAgain() {
        assertTrue(JobStatus.SUCCEEDED.isFinal());
        assertTrue(JobStatus.FAILED.isFinal());
        assertTrue(JobStatus.CANCELLED.isFinal());
        assertFalse(JobStatus.RETRY_SCHEDULED.isFinal());
        assertFalse(JobStatus.RUNNING.isFinal());
    }
}
