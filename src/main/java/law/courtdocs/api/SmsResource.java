package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.UUID;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.auth.SubmitRateLimiter;
import law.courtdocs.queue.OutboxRelay;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Court SMS messages in, one job per delivery link out. */
@Path("/api/v1/sms")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.USER, Roles.ADMIN, Roles.SERVICE})
public class SmsResource {

    private final SmsIntake intake;
    private final CurrentCaller caller;
    private final SubmitRateLimiter submitLimit;
    private final OutboxRelay relay;

    public SmsResource(SmsIntake intake, CurrentCaller caller, SubmitRateLimiter submitLimit, OutboxRelay relay) {
        this.intake = intake;
        this.caller = caller;
        this.submitLimit = submitLimit;
        this.relay = relay;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post a court SMS: its delivery links become jobs, with the code, account and password in it")
    public Response post(@NotNull(message = "a JSON body is required") @Valid SmsRequest body,
            @HeaderParam("Idempotency-Key") String idempotencyKey, UriInfo uri) {
        Caller who = caller.get();
        submitLimit.acquire(who);
        SmsIntake.Result result = intake.intake(who, body, idempotencyKey);
        if (result.jobsCreated()) {
            // after the commit, so the relay finds the new outbox rows at once
            relay.kick();
        }
        URI location = uri.getBaseUriBuilder().path("api/v1/sms").path(result.view().id().toString()).build();
        return Response.created(location).entity(result.view()).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A posted SMS: what was read from it and its jobs")
    public SmsView get(@PathParam("id") String id) {
        UUID uuid = JobResource.parseId(id, "sms");
        return intake.find(caller.get(), uuid).orElseThrow(() -> ApiProblem.notFound("sms " + id));
    }
}
