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
import law.courtdocs.event.EventLog;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.job.JobEntity;
import law.courtdocs.metrics.CourtMetrics;
import law.courtdocs.portal.DownloadedFile;
import law.courtdocs.portal.FileNames;
import law.courtdocs.portal.PortalException;
import law.courtdocs.text.TextPolicy;

/**
 * Takes a downloaded file into storage: checks its size, sniffs its type, reads a PDF's first page
 * for title, court and case number, hashes the file, and writes the row and the bytes in one short
 * transaction per document.
 *
 * <p>Metadata from the PDF text ({@link PdfMetadata}) fills what the portal did not say:
 * <ul>
 * <li>court: the portal's when it gives one, else the PDF's;</li>
 * <li>title: the portal's when it names a kind of document (民事判决书, 起诉状副本 …, see
 * {@link PdfMetadata#isDocumentKind}), else the PDF's title when it has one, else the portal's.
 * Several adapters can only derive a title from the file name (gdems, daolv, direct links); a name
 * like "20260315_001" says less than the 民事判决书 printed on the page, while a portal title that
 * already names the document kind is kept as the court labelled it;</li>
 * <li>case number: always the PDF's (no portal gives one per document).</li>
 * </ul>
 */
@ApplicationScoped
public class DocumentIntake {

    private final DocumentStore store;
    private final long maxBytes;
    private final boolean allowUnknownTypes;
    private final PdfMetadata pdfMetadata = new PdfMetadata();
    private final EventLog events;
    private final CourtMetrics metrics;

    public DocumentIntake(DocumentStore store, CourtConfig config, EventLog events, CourtMetrics metrics) {
        this.store = store;
        this.events = events;
        this.metrics = metrics;
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
        // Outside the transaction: parsing a PDF must not hold a database connection.
        PdfMetadata.Meta meta = ContentTypes.PDF.equals(contentType)
                ? pdfMetadata.read(file.file()).orElse(NO_META) : NO_META;
        // What portals and PDFs say is cleaned, never refused: an odd title must not fail a delivery.
        String title = fit(title(TextPolicy.clean(file.title()), TextPolicy.clean(meta.title())), 512);
        String portalCourt = TextPolicy.clean(file.court());
        String court = fit(portalCourt != null && !portalCourt.isBlank() ? portalCourt : TextPolicy.clean(meta.court()),
                256);
        String caseNumber = fit(TextPolicy.clean(meta.caseNumber()), 128);
        // Hash first (local disk, cheap): the row must exist before its chunks reference it.
        String sha256 = sha256(file);
        String sourceId = file.sourceId() != null ? fit(TextPolicy.clean(file.sourceId()), 512) : "sha256:" + sha256;
        String[] portal = {null};
        DocumentEntity stored = QuarkusTransaction.requiringNew().call(() -> {
            DocumentEntity existing = DocumentEntity
                    .<DocumentEntity>find("jobId = ?1 and sourceId = ?2", jobId, sourceId)
                    .firstResult();
            if (existing != null) {
                return existing;
            }
            // the job row is the truth about whose document this is
            JobEntity job = JobEntity.findById(jobId);
            portal[0] = job.portal;
            DocumentEntity doc = new DocumentEntity();
            doc.id = UUID.randomUUID();
            doc.jobId = jobId;
            doc.tenant = job.tenant;
            doc.fileName = fileName;
            doc.contentType = contentType;
            doc.title = title;
            doc.court = court;
            doc.caseNumber = caseNumber;
            doc.sourceId = sourceId;
            doc.sizeBytes = size;
            doc.sha256 = sha256;
            doc.createdAt = Instant.now();
            doc.persistAndFlush();
            try (InputStream in = Files.newInputStream(file.file())) {
                store.write(doc.id, in);
            }
            events.documentStored(job, eventData(doc));
            return doc;
        });
        if (portal[0] != null) {
            metrics.documentStored(portal[0], size);
        }
        return stored;
    }

    /** At most {@code max} characters: the column's length. */
    static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** {@code document.stored}'s data: what a case system files the document by, and where to fetch it. */
    static java.util.Map<String, Object> eventData(DocumentEntity doc) {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("documentId", doc.id.toString());
        data.put("title", doc.title);
        data.put("fileName", doc.fileName);
        data.put("court", doc.court);
        data.put("caseNumber", doc.caseNumber);
        data.put("contentType", doc.contentType);
        data.put("sizeBytes", doc.sizeBytes);
        data.put("sha256", doc.sha256);
        data.put("contentUrl", "/api/v1/documents/" + doc.id + "/content");
        return data;
    }

    private static final PdfMetadata.Meta NO_META = new PdfMetadata.Meta(null, null, null);

    /** The portal's title unless it is missing or does not name a document kind and the PDF has one. */
    static String title(String portalTitle, String pdfTitle) {
        boolean missing = portalTitle == null || portalTitle.isBlank();
        if (pdfTitle != null && (missing || !PdfMetadata.isDocumentKind(portalTitle))) {
            return pdfTitle;
        }
        return missing ? null : portalTitle;
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
