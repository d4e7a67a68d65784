package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.job.AttemptEntity;
import law.courtdocs.job.JobService;
import law.courtdocs.queue.OutboxRelay;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What a person does to a job after submitting it: cancel, retry, look at its attempts. All of it
 * is for the tenant's admins; cancel and retry are audited (in {@link JobService}).
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class JobActionsResource {

    private final JobService jobs;
    private final JobResource jobView;
    private final OutboxRelay relay;
    private final CurrentCaller caller;
    private final JobSubmission submission;

    public JobActionsResource(JobService jobs, JobResource jobView, OutboxRelay relay, CurrentCaller caller,
            JobSubmission submission) {
        this.jobs = jobs;
        this.jobView = jobView;
        this.relay = relay;
        this.caller = caller;
        this.submission = submission;
    }

    /** Optional body of a retry: new credentials, since a finished job's were erased. */
    public record RetryRequest(@jakarta.validation.Valid CredentialsRequest credentials) {}

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a queued, waiting or running job (a running one stops at its next checkpoint)")
    public JobView cancel(@PathParam("id") String id) {
        UUID uuid = JobResource.parseId(id, "job");
        switch (jobs.cancel(caller.get(), uuid)) {
            case NOT_FOUND -> throw ApiProblem.notFound("job " + id);
            case CONFLICT -> throw new ApiProblem(409, "Conflict", "job " + id + " has finished and cannot be cancelled");
            default -> { }
        }
        return jobView.get(id);
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Queue a FAILED or CANCELLED job again as a new series of attempts")
    public JobView retry(@PathParam("id") String id) {
        return retry(id, law.courtdocs.portal.PortalCredentials.none());
    }

    /** The same with a JSON body: new credentials, since the job's old ones were erased when it ended. */
    @POST
    @Path("/{id}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a FAILED or CANCELLED job again, with new credentials")
    public JobView retryWithCredentials(@PathParam("id") String id, @jakarta.validation.Valid RetryRequest body) {
        return retry(id, CredentialsRequest.of(body == null ? null : body.credentials()));
    }

    private JobView retry(String id, law.courtdocs.portal.PortalCredentials credentials) {
        UUID uuid = JobResource.parseId(id, "job");
        submission.requireSecretsKey(credentials);
        switch (jobs.retry(caller.get(), uuid, credentials)) {
            case NOT_FOUND -> throw ApiProblem.notFound("job " + id);
            case CONFLICT -> throw new ApiProblem(409, "Conflict", "only FAILED or CANCELLED jobs can be retried");
            default -> { }
        }
        relay.kick();
        return jobView.get(id);
    }

    @GET
    @Path("/{id}/attempts")
    @Operation(summary = "Every attempt of a job: worker, times, outcome, error")
    public List<AttemptView> attempts(@PathParam("id") String id) {
        UUID uuid = requireJob(id);
        return AttemptEntity.<AttemptEntity>list("key.jobId = ?1 order by key.number", uuid).stream()
                .map(AttemptView::of).toList();
    }

    @GET
    @Path("/{id}/attempts/{n}/screenshot")
    @Produces({"image/png", "application/problem+json"})
    @Operation(summary = "Screenshot of the page when the attempt failed")
    public Response screenshot(@PathParam("id") String id, @PathParam("n") int n) {
        AttemptEntity attempt = attempt(id, n);
        if (attempt.screenshot == null) {
            throw ApiProblem.notFound("screenshot of attempt " + n);
        }
        return Response.ok(attempt.screenshot, "image/png").build();
    }

    @GET
    @Path("/{id}/attempts/{n}/html")
    @Produces({"text/plain", "application/problem+json"})
    @Operation(summary = "The page's HTML when the attempt failed, served as text")
    public Response html(@PathParam("id") String id, @PathParam("n") int n) {
        AttemptEntity attempt = attempt(id, n);
        if (attempt.pageHtml == null) {
            throw ApiProblem.notFound("HTML of attempt " + n);
        }
        // as text/plain, so a portal's scripts never run in our users' browsers
        return Response.ok(attempt.pageHtml, "text/plain; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'")
                .build();
    }

    private UUID requireJob(String id) {
        UUID uuid = JobResource.parseId(id, "job");
        if (jobs.find(caller.get(), uuid).isEmpty()) {
            throw ApiProblem.notFound("job " + id);
        }
        return uuid;
    }

    private AttemptEntity attempt(String id, int n) {
        UUID uuid = requireJob(id);
        AttemptEntity attempt = AttemptEntity.findById(new AttemptEntity.Key(uuid, n));
        if (attempt == null) {
            throw ApiProblem.notFound("attempt " + n + " of job " + id);
        }
        return attempt;
    }
}
