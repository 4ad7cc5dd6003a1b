package dev.engram.ingest.documents;

import dev.engram.ingest.api.DocumentResponse;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.persistence.DocumentEntity;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Looks a document up by its id or its customId, within one organisation. */
@ApplicationScoped
public class FindDocument {

    /**
     * @throws ResourceNotFoundException (as the failure of the returned {@code Uni}) when there is none
     */
    @WithSession
    public Uni<DocumentResponse> byIdOrCustomId(String orgId, String idOrCustomId) {
        return DocumentEntity.<DocumentEntity>find(
                        "orgId = ?1 and (id = ?2 or customId = ?2) order by case when id = ?2 then 0 else 1 end",
                        orgId,
                        idOrCustomId)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> new ResourceNotFoundException("No document with id or customId '" + idOrCustomId + "'"))
                .map(FindDocument::toResponse);
    }

    private static DocumentResponse toResponse(DocumentEntity row) {
        return new DocumentResponse(
                row.id,
                null,
                row.content,
                row.createdAt.toInstant(),
                row.customId,
                null,
                row.metadata,
                null,
                null,
                null,
                null,
                row.status,
                row.summary,
                "memory",
                row.title,
                row.type,
                row.updatedAt.toInstant(),
                List.of(row.containerTag),
                null);
    }
}
