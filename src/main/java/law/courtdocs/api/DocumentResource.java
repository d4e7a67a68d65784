package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import law.courtdocs.audit.AuditAction;
import law.courtdocs.audit.AuditLog;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
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

    /** RFC 6266 with an RFC 5987 {@code filename*} for the Chinese name and an ASCII fallback. */
    static String contentDisposition(String fileName) {
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
