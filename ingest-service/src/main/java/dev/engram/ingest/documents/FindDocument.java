package dev.engram.ingest.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.ingest.api.DocumentResponse;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.StoredMetadata;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Looks documents up by id or customId, within one organisation. */
@ApplicationScoped
public class FindDocument {

    @Inject
    Pool client;

    @Inject
    ObjectMapper json;

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

    /**
     * Documents still in the pipeline, oldest first ({@code GET /v3/documents/processing}). Reads only the columns the
     * answer shows, never the content: clients poll this list while a bulk import runs, when it holds thousands of
     * documents, and loading whole rows (long documents' text included) made each poll cost far more than it returns.
     */
    public Uni<Map<String, Object>> processing(String orgId) {
        return client.preparedQuery("select id, created_at, custom_id, metadata::text as metadata, status, title, type,"
                        + " updated_at, container_tag from ingest.documents"
                        + " where org_id = $1 and status not in ('done', 'failed') order by created_at, id")
                .execute(Tuple.of(orgId))
                .map(rows -> {
                    List<Map<String, Object>> documents = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        documents.add(processingEntry(row));
                    }
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

    private Map<String, Object> processingEntry(Row row) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", row.getString("id"));
        entry.put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
        entry.put("customId", row.getString("custom_id"));
        entry.put("metadata", StoredMetadata.parse(json, row.getString("metadata")));
        entry.put("status", row.getString("status"));
        entry.put("title", row.getString("title"));
        entry.put("type", row.getString("type"));
        entry.put("updatedAt", row.getOffsetDateTime("updated_at").toInstant().toString());
        entry.put("containerTags", List.of(row.getString("container_tag")));
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
