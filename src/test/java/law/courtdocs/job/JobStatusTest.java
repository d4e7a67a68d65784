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
    void aRunningJobParksForACaptchaAndLeavesOnlyByAnswerTimeoutOrCancel() {
        assertTrue(JobStatus.RUNNING.canMoveTo(JobStatus.WAITING_FOR_CAPTCHA));
        assertTrue(JobStatus.WAITING_FOR_CAPTCHA.canMoveTo(JobStatus.QUEUED), "answered: back through the queue");
        assertTrue(JobStatus.WAITING_FOR_CAPTCHA.canMoveTo(JobStatus.FAILED), "nobody answered in time");
        assertTrue(JobStatus.WAITING_FOR_CAPTCHA.canMoveTo(JobStatus.CANCELLED));

        assertFalse(JobStatus.WAITING_FOR_CAPTCHA.canMoveTo(JobStatus.RUNNING), "the answer goes through the queue");
        assertFalse(JobStatus.WAITING_FOR_CAPTCHA.canMoveTo(JobStatus.SUCCEEDED));
        assertFalse(JobStatus.WAITING_FOR_CAPTCHA.canMoveTo(JobStatus.RETRY_SCHEDULED));
        assertFalse(JobStatus.QUEUED.canMoveTo(JobStatus.WAITING_FOR_CAPTCHA), "only a running adapter asks");
        assertFalse(JobStatus.RETRY_SCHEDULED.canMoveTo(JobStatus.WAITING_FOR_CAPTCHA));
        assertFalse(JobStatus.FAILED.canMoveTo(JobStatus.WAITING_FOR_CAPTCHA));
        assertFalse(JobStatus.WAITING_FOR_CAPTCHA.isFinal(), "a waiting job can still finish");
    }

    @Test
    void aParkedJobThatIsAnsweredRunsAgainThroughTheQueue() {
        JobEntity job = JobEntity.newQueued(UUID.randomUUID(), "acme", "http://dzsd.hbfy.gov.cn/hb/msg=abc", "hubei-sms", 5,
                null, 5, Instant.now());
        job.moveTo(JobStatus.RUNNING);
        job.moveTo(JobStatus.WAITING_FOR_CAPTCHA);
        assertThrows(IllegalTransitionException.class, () -> job.moveTo(JobStatus.SUCCEEDED));
        job.moveTo(JobStatus.QUEUED);
        job.moveTo(JobStatus.RUNNING);
        job.moveTo(JobStatus.WAITING_FOR_CAPTCHA);
        job.moveTo(JobStatus.FAILED);
        assertEquals(JobStatus.FAILED, job.status());
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
        assertFalse(JobStatus.WAITING_FOR_CAPTCHA.isFinal());
    }
}
