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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored court document; its bytes live in a {@link DocumentStore}. */
@Entity
@Table(name = "documents")
public class DocumentEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "job_id")
    public UUID jobId;

    /** Always the job's tenant: copied when the worker stores the document. */
    @Column(length = 128)
    public String tenant;

    @Column(name = "file_name", length = 512)
    public String fileName;

    @Column(name = "content_type", length = 128)
    public String contentType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    /** Hex, always 64 characters: a fixed-width column. */
    @Column(length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)
    public String sha256;

    @Column(length = 512)
    public String title;

    @Column(length = 256)
    public String court;

    /** From the PDF's first page, normalised: （2026）粤0106民初1234号. */
    @Column(name = "case_number", length = 128)
    public String caseNumber;

    @Column(name = "source_id", length = 512)
    public String sourceId;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Kept past {@code court.retention.documents} until released (V14). */
    @Column(name = "legal_hold")
    public boolean legalHold;

    @Column(name = "hold_reason", length = 500)
    public String holdReason;

    @Column(name = "held_by", length = 256)
    public String heldBy;

    @Column(name = "held_at")
    public Instant heldAt;

    /** A document of this tenant; empty for unknown ids and for other tenants' documents alike. */
    public static Optional<DocumentEntity> findInTenant(String tenant, UUID id) {
        return find("id = ?1 and tenant = ?2", id, tenant).firstResultOptional();
    }

    public static List<DocumentEntity> ofJob(UUID jobId) {
        return list("jobId = ?1 order by createdAt, id", jobId);
    }
}
