package law.courtdocs.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import law.courtdocs.auth.Caller;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.egress.LinkPolicy;
import law.courtdocs.job.JobCredentials;
import law.courtdocs.job.JobEntity;
import law.courtdocs.job.JobService;
import law.courtdocs.job.NewJob;
import law.courtdocs.job.SubmitBatcher;
import law.courtdocs.portal.PortalAdapter;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.portal.PortalRegistry;
import law.courtdocs.queue.OutboxRelay;
import law.courtdocs.secrets.JobSecrets;

/** Checks a submission before anything is stored, then stores and queues it. */
@ApplicationScoped
public class JobSubmission {

    private final LinkPolicy links;
    private final PortalRegistry portals;
    private final JobService jobs;
    private final OutboxRelay relay;
    private final JobSecrets secrets;
    private final SubmitBatcher batcher;

    public JobSubmission(CourtConfig config, PortalRegistry portals, JobService jobs, OutboxRelay relay,
            JobSecrets secrets, SubmitBatcher batcher) {
        this.links = new LinkPolicy(config.portals().allowedHosts());
        this.portals = portals;
        this.jobs = jobs;
        this.relay = relay;
        this.secrets = secrets;
        this.batcher = batcher;
    }

    /** A link that passed the allowlist and has an adapter, or why not (a reason fit to show). */
    public record CheckedLink(URI url, String portal, String refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /** The allowlist and the adapters' say on one link; stores nothing. */
    public CheckedLink check(String url) {
        URI link;
        try {
            link = links.check(url);
        } catch (LinkPolicy.RejectedLink e) {
            return new CheckedLink(null, null, e.getMessage());
        }
        return portals.forLink(link).map(a -> new CheckedLink(link, a.id(), null))
                .orElseGet(() -> new CheckedLink(link, null, "no portal adapter reads this link"));
    }

    /** 503 before anything is stored when secrets come in but there is no key to seal them with. */
    void requireSecretsKey(PortalCredentials credentials) {
        if (JobCredentials.present(credentials)) {
            requireSecretsKey();
        }
    }

    void requireSecretsKey() {
        if (!secrets.available()) {
            throw new ApiProblem(503, "Service Unavailable",
                    "credentials cannot be accepted: this service has no court.secrets.key to encrypt them with");
        }
    }

    /** A submission that passed every check and is not stored yet. */
    public record Prepared(Caller caller, NewJob job, boolean force, JobService.Idempotency idempotency) {

        /** Plain submissions (no Idempotency-Key, no credentials) are stored many to a transaction. */
        boolean batchable() {
            return idempotency == null && !JobCredentials.present(job.credentials());
        }
    }

    /**
     * Every check of a submission; stores nothing and does not block.
     *
     * @param idempotencyKey the caller's {@code Idempotency-Key} header, or null
     * @throws ApiProblem when the submission is refused
     */
    public Prepared prepare(Caller caller, SubmitJobRequest body, String idempotencyKey) {
        PortalCredentials credentials = CredentialsRequest.of(body.credentials());
        requireSecretsKey(credentials);
        JobService.Idempotency idempotency = idempotencyKey == null ? null
                : new JobService.Idempotency(checkKey(idempotencyKey),
                        requestHash(body, JobCredentials.fingerprint(secrets, credentials)));
        URI link;
        try {
            link = links.check(body.url());
        } catch (LinkPolicy.RejectedLink e) {
            throw new ApiProblem(422, "Link not accepted", e.getMessage(),
                    List.of(new ApiProblem.FieldError("url", e.getMessage())));
        }
        PortalAdapter adapter = portals.forLink(link).orElseThrow(() -> new ApiProblem(422, "Link not accepted",
                "no portal adapter reads this link", List.of(new ApiProblem.FieldError("url", "unsupported link"))));
        NewJob job = new NewJob(link, adapter.id(), body.priorityOrDefault(), blankToNull(body.caseRef()), credentials);
        return new Prepared(caller, job, body.forced(), idempotency);
    }

    /**
     * The common case, many to a transaction, without blocking the caller's thread: completes
     * (on the batch writer's thread) with the job stored, or empty when the submission must take
     * {@link #store} (not batchable, the delivery has a job already, or the batch failed).
     */
    public CompletionStage<Optional<JobEntity>> tryBatch(Prepared p) {
        return p.batchable() ? batcher.create(p.caller(), p.job(), p.force())
                : CompletableFuture.completedFuture(Optional.empty());
    }

    /**
     * One by one, in a transaction of its own; blocks, so never on the event loop.
     *
     * @return the job, created now or found (same delivery already standing, or same key)
     */
    public JobService.Submitted store(Prepared p) {
        try {
            JobService.Submitted submitted = jobs.submit(p.caller(), p.job(), p.force(), p.idempotency());
            if (submitted.created()) {
                relay.kick();
            }
            return submitted;
        } catch (JobService.IdempotencyKeyReused e) {
            throw new ApiProblem(422, "Idempotency-Key reused", e.getMessage());
        }
    }

    static String checkKey(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ApiProblem(400, "Invalid request", "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    List.of(new ApiProblem.FieldError("Idempotency-Key", "1 to 255 visible ASCII characters")));
        }
        return key;
    }

    /**
     * What makes two requests "the same" for an Idempotency-Key: every field of the body, the
     * credentials by their keyed fingerprint only.
     */
    static String requestHash(SubmitJobRequest body, String credentialsFingerprint) {
        return sha256(String.join("\n", String.valueOf(body.url()), String.valueOf(body.caseRef()),
                String.valueOf(body.priorityOrDefault()), String.valueOf(body.forced()), credentialsFingerprint));
    }

    static String sha256(String canonical) {
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
