package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.auth.SubmitRateLimiter;
import law.courtdocs.job.JobEntity;
import law.courtdocs.job.JobFilter;
import law.courtdocs.job.JobPage;
import law.courtdocs.job.JobService;
import law.courtdocs.job.JobStatus;
import law.courtdocs.storage.DocumentEntity;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.USER, Roles.ADMIN, Roles.SERVICE})
public class JobResource {

    static final int MAX_PAGE_SIZE = 100;

    private final JobService jobs;
    private final JobSubmission submission;
    private final CurrentCaller caller;
    private final SubmitRateLimiter submitLimit;

    public JobResource(JobService jobs, JobSubmission submission, CurrentCaller caller, SubmitRateLimiter submitLimit) {
        this.jobs = jobs;
        this.submission = submission;
        this.caller = caller;
        this.submitLimit = submitLimit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a court delivery link for download")
    public Response submit(@NotNull(message = "a JSON body is required") @Valid SubmitJobRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey, UriInfo uri) {
        Caller who = caller.get();
        submitLimit.acquire(who);
        JobService.Submitted submitted = submission.submit(who, body, idempotencyKey);
        JobEntity job = submitted.job();
        URI location = uri.getBaseUriBuilder().path("api/v1/jobs").path(job.id.toString()).build();
        if (submitted.created()) {
            return Response.created(location).entity(JobView.of(job, List.of())).build();
        }
        // the same delivery already has a job (or the same Idempotency-Key was answered): that one
        return Response.ok(JobView.of(job, DocumentEntity.ofJob(job.id))).location(location).build();
    }


    @GET
    @Path("/{id}")
    @Operation(summary = "One job with its documents")
    public JobView get(@PathParam("id") String id) {
        UUID uuid = parseId(id, "job");
        JobEntity job = jobs.find(caller.get(), uuid).orElseThrow(() -> ApiProblem.notFound("job " + id));
        return JobView.of(job, DocumentEntity.ofJob(uuid));
    }

    @GET
    @Operation(summary = "Jobs, newest first, filtered by status, caseRef and portal")
    public JobListView list(@QueryParam("status") String status, @QueryParam("caseRef") String caseRef,
            @QueryParam("portal") String portal, @QueryParam("page") @DefaultValue("0") String page,
            @QueryParam("size") @DefaultValue("20") String size) {
        Caller who = caller.get();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        JobStatus st = null;
        if (status != null && !status.isBlank()) {
            try {
                st = JobStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new ApiProblem.FieldError("status", "unknown status " + status));
            }
        }
        int p = intParam("page", page, 0, Integer.MAX_VALUE, errors);
        int s = intParam("size", size, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "Invalid request", errors.get(0).message(), errors);
        }
        JobPage result = jobs.list(who, new JobFilter(st, blankToNull(caseRef), blankToNull(portal), p, s));
        List<UUID> ids = result.items().stream().map(j -> j.id).toList();
        Map<UUID, List<DocumentEntity>> docs = ids.isEmpty() ? Map.of()
                : DocumentEntity.<DocumentEntity>list("jobId in ?1 order by createdAt, id", ids).stream()
                        .collect(Collectors.groupingBy(d -> d.jobId));
        return new JobListView(result.items().stream()
                .map(j -> JobView.of(j, docs.getOrDefault(j.id, List.of()))).toList(),
                result.page(), result.size(), result.total(), result.totalExact());
    }

    static UUID parseId(String id, String what) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound(what + " " + id);
        }
    }

    static int intParam(String name, String raw, int min, int max, List<ApiProblem.FieldError> errors) {
        try {
            int v = Integer.parseInt(raw.strip());
            if (v < min || v > max) {
                errors.add(new ApiProblem.FieldError(name, name + " must be between " + min + " and " + max));
            }
            return v;
        } catch (NumberFormatException e) {
            errors.add(new ApiProblem.FieldError(name, name + " must be a whole number"));
            return min;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
