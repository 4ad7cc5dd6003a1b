package dev.engram.ingest.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code documents}. Never leaves the persistence package: the API maps it to its own records. */
@Entity
@Table(name = "documents")
@IdClass(DocumentKey.class)
public class DocumentEntity extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    public String orgId;

    @Id
    public String id;

    @Column(name = "container_tag")
    public String containerTag;

    @Column(name = "custom_id")
    public String customId;

    public String content;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;

    public String status;

    @Column(name = "status_reason")
    public String statusReason;

    public long revision;

    /** Where the content is: {@code text}, {@code url}, {@code file}, or {@code conversation} (a transcript). */
    public String source;

    @Column(name = "content_type")
    public String contentType;

    public String filename;

    public String filepath;

    @Column(name = "task_type")
    public String taskType;

    @Column(name = "chunk_count")
    public Integer chunkCount;

    public String title;

    public String type;

    public String summary;

    /** Who made the document ({@code DocumentEvent.origin}): {@code null}, or {@code memories} for a light source. */
    public String origin;

    /** For a conversation: the hash of its messages and metadata; {@code null} while its content is not known. */
    @Column(name = "conversation_hash")
    public String conversationHash;

    /** For a conversation: its turns, oldest first, as the content renders them; {@code null} for other sources. */
    @JdbcTypeCode(SqlTypes.JSON)
    public StoredTurns turns;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
