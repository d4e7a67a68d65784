package law.courtdocs.storage;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A stored court document; its bytes live in a {@link DocumentStore}. */
@Entity
@Table(name = "documents")
public class DocumentEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "job_id")
    public UUID jobId;

    /** Always the job's tenant: copied when the worker stores the document. */
    public String tenant;

    @Column(name = "file_name")
    public String fileName;

    @Column(name = "content_type")
    public String contentType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String sha256;
    public String title;
    public String court;

    /** From the PDF's first page, normalised: （2026）粤0106民初1234号. */
    @Column(name = "case_number")
    public String caseNumber;

    @Column(name = "source_id")
    public String sourceId;

    @Column(name = "created_at")
    public Instant createdAt;

    /** A document of this tenant; empty for unknown ids and for other tenants' documents alike. */
    public static Optional<DocumentEntity> findInTenant(String tenant, UUID id) {
        return find("id = ?1 and tenant = ?2", id, tenant).firstResultOptional();
    }

    public static List<DocumentEntity> ofJob(UUID jobId) {
        return list("jobId = ?1 order by createdAt, id", jobId);
    }
}
