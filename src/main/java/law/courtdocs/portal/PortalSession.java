package law.courtdocs.portal;

import com.microsoft.playwright.BrowserContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What a portal adapter gets to do its one job: the link, a browser context, an HTTP client,
 * a scratch directory and a place to hand documents over. The worker owns every resource here;
 * an adapter never closes them, not even the pages it opens: when an attempt fails, the worker
 * keeps a screenshot and the HTML of the last page before it closes the context.
 */
public interface PortalSession {

    URI link();

    /**
     * A fresh browser context for this job (downloads on, zh-CN, Asia/Shanghai, outbound proxy
     * applied). Created on first call, so adapters that need no browser never start one.
     */
    BrowserContext browser();

    /** HTTP client for direct calls: same outbound proxy as the browser, no cookies shared. */
    HttpClient http();

    /** Empty directory owned by this job; deleted by the worker afterwards. */
    Path workDir();

    Duration navigationTimeout();

    Duration downloadTimeout();

    /** Phones, codes, account and password that came with the job; empty values when none. */
    default PortalCredentials credentials() {
        return PortalCredentials.none();
    }

    /**
     * Answers a captcha image (PNG/JPEG bytes) at once, for solvers that can (a test's). The
     * worker's solver is a person, who cannot be asked without a session to park, so in the
     * worker this form ends the attempt with {@code CAPTCHA_TIMEOUT}: adapters call
     * {@link #solveCaptcha(byte[], ParkedSession)}.
     */
    default String solveCaptcha(byte[] image) throws PortalException {
        throw new PortalException(law.courtdocs.job.ErrorCode.CAPTCHA_TIMEOUT, "no captcha solver available");
    }

    /**
     * Answers a captcha, or parks the job: when no answer is at hand (the default solver is a
     * person) this throws {@link CaptchaParked}, the worker keeps {@code resumeWith} sealed with
     * the job and frees its slot, and a later attempt gets it back through {@link #resume()} with
     * the person's answer. {@code resumeWith} must be enough to check an answer to exactly this
     * image (its cookies, its captcha id). Solvers that answer at once ignore it.
     */
    default String solveCaptcha(byte[] image, ParkedSession resumeWith) throws PortalException {
        return solveCaptcha(image);
    }

    /** The session an earlier attempt parked with, and the answer a person gave to its captcha. */
    record Resume(ParkedSession session, String answer) {
        @Override
        public String toString() {
            return "Resume[" + session + "]"; // never the answer
        }
    }

    /** Present when this attempt continues a job that waited for a captcha answer. */
    default Optional<Resume> resume() {
        return Optional.empty();
    }

    /**
     * Hands one complete document to storage. Idempotent per {@code sourceId} within a job. The
     * worker may still be reading the file after this returns (it stores one document while the
     * adapter fetches the next): leave it in place and unchanged, and write the next document to a
     * new file. A failure to store it comes out of the next call, or reaches the worker after
     * {@code download} returns; adapters need not look for it.
     */
    void accept(DownloadedFile document) throws PortalException;
}
