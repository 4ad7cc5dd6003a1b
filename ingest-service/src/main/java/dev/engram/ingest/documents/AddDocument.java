package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.outbox.OutboxWriter;
import dev.engram.ingest.persistence.DocumentEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Adds a document, or updates the one with the same {@code customId}: stores it {@code queued} and, in the same
 * transaction, the {@link DocumentEvent} that asks memory-writer to process it.
 */
@ApplicationScoped
public class AddDocument {

    @Inject
    OutboxWriter outbox;

    @Inject
    Clock clock;

    /**
     * @return the stored document's id and status
     */
    public Uni<Added> add(NewDocument document) {
        Map<String, String> trace = outbox.traceHeaders();
        return Panache.withTransaction(() -> upsert(document, trace))
                // Two first adds of one customId racing: the loser retries and finds the winner's row.
                .onFailure(AddDocument::isUniqueViolation)
                .retry()
                .atMost(1)
                .invoke(outbox::committed);
    }

    private Uni<Added> upsert(NewDocument document, Map<String, String> trace) {
        Uni<DocumentEntity> existing = document.customId() == null
                ? Uni.createFrom().nullItem()
                : DocumentEntity.find("orgId = ?1 and customId = ?2", document.orgId(), document.customId())
                        .firstResult();
        return existing.flatMap(found -> {
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            DocumentEntity row = found == null ? newRow(document, now) : found;
            if (found != null) {
                row.revision += 1;
                row.updatedAt = now;
            }
            row.containerTag = document.containerTag();
            row.content = document.content();
            row.metadata = document.metadata();
            row.status = DocumentStatus.QUEUED.wireName();
            row.statusReason = null;
            DocumentEvent event = new DocumentEvent(
                    UUID.randomUUID().toString(),
                    now.toInstant(),
                    DocumentEvent.SCHEMA_VERSION,
                    row.containerTag,
                    row.orgId,
                    row.id,
                    row.revision,
                    row.customId,
                    row.content,
                    row.metadata);
            return row.<DocumentEntity>persist()
                    .flatMap(saved -> outbox.append(Topics.DOCUMENTS, event, trace))
                    .replaceWith(new Added(row.id, DocumentStatus.QUEUED));
        });
    }

    private static DocumentEntity newRow(NewDocument document, OffsetDateTime now) {
        DocumentEntity row = new DocumentEntity();
        row.orgId = document.orgId();
        row.id = DocumentIds.next();
        row.customId = document.customId();
        row.revision = 1;
        row.type = "text";
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param id the document id
     * @param status its status after the add
     */
    public record Added(String id, DocumentStatus status) {}
}
