package law.courtdocs.job;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Any pod: jobs that waited too long for a captcha answer fail with CAPTCHA_TIMEOUT. */
@ApplicationScoped
public class CaptchaReaper {

    private final CaptchaService captchas;

    public CaptchaReaper(CaptchaService captchas) {
        this.captchas = captchas;
    }

    @Scheduled(every = "${court.captcha.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void timeOut() {
        int n = captchas.timeOutWaits(100);
        if (n > 0) {
            Log.infof("%d job(s) waited too long for a captcha answer and failed", n);
        }
    }
}
