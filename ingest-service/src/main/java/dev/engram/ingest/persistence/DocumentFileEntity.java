package dev.engram.ingest.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A row of {@code document_files}: the bytes of an uploaded file. */
@Entity
@Table(name = "document_files")
@IdClass(DocumentFileKey.class)
public class DocumentFileEntity extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    public String orgId;

    @Id
    @Column(name = "document_id")
    public String documentId;

    @Column(name = "content_type")
    public String contentType;

    public String filename;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public byte[] bytes;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
