package law.courtdocs.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import law.courtdocs.audit.AuditAction;
import law.courtdocs.audit.AuditLog;
import law.courtdocs.auth.Caller;
import law.courtdocs.auth.CurrentCaller;
import law.courtdocs.auth.Roles;
import law.courtdocs.job.JobEntity;
import law.courtdocs.job.JobService;
import law.courtdocs.portal.FileNames;
import law.courtdocs.storage.DocumentEntity;
import law.courtdocs.storage.DocumentStore;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/v1/jobs/{id}/documents.zip}: every document of a job in one ZIP. A class of its
 * own on the same {@code /api/v1/jobs} path as {@link JobResource} and {@link JobActionsResource}.
 *
 * <ul>
 * <li>Entries are the documents' file names, flat, in the order the job stored them, UTF-8 with
 * the language-encoding (EFS) flag set so unzip tools show 民事判决书.pdf, not mojibake. A name
 * already used (ignoring case, as Windows and macOS do on extraction) gets {@code _2}, {@code _3} …
 * before its extension: 民事判决书.pdf, 民事判决书_2.pdf.</li>
 * <li>The ZIP is named after the job's caseRef, else its id: {@code （2026）粤0106民初1234号.zip}.</li>
 * <li>Unknown job: 404. A job with no documents (yet) is 404 too, with "job … has no documents yet",
 * rather than an empty ZIP a person would open to find nothing. A job still running gives the
 * documents stored so far.</li>
 * <li>Memory stays bounded: each document streams from the {@link DocumentStore} chunk by chunk
 * into the deflater and out to the client; the size is not known up front, so there is no
 * Content-Length (chunked transfer).</li>
 * <li>Only the caller's tenant's jobs (another tenant's: 404); each document in the ZIP is one
 * {@code DOCUMENT_DOWNLOAD} audit event.</li>
 * </ul>
 */
@Path("/api/v1/jobs")
@RolesAllowed({Roles.USER, Roles.ADMIN, Roles.SERVICE})
public class JobDocumentsZipResource {

    static final String ZIP = "application/zip";

    private final JobService jobs;
    private final DocumentStore store;
    private final CurrentCaller caller;
    private final AuditLog audit;

    public JobDocumentsZipResource(JobService jobs, DocumentStore store, CurrentCaller caller, AuditLog audit) {
        this.jobs = jobs;
        this.store = store;
        this.caller = caller;
        this.audit = audit;
    }

    @GET
    @Path("/{id}/documents.zip")
    @Produces({ZIP, ProblemMappers.PROBLEM_JSON})
    @Operation(summary = "All documents of a job as one ZIP, with their Chinese file names")
    public Response zip(@PathParam("id") String id) {
        Caller who = caller.get();
        UUID uuid = JobResource.parseId(id, "job");
        JobEntity job = jobs.find(who, uuid).orElseThrow(() -> ApiProblem.notFound("job " + id));
        List<DocumentEntity> docs = DocumentEntity.ofJob(uuid);
        if (docs.isEmpty()) {
            throw new ApiProblem(404, "Not Found", "job " + id + " has no documents yet");
        }
        audit.recordEach(who, AuditAction.DOCUMENT_DOWNLOAD, docs.stream().map(d -> d.id).toList());
        List<String> names = uniqueNames(docs.stream().map(d -> FileNames.sanitize(d.fileName)).toList());
        StreamingOutput body = out -> {
            ZipOutputStream zip = new ZipOutputStream(new KeepOpen(out), StandardCharsets.UTF_8);
            for (int i = 0; i < docs.size(); i++) {
                DocumentEntity doc = docs.get(i);
                ZipEntry entry = new ZipEntry(names.get(i));
                if (doc.createdAt != null) {
                    entry.setLastModifiedTime(FileTime.from(doc.createdAt));
                }
                zip.putNextEntry(entry);
                store.read(doc.id, zip);
                zip.closeEntry();
            }
            zip.finish();
            zip.flush();
        };
        String zipName = FileNames.sanitize(job.caseRef == null || job.caseRef.isBlank() ? job.id.toString()
                : job.caseRef) + ".zip";
        return Response.ok(body, ZIP)
                .header(HttpHeaders.CONTENT_DISPOSITION, DocumentResource.contentDisposition(zipName))
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    /**
     * The names in order, each made unique (ignoring case) by {@code _2}, {@code _3} … before the
     * extension; a suffixed name that is itself taken moves on to the next number.
     */
    static List<String> uniqueNames(List<String> names) {
        Set<String> taken = new HashSet<>();
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            String candidate = name;
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
                candidate = stem + "_" + n + ext;
            }
            out.add(candidate);
        }
        return out;
    }

    /** The ZIP is finished, not closed: the server owns the response stream. */
    private static final class KeepOpen extends FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
