package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.job.CaptchaService;
import law.courtdocs.queue.OutboxRelay;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A person answers the captcha a job is waiting on. Users and admins of the job's tenant may; a
 * machine client (court-service) may not, since the point is that a person reads the image.
 */
@Path("/api/v1/jobs/{id}/captcha")
@RolesAllowed({Roles.USER, Roles.ADMIN})
public class CaptchaResource {

    private final CaptchaService captchas;
    private final JobResource jobView;
    private final OutboxRelay relay;
    private final CurrentCaller caller;

    public CaptchaResource(CaptchaService captchas, JobResource jobView, OutboxRelay relay, CurrentCaller caller) {
        this.captchas = captchas;
        this.jobView = jobView;
        this.relay = relay;
        this.caller = caller;
    }

    @GET
    @Produces({"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "application/problem+json"})
    @Operation(summary = "The captcha image of a job that is WAITING_FOR_CAPTCHA")
    public Response image(@PathParam("id") String id) {
        UUID uuid = JobResource.parseId(id, "job");
        CaptchaService.Image image = captchas.image(caller.get(), uuid)
                .orElseThrow(() -> new ApiProblem(404, "Not Found", "job " + id + " is not waiting for a captcha"));
        // a captcha is good once: no cache may keep it
        return Response.ok(image.bytes(), image.contentType())
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer the captcha: the job is queued again and continues from the captcha")
    public Response answer(@PathParam("id") String id,
            @NotNull(message = "a JSON body is required") @Valid CaptchaAnswerRequest body) {
        UUID uuid = JobResource.parseId(id, "job");
        switch (captchas.answer(caller.get(), uuid, body.answer().strip())) {
            case NOT_FOUND -> throw ApiProblem.notFound("job " + id);
            case CONFLICT -> throw new ApiProblem(409, "Conflict", "job " + id + " is not waiting for a captcha");
            default -> { }
        }
        relay.kick();
        return Response.accepted(jobView.get(id)).build();
    }
}
