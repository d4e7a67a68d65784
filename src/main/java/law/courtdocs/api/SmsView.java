package law.courtdocs.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer of {@code POST /api/v1/sms} and {@code GET /api/v1/sms/{id}}: what was read from the
 * message and the jobs made from it. Codes, accounts, passwords and phones are never shown, only
 * whether they were there.
 */
public record SmsView(UUID id, Instant receivedAt, String caseRef, Instant createdAt, Parsed parsed,
        List<JobView> jobs) {

    /**
     * @param links        every delivery link found, in order, with what became of it
     * @param hasCode      a verification code (验证码) was found and went with the jobs
     * @param phones       how many phones the request named (they went with the jobs)
     * @param filingNotice a 立案 notice without a delivery link: nothing to download
     */
    public record Parsed(List<Link> links, List<String> caseNumbers, String court, boolean hasCode,
            boolean hasAccount, boolean hasPassword, int phones, boolean filingNotice) {}

    /** Outcomes of a link. */
    public enum Outcome {
        /** A new job was made. */
        JOB_CREATED,
        /** The delivery already had an active or successful job in the tenant: that one. */
        EXISTING_JOB,
        /** Not on the allowlist, or no adapter reads it: no job. */
        REFUSED
    }

    /** @param reason why a link was refused; null otherwise */
    public record Link(String url, String portal, Outcome outcome, String reason, UUID jobId) {}
}
