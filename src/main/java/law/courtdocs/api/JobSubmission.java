package law.courtdocs.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import law.courtdocs.auth.Caller;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.egress.LinkPolicy;
import law.courtdocs.job.JobService;
import law.courtdocs.job.NewJob;
import law.courtdocs.portal.PortalAdapter;
import law.courtdocs.portal.PortalRegistry;
import law.courtdocs.queue.OutboxRelay;

/** Checks a submission before anything is stored, then stores and queues it. */
@ApplicationScoped
public class JobSubmission {

    private final LinkPolicy links;
    private final PortalRegistry portals;
    private final JobService jobs;
    private final OutboxRelay relay;

    public JobSubmission(CourtConfig config, PortalRegistry portals, JobService jobs, OutboxRelay relay) {
        this.links = new LinkPolicy(config.portals().allowedHosts());
        this.portals = portals;
        this.jobs = jobs;
        this.relay = relay;
    }

    /**
     * @param idempotencyKey the caller's {@code Idempotency-Key} header, or null
     * @return the job, created now or found (same delivery already standing, or same key)
     */
    public JobService.Submitted submit(Caller caller, SubmitJobRequest body, String idempotencyKey) {
        JobService.Idempotency idempotency = idempotencyKey == null ? null
                : new JobService.Idempotency(checkKey(idempotencyKey), requestHash(body));
        URI link;
        try {
            link = links.check(body.url());
        } catch (LinkPolicy.RejectedLink e) {
            throw new ApiProblem(422, "Link not accepted", e.getMessage(),
                    List.of(new ApiProblem.FieldError("url", e.getMessage())));
        }
        PortalAdapter adapter = portals.forLink(link).orElseThrow(() -> new ApiProblem(422, "Link not accepted",
                "no portal adapter reads this link", List.of(new ApiProblem.FieldError("url", "unsupported link"))));
        NewJob job = new NewJob(link, adapter.id(), body.priorityOrDefault(), blankToNull(body.caseRef()));
        try {
            JobService.Submitted submitted = jobs.submit(caller, job, body.forced(), idempotency);
            if (submitted.created()) {
                relay.kick();
            }
            return submitted;
        } catch (JobService.IdempotencyKeyReused e) {
            throw new ApiProblem(422, "Idempotency-Key reused", e.getMessage());
        }
    }

    private static String checkKey(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ApiProblem(400, "Invalid request", "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    List.of(new ApiProblem.FieldError("Idempotency-Key", "1 to 255 visible ASCII characters")));
        }
        return key;
    }

    /** What makes two requests "the same" for an Idempotency-Key: every field of the body. */
    static String requestHash(SubmitJobRequest body) {
        String canonical = String.join("\n", String.valueOf(body.url()), String.valueOf(body.caseRef()),
                String.valueOf(body.priorityOrDefault()), String.valueOf(body.forced()));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
