package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import law.courtdocs.audit.AuditLog;
import law.courtdocs.audit.AuditPage;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class AuditResource {

    private final AuditLog audit;
    private final CurrentCaller caller;

    public AuditResource(AuditLog audit, CurrentCaller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The tenant's audit trail (downloads, cancels, retries), newest first")
    public AuditListView list(@QueryParam("page") @DefaultValue("0") String page,
            @QueryParam("size") @DefaultValue("20") String size) {
        var who = caller.get();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        int p = JobResource.intParam("page", page, 0, JobResource.MAX_PAGE, errors);
        int s = JobResource.intParam("size", size, 1, JobResource.MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "Invalid request", errors.get(0).message(), errors);
        }
        AuditPage result = audit.page(who, p, s);
        return new AuditListView(result.items().stream().map(AuditListView.Event::of).toList(),
                result.page(), result.size(), result.total());
    }
}
