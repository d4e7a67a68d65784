package law.courtdocs.storage;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.job.JobEntity;
import law.courtdocs.portal.DownloadedFile;
import law.courtdocs.portal.FileNames;
import law.courtdocs.portal.PortalException;

/**
 * Takes a downloaded file into storage: checks its size, sniffs its type, hashes it while the
 * bytes stream into the store, and writes the row, all in one short transaction per document.
 * The document belongs to its job's tenant.
 */
@ApplicationScoped
public class DocumentIntake {

    private final DocumentStore store;
    private final long maxBytes;
    private final boolean allowUnknownTypes;

    public DocumentIntake(DocumentStore store, CourtConfig config) {
        this.store = store;
        this.maxBytes = config.files().maxDocumentBytes();
        this.allowUnknownTypes = config.files().allowUnknownTypes();
    }

    /**
     * @return the stored document, or the one already stored for the same source in this job
     *     (a job that runs twice does not store a document twice)
     */
    public DocumentEntity accept(UUID jobId, DownloadedFile file) throws PortalException, IOException {
        long size = Files.size(file.file());
        if (size > maxBytes) {
            throw new PortalException(ErrorCode.UNSAFE_CONTENT,
                    "document larger than " + maxBytes + " bytes: " + file.fileName());
        }
        String fileName = FileNames.sanitize(file.fileName());
        String contentType = ContentTypes.detect(file.file(), fileName);
        if (!allowUnknownTypes && !ContentTypes.isDocument(contentType)) {
            // an HTML error page or an executable served as an "attachment" is not a court document
            throw new PortalException(ErrorCode.UNSAFE_CONTENT,
                    "not a PDF, OFD, image or Office file: " + fileName + " (" + contentType + ")");
        }
        // Hash first (local disk, cheap): the row must exist before its chunks reference it.
        String sha256 = sha256(file);
        String sourceId = file.sourceId() != null ? file.sourceId() : "sha256:" + sha256;
        return QuarkusTransaction.requiringNew().call(() -> {
            DocumentEntity existing = DocumentEntity
                    .<DocumentEntity>find("jobId = ?1 and sourceId = ?2", jobId, sourceId)
                    .firstResult();
            if (existing != null) {
                return existing;
            }
            DocumentEntity doc = new DocumentEntity();
            doc.id = UUID.randomUUID();
            doc.jobId = jobId;
            doc.tenant = tenantOf(jobId);
            doc.fileName = fileName;
            doc.contentType = contentType;
            doc.title = file.title();
            doc.court = file.court();
            doc.sourceId = sourceId;
            doc.sizeBytes = size;
            doc.sha256 = sha256;
            doc.createdAt = Instant.now();
            doc.persistAndFlush();
            try (InputStream in = Files.newInputStream(file.file())) {
                store.write(doc.id, in);
            }
            return doc;
        });
    }

    /** The job row is the truth about whose document this is. */
    private static String tenantOf(UUID jobId) {
        return JobEntity.getEntityManager()
                .createQuery("select j.tenant from JobEntity j where j.id = :id", String.class)
                .setParameter("id", jobId)
                .getSingleResult();
    }

    private static String sha256(DownloadedFile file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file.file()),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
