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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.chat.ChatKind;
import law.courtdocs.chat.ChatTarget;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.text.TextPolicy;
import law.courtdocs.webhook.WebhookEntity;
import law.courtdocs.webhook.Webhooks;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A tenant's chat-group notification channels (README, "Chat-group notifications"); court-admin
 * only. They are delivered like webhooks (order, retries, the deliveries list), to a vendor's
 * group robot instead of a URL of the firm's.
 */
@Path("/api/v1/notification-channels")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class ChannelResource {

    static final int MAX_SECRET = 256;
    static final int MAX_CASE_REF = 128;

    private final Webhooks webhooks;
    private final CurrentCaller caller;
    private final boolean requireHttps;

    public ChannelResource(Webhooks webhooks, CurrentCaller caller, CourtConfig config) {
        this.webhooks = webhooks;
        this.caller = caller;
        this.requireHttps = config.notifications().requireHttps();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Post the tenant's events (or one case's) to a Feishu, DingTalk, WeCom or Telegram group")
    public Response create(ChannelRequest body, @Context UriInfo uri) {
        if (body == null) {
            throw new ApiProblem(422, "Unprocessable Content", "a JSON body with kind and events is required",
                    List.of(new ApiProblem.FieldError("kind", "is required")));
        }
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        Optional<ChatKind> kind = ChatKind.ofWire(body.kind());
        if (body.kind() == null || body.kind().isBlank()) {
            errors.add(new ApiProblem.FieldError("kind", "is required: one of " + ChatKind.wireNames()));
        } else if (kind.isEmpty()) {
            errors.add(new ApiProblem.FieldError("kind", "must be one of " + ChatKind.wireNames()));
        }
        kind.ifPresent(k -> checkTarget(k, body, errors));
        Set<String> types = WebhookResource.eventTypes(body.events(), errors);
        String caseRef = body.caseRef() == null || body.caseRef().isBlank() ? null : body.caseRef();
        if (caseRef != null) {
            String problem = caseRef.length() > MAX_CASE_REF ? "is longer than " + MAX_CASE_REF + " characters"
                    : TextPolicy.problem(caseRef, TextPolicy.Lines.SINGLE);
            if (problem != null) {
                errors.add(new ApiProblem.FieldError("caseRef", problem));
            }
        }
        if (body.description() != null) {
            String problem = body.description().length() > WebhookResource.MAX_DESCRIPTION
                    ? "is longer than " + WebhookResource.MAX_DESCRIPTION + " characters"
                    : TextPolicy.problem(body.description(), TextPolicy.Lines.MULTI);
            if (problem != null) {
                errors.add(new ApiProblem.FieldError("description", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(422, "Unprocessable Content", errors.get(0).field() + " " + errors.get(0).message(),
                    errors);
        }
        if (!webhooks.canSeal()) {
            throw new ApiProblem(503, "Service Unavailable",
                    "channels cannot be made: this service has no court.secrets.key to keep their tokens with");
        }
        ChatKind k = kind.orElseThrow();
        ChatTarget target = k.byUrl()
                ? new ChatTarget(body.webhookUrl(), blankToNull(body.secret()), null, null)
                : new ChatTarget(null, null, body.botToken(), body.chatId());
        String display = k.byUrl() ? k.display(body.webhookUrl()) : "telegram chat " + body.chatId();
        WebhookEntity channel = webhooks.createChannel(caller.get(), k, target, display, List.copyOf(types), caseRef,
                body.description());
        return Response.created(uri.getAbsolutePathBuilder().path(channel.id.toString()).build())
                .entity(ChannelView.of(channel)).build();
    }

    /** Each kind's own fields, and none of another kind's (a token sent where it is not used is a mistake). */
    private void checkTarget(ChatKind kind, ChannelRequest body, List<ApiProblem.FieldError> errors) {
        if (kind.byUrl()) {
            if (body.webhookUrl() == null || body.webhookUrl().isBlank()) {
                errors.add(new ApiProblem.FieldError("webhookUrl", "is required for " + kind.wire()));
            } else if (body.webhookUrl().length() > WebhookResource.MAX_URL) {
                errors.add(new ApiProblem.FieldError("webhookUrl", "is longer than " + WebhookResource.MAX_URL + " characters"));
            } else {
                kind.urlProblem(body.webhookUrl(), requireHttps)
                        .ifPresent(why -> errors.add(new ApiProblem.FieldError("webhookUrl", why)));
            }
            notFor(kind, "botToken", body.botToken(), errors);
            notFor(kind, "chatId", body.chatId(), errors);
        } else {
            if (!ChatKind.isBotToken(body.botToken())) {
                errors.add(new ApiProblem.FieldError("botToken", body.botToken() == null || body.botToken().isBlank()
                        ? "is required for telegram" : "is not a Telegram bot token (<digits>:<letters>)"));
            }
            if (!ChatKind.isChatId(body.chatId())) {
                errors.add(new ApiProblem.FieldError("chatId", body.chatId() == null || body.chatId().isBlank()
                        ? "is required for telegram" : "is not a Telegram chat id (a number or @channelname)"));
            }
            notFor(kind, "webhookUrl", body.webhookUrl(), errors);
        }
        if (kind.signed()) {
            if (body.secret() == null || body.secret().isBlank()) {
                errors.add(new ApiProblem.FieldError("secret",
                        "is required: " + kind.wire() + " robots are signed (the robot's 加签 secret)"));
            } else if (body.secret().length() > MAX_SECRET || TextPolicy.problem(body.secret(), TextPolicy.Lines.SINGLE) != null
                    || body.secret().isBlank()) {
                errors.add(new ApiProblem.FieldError("secret", "is not a robot secret (one line, at most " + MAX_SECRET + " characters)"));
            }
        } else {
            notFor(kind, "secret", body.secret(), errors);
        }
    }

    private static void notFor(ChatKind kind, String field, String value, List<ApiProblem.FieldError> errors) {
        if (value != null && !value.isEmpty()) {
            errors.add(new ApiProblem.FieldError(field, "is not used by " + kind.wire() + " channels"));
        }
    }

    @GET
    @Operation(summary = "The tenant's chat-group channels")
    public ChannelView.Page list() {
        return new ChannelView.Page(webhooks.list(caller.get().tenant(), true).stream().map(ChannelView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One chat-group channel")
    public ChannelView get(@PathParam("id") String id) {
        return ChannelView.of(mine(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Stop a channel; its pending messages are dropped")
    public Response delete(@PathParam("id") String id) {
        UUID uuid = JobResource.parseId(id, "channel");
        if (!webhooks.delete(caller.get().tenant(), uuid, true)) {
            throw ApiProblem.notFound("notification channel " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The channel's messages, newest first: status, attempts, the vendor's last answer, next try")
    public WebhookView.Deliveries deliveries(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("100") String limit) {
        int max = WebhookView.deliveryLimit(limit);
        return WebhookView.deliveries(webhooks, mine(id).id, max);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a channel's message again now")
    public Response redeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        UUID channel = JobResource.parseId(id, "channel");
        UUID delivery = JobResource.parseId(deliveryId, "delivery");
        return WebhookView.accepted(webhooks.redeliver(caller.get().tenant(), channel, delivery, true),
                "delivery " + deliveryId + " of notification channel " + id);
    }

    private WebhookEntity mine(String id) {
        UUID uuid = JobResource.parseId(id, "channel");
        return webhooks.find(caller.get().tenant(), uuid, true)
                .orElseThrow(() -> ApiProblem.notFound("notification channel " + id));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
