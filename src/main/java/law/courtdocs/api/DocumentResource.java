package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import law.courtdocs.audit.AuditAction;
import law.courtdocs.audit.AuditLog;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.text.TextPolicy;
import law.courtdocs.storage.DocumentEntity;
import law.courtdocs.storage.DocumentStore;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/documents")
@RolesAllowed({Roles.USER, Roles.ADMIN, Roles.SERVICE})
public class DocumentResource {

    private final DocumentStore store;
    private final CurrentCaller caller;
    private final AuditLog audit;

    public DocumentResource(DocumentStore store, CurrentCaller caller, AuditLog audit) {
        this.store = store;
        this.caller = caller;
        this.audit = audit;
    }

    @GET
    @Path("/{id}/content")
    @Operation(summary = "The document's bytes, as downloaded from the court; every download is audited")
    public Response content(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Caller who = caller.get();
        UUID uuid = JobResource.parseId(id, "document");
        DocumentEntity doc = DocumentEntity.findInTenant(who.tenant(), uuid)
                .orElseThrow(() -> ApiProblem.notFound("document " + id));
        String etag = "\"" + doc.sha256 + "\"";
        if (etag.equals(ifNoneMatch)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        // Recorded before the bytes leave: a download that breaks off half-way still counts.
        audit.record(who, AuditAction.DOCUMENT_DOWNLOAD, doc.id);
        StreamingOutput body = out -> store.read(doc.id, out);
        return Response.ok(body, doc.contentType)
                .header(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(doc.fileName))
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CONTENT_LENGTH, doc.sizeBytes)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    /** Body of {@code POST /api/v1/documents/{id}/hold}: why the document must be kept (a matter, an order). */
    public record HoldRequest(String reason) {}

    /** A document's legal hold as the API shows it. */
    public record HoldView(UUID documentId, boolean legalHold, String reason, String heldBy, java.time.Instant heldAt) {
        static HoldView of(DocumentEntity d) {
            return new HoldView(d.id, d.legalHold, d.holdReason, d.heldBy, d.heldAt);
        }
    }

    static final int MAX_HOLD_REASON = 500;

    @POST
    @Path("/{id}/hold")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(summary = "Put the document under legal hold: retention never purges it; audited")
    public HoldView hold(@PathParam("id") String id, HoldRequest body) {
        Caller who = caller.get();
        UUID uuid = JobResource.parseId(id, "document");
        String reason = body == null ? null : body.reason();
        String problem = reason == null || reason.isBlank() ? "is required: why the document must be kept"
                : reason.length() > MAX_HOLD_REASON ? "is longer than " + MAX_HOLD_REASON + " characters"
                : TextPolicy.problem(reason, TextPolicy.Lines.MULTI);
        if (problem != null) {
            throw new ApiProblem(422, "Unprocessable Content", "reason " + problem,
                    List.of(new ApiProblem.FieldError("reason", problem)));
        }
        DocumentEntity doc = DocumentEntity.findInTenant(who.tenant(), uuid)
                .orElseThrow(() -> ApiProblem.notFound("document " + id));
        doc.legalHold = true;
        doc.holdReason = reason;
        doc.heldBy = who.subject().length() <= 256 ? who.subject() : who.subject().substring(0, 256);
        doc.heldAt = Instant.now();
        audit.record(who, AuditAction.DOCUMENT_HOLD, doc.id);
        return HoldView.of(doc);
    }

    @DELETE
    @Path("/{id}/hold")
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(summary = "Release the document's legal hold: retention applies again; audited")
    public HoldView release(@PathParam("id") String id) {
        Caller who = caller.get();
        UUID uuid = JobResource.parseId(id, "document");
        DocumentEntity doc = DocumentEntity.findInTenant(who.tenant(), uuid)
                .orElseThrow(() -> ApiProblem.notFound("document " + id));
        if (doc.legalHold) {
            doc.legalHold = false;
            doc.holdReason = null;
            doc.heldBy = null;
            doc.heldAt = null;
            audit.record(who, AuditAction.DOCUMENT_RELEASE, doc.id);
        }
        return HoldView.of(doc);
    }

    /** RFC 6266 with an RFC 5987 {@code filename*} for the Chinese name and an ASCII fallback. */
    static String contentDisposition(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
