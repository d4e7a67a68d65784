package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.event.EventType;
import law.courtdocs.webhook.DestinationPolicy;
import law.courtdocs.webhook.Webhooks;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A tenant's webhook subscriptions (README, "Webhooks"); court-admin only. */
@Path("/api/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class WebhookResource {

    static final int MAX_URL = 2048;
    static final int MAX_DESCRIPTION = 500;

    private final Webhooks webhooks;
    private final CurrentCaller caller;
    private final DestinationPolicy destinations;

    public WebhookResource(Webhooks webhooks, CurrentCaller caller, CourtConfig config) {
        this.webhooks = webhooks;
        this.caller = caller;
        this.destinations = DestinationPolicy.of(config.webhooks());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Subscribe a URL to the tenant's events; the answer shows the signing secret once")
    public Response create(WebhookRequest body, @Context UriInfo uri) {
        Caller who = caller.get();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        if (body == null) {
            throw new ApiProblem(422, "Unprocessable Content", "a JSON body with url and events is required",
                    List.of(new ApiProblem.FieldError("url", "is required")));
        }
        if (body.url() == null || body.url().isBlank()) {
            errors.add(new ApiProblem.FieldError("url", "is required"));
        } else if (body.url().length() > MAX_URL) {
            errors.add(new ApiProblem.FieldError("url", "is longer than " + MAX_URL + " characters"));
        } else {
            destinations.refusal(body.url()).ifPresent(why -> errors.add(new ApiProblem.FieldError("url", why)));
        }
        Set<String> types = eventTypes(body.events(), errors);
        if (body.description() != null && body.description().length() > MAX_DESCRIPTION) {
            errors.add(new ApiProblem.FieldError("description", "is longer than " + MAX_DESCRIPTION + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(422, "Unprocessable Content", errors.get(0).field() + " " + errors.get(0).message(),
                    errors);
        }
        if (!webhooks.canSeal()) {
            throw new ApiProblem(503, "Service Unavailable",
                    "webhooks cannot be made: this service has no court.secrets.key to keep their secrets with");
        }
        Webhooks.Created created = webhooks.create(who, body.url(), List.copyOf(types), body.description());
        return Response.created(uri.getAbsolutePathBuilder().path(created.webhook().id.toString()).build())
                .entity(WebhookView.of(created.webhook(), created.secret())).build();
    }

    @GET
    @Operation(summary = "The tenant's webhook subscriptions")
    public WebhookView.Page list() {
        return new WebhookView.Page(webhooks.list(caller.get().tenant(), false).stream().map(w -> WebhookView.of(w, null)).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook subscription")
    public WebhookView get(@PathParam("id") String id) {
        return WebhookView.of(mine(id), null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Stop a subscription; its pending deliveries are dropped")
    public Response delete(@PathParam("id") String id) {
        UUID uuid = JobResource.parseId(id, "webhook");
        if (!webhooks.delete(caller.get().tenant(), uuid, false)) {
            throw ApiProblem.notFound("webhook " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The subscription's deliveries, newest first: status, attempts, last HTTP status, next try")
    public WebhookView.Deliveries deliveries(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("100") String limit) {
        int max = WebhookView.deliveryLimit(limit);
        return WebhookView.deliveries(webhooks, mine(id).id, max);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a delivery again now, with the same webhook-id")
    public Response redeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        UUID hook = JobResource.parseId(id, "webhook");
        UUID delivery = JobResource.parseId(deliveryId, "delivery");
        return WebhookView.accepted(webhooks.redeliver(caller.get().tenant(), hook, delivery, false),
                "delivery " + deliveryId + " of webhook " + id);
    }

    /** The {@code events} of a subscription or channel: known wire names, at least one. */
    static Set<String> eventTypes(List<String> events, List<ApiProblem.FieldError> errors) {
        Set<String> types = new LinkedHashSet<>();
        if (events == null || events.isEmpty()) {
            errors.add(new ApiProblem.FieldError("events", "must list at least one event type"));
            return types;
        }
        for (String t : events) {
            if (EventType.ofWire(t).isEmpty()) {
                errors.add(new ApiProblem.FieldError("events", "unknown event type '" + t + "'"));
            } else {
                types.add(t);
            }
        }
        return types;
    }

    private law.courtdocs.webhook.WebhookEntity mine(String id) {
        UUID uuid = JobResource.parseId(id, "webhook");
        return webhooks.find(caller.get().tenant(), uuid, false).orElseThrow(() -> ApiProblem.notFound("webhook " + id));
    }
}
