package dev.engram.ingest.documents;

import dev.engram.ingest.api.DocumentResponse;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.persistence.DocumentEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Looks documents up by id or customId, within one organisation. */
@ApplicationScoped
public class FindDocument {

    /**
     * @throws ResourceNotFoundException (as the failure of the returned {@code Uni}) when there is none
     */
    @WithSession
    public Uni<DocumentResponse> byIdOrCustomId(String orgId, String idOrCustomId) {
        return entity(orgId, idOrCustomId)
                .onItem()
                .ifNull()
                .failWith(() -> new ResourceNotFoundException("No document with id or customId '" + idOrCustomId + "'"))
                .map(FindDocument::toResponse);
    }

    /** Documents still in the pipeline, oldest first ({@code GET /v3/documents/processing}). */
    @WithSession
    public Uni<Map<String, Object>> processing(String orgId) {
        return DocumentEntity.<DocumentEntity>list(
                        "orgId = ?1 and status not in ('done', 'failed') order by createdAt", orgId)
                .map(rows -> {
                    List<Map<String, Object>> documents =
                            rows.stream().map(FindDocument::processingEntry).toList();
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("documents", documents);
                    response.put("totalCount", documents.size());
                    return response;
                });
    }

    /** The row with this id, else the one with this customId, else {@code null}; needs an open session. */
    static Uni<DocumentEntity> entity(String orgId, String idOrCustomId) {
        return DocumentEntity.<DocumentEntity>find(
                        "orgId = ?1 and (id = ?2 or customId = ?2) order by case when id = ?2 then 0 else 1 end",
                        orgId,
                        idOrCustomId)
                .firstResult();
    }

    private static Map<String, Object> processingEntry(DocumentEntity row) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", row.id);
        entry.put("createdAt", row.createdAt.toInstant().toString());
        entry.put("customId", row.customId);
        entry.put("metadata", row.metadata);
        entry.put("status", row.status);
        entry.put("title", row.title);
        entry.put("type", row.type);
        entry.put("updatedAt", row.updatedAt.toInstant().toString());
        entry.put("containerTags", List.of(row.containerTag));
        return entry;
    }

    static DocumentResponse toResponse(DocumentEntity row) {
        boolean url = "url".equals(row.source);
        return new DocumentResponse(
                row.id,
                null,
                row.content,
                row.createdAt.toInstant(),
                row.customId,
                row.filepath,
                row.metadata,
                null,
                null,
                row.source,
                null,
                row.status,
                row.summary,
                row.taskType,
                row.title,
                row.type,
                row.updatedAt.toInstant(),
                List.of(row.containerTag),
                url ? row.content : null,
                row.statusReason,
                row.chunkCount,
                null,
                null);
    }
}
