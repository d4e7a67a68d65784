package law.courtdocs.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import law.courtdocs.auth.Caller;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.egress.LinkPolicy;
import law.courtdocs.job.JobEntity;
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

    public JobEntity submit(Caller caller, SubmitJobRequest body) {
        URI link;
        try {
            link = links.check(body.url());
        } catch (LinkPolicy.RejectedLink e) {
            throw new ApiProblem(422, "Link not accepted", e.getMessage(),
                    List.of(new ApiProblem.FieldError("url", e.getMessage())));
        }
        PortalAdapter adapter = portals.forLink(link).orElseThrow(() -> new ApiProblem(422, "Link not accepted",
                "no portal adapter reads this link", List.of(new ApiProblem.FieldError("url", "unsupported link"))));
        JobEntity job = jobs.submit(caller, new NewJob(link, adapter.id(), body.priorityOrDefault(), blankToNull(body.caseRef())));
        relay.kick();
        return job;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
