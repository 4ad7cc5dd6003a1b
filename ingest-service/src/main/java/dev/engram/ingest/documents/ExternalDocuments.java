package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentSources;
import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import dev.engram.ingest.persistence.DocumentRows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Documents that other producers publish straight to {@code engram.documents.v1}: they appear in the API like any
 * other. The document event and memory-writer's first status may arrive in either order, so whichever comes first
 * creates the row, and the document event fills in its content; a deleted document (tombstone) is never revived.
 */
@ApplicationScoped
public class ExternalDocuments {

    /**
     * Applies a polled batch of document events, in order. Must run inside a transaction. The batch's rows are read
     * first as a projection: events of documents this service wrote (nearly all) need nothing, so their rows are
     * never loaded as entities; the rest go through {@link #onDocumentEvent}.
     */
    public Uni<Void> onDocumentEvents(List<DocumentEvent> events) {
        List<DocumentKey> keys = events.stream()
                .filter(event -> event.operation() == DocumentOperation.UPSERT)
                .map(event -> new DocumentKey(event.orgId(), event.documentId()))
                .toList();
        return DocumentRows.states(keys)
                .onItem()
                .transformToMulti(states -> Multi.createFrom().iterable(events).filter(event -> {
                    DocumentRows.RowState state = states.get(new DocumentKey(event.orgId(), event.documentId()));
                    return event.operation() == DocumentOperation.UPSERT && (state == null || needsFill(state, event));
                }))
                .onItem()
                .transformToUniAndConcatenate(this::onDocumentEvent)
                .collect()
                .last()
                .replaceWithVoid();
    }

    /** Whether a stored row was made from a status that came first, so this event fills its content in. */
    private static boolean needsFill(DocumentRows.RowState row, DocumentEvent event) {
        return row.contentMissing() && !DocumentSources.FILE.equals(row.source()) && row.revision() == event.revision();
    }

    /** Applies a document event read from the topic; events of documents this service wrote change nothing. */
    public Uni<Void> onDocumentEvent(DocumentEvent event) {
        if (event.operation() != DocumentOperation.UPSERT) {
            return Uni.createFrom().voidItem();
        }
        return DocumentEntity.<DocumentEntity>findById(new DocumentKey(event.orgId(), event.documentId()))
                .flatMap(row -> {
                    if (row != null) {
                        if (needsFill(
                                new DocumentRows.RowState(row.revision, row.content == null, row.source), event)) {
                            fill(row, event); // created from a status event that arrived first
                        }
                        return Uni.createFrom().voidItem();
                    }
                    return tombstoned(event.orgId(), event.documentId()).flatMap(deleted -> {
                        if (deleted) {
                            return Uni.createFrom().voidItem();
                        }
                        DocumentEntity created = newRow(
                                event.orgId(),
                                event.documentId(),
                                event.containerTag(),
                                event.revision(),
                                event.occurredAt().atOffset(ZoneOffset.UTC),
                                DocumentStatus.QUEUED);
                        fill(created, event);
                        return created.persist().replaceWithVoid();
                    });
                });
    }

    /** A row for a status of a document not known yet, unless it was deleted; {@code null} if none is made. */
    public Uni<DocumentEntity> placeholderFor(ProcessingStatusEvent event) {
        return tombstoned(event.orgId(), event.documentId()).flatMap(deleted -> {
            if (deleted) {
                return Uni.createFrom().nullItem();
            }
            DocumentEntity row = newRow(
                    event.orgId(),
                    event.documentId(),
                    event.containerTag(),
                    event.revision(),
                    event.occurredAt().atOffset(ZoneOffset.UTC),
                    DocumentStatus.QUEUED);
            return row.<DocumentEntity>persist();
        });
    }

    private static void fill(DocumentEntity row, DocumentEvent event) {
        row.customId = event.customId();
        row.containerTag = event.containerTag();
        row.content = event.content();
        row.metadata = event.metadata();
        row.source = event.source() != null ? event.source() : DocumentSources.of(event.content());
        row.filepath = event.filepath();
        row.taskType = event.taskType() != null ? event.taskType() : "memory";
        row.origin = event.origin();
        if ("text".equals(row.type) && DocumentSources.URL.equals(row.source)) {
            row.type = "webpage";
        }
    }

    private static DocumentEntity newRow(
            String orgId, String id, String tag, long revision, java.time.OffsetDateTime at, DocumentStatus status) {
        DocumentEntity row = new DocumentEntity();
        row.orgId = orgId;
        row.id = id;
        row.containerTag = tag;
        row.revision = revision;
        row.status = status.wireName();
        row.metadata = java.util.Map.of();
        row.source = DocumentSources.TEXT;
        row.taskType = "memory";
        row.type = "text";
        row.createdAt = at;
        row.updatedAt = at;
        return row;
    }

    private static Uni<Boolean> tombstoned(String orgId, String id) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(
                                "select count(*) from ingest.document_tombstones where org_id = ?1 and id = ?2",
                                Long.class)
                        .setParameter(1, orgId)
                        .setParameter(2, id)
                        .getSingleResult())
                .map(count -> count > 0);
    }
}
