package law.courtdocs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What counts against maxAttempts: attempts of the series that did not park for a captcha. */
class JobAttemptsInSeriesTest {

    static JobEntity job(int attempts, int seriesStart, int captchaRounds) {
        JobEntity job = JobEntity.newQueued(UUID.randomUUID(), "t", "http://sfsd.jxfy.gov.cn/sfsddz", "daolv", 5,
                null, 5, Instant.now());
        job.attempts = attempts;
        job.attemptSeriesStart = seriesStart;
        job.captchaRounds = captchaRounds;
        return job;
    }

    @Test
    void parkedAttemptsDoNotCount() {
        // four parks, then the login attempt that failed
        assertEquals(1, job(5, 0, 4).attemptsInSeries());
        // a daolv job: park, login, park, login
        assertEquals(2, job(4, 0, 2).attemptsInSeries());
    }

    @Test
    void withoutCaptchasEveryAttemptOfTheSeriesCounts() {
        assertEquals(3, job(3, 0, 0).attemptsInSeries());
        assertEquals(2, job(7, 5, 0).attemptsInSeries(), "attempts before the retry through the API are not");
    }

    @Test
    void neverBelowZero() {
        // an interrupted attempt moves the series start on by one
        assertEquals(0, job(2, 2, 1).attemptsInSeries());
    }
}
