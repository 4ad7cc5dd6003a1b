package dev.engram.ingest.documents;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.ingest.conversations.ConversationDocuments;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentKey;
import dev.engram.ingest.persistence.DocumentRows;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies a status event from memory-writer to its document. Idempotent and order-tolerant: an event for another
 * revision, a step backwards, or a repeat changes nothing, except that a conversation moves on to a newer revision
 * reported before its conversation event arrived (see {@code ExternalConversations}).
 */
@ApplicationScoped
public class ApplyProcessingStatus {

    private static final Logger LOG = Logger.getLogger(ApplyProcessingStatus.class);

    @Inject
    ExternalDocuments externalDocuments;

    /**
     * Applies a polled batch of status events, each as {@link #apply} would, in order per document. Must run inside a
     * transaction, before anything else in it. The documents' status and revision are read as a projection, each
     * document's events are folded onto it in memory, and the results are written in one statement — no entity is
     * loaded for the common case (events of the stored revision, arriving in order). A document with an event of
     * another revision, without a row, or changed since it was read goes through {@link #apply} event by event.
     */
    public Uni<Void> applyAll(List<ProcessingStatusEvent> events) {
        Map<DocumentKey, List<ProcessingStatusEvent>> byDocument = new LinkedHashMap<>();
        for (ProcessingStatusEvent event : events) {
            byDocument
                    .computeIfAbsent(new DocumentKey(event.orgId(), event.documentId()), k -> new ArrayList<>())
                    .add(event);
        }
        return DocumentRows.statuses(byDocument.keySet()).flatMap(stored -> {
            List<Folded> folded = new ArrayList<>();
            List<ProcessingStatusEvent> slow = new ArrayList<>();
            byDocument.forEach((key, own) -> {
                DocumentRows.StatusRow row = stored.get(key);
                Folded result = row == null ? null : Folded.of(row, own);
                if (result == null) {
                    slow.addAll(own);
                } else if (result.changed()) {
                    folded.add(result);
                }
            });
            return write(folded).flatMap(written -> {
                for (Folded result : folded) {
                    if (!written.contains(result.key())) {
                        slow.addAll(byDocument.get(result.key())); // changed since it was read
                    }
                }
                return Multi.createFrom()
                        .iterable(slow)
                        .onItem()
                        .transformToUniAndConcatenate(this::apply)
                        .collect()
                        .last()
                        .replaceWithVoid();
            });
        });
    }

    /**
     * A document's events folded onto its stored status: what {@link #apply} would leave after them, if they are all of
     * the stored revision.
     */
    private record Folded(
            DocumentKey key,
            DocumentRows.StatusRow read,
            boolean changed,
            DocumentStatus status,
            String reason,
            String title,
            String type,
            Integer chunkCount,
            java.time.Instant updatedAt) {

        /** {@code null} when an event is of another revision (the entity path decides what that means). */
        static Folded of(DocumentRows.StatusRow row, List<ProcessingStatusEvent> events) {
            DocumentStatus status = DocumentStatus.fromWire(row.status());
            boolean changed = false;
            String reason = null;
            String title = null;
            String type = null;
            Integer chunkCount = null;
            java.time.Instant updatedAt = null;
            for (ProcessingStatusEvent event : events) {
                if (event.revision() != row.revision()) {
                    return null;
                }
                if (!status.canAdvanceTo(event.status())) {
                    continue;
                }
                changed = true;
                status = event.status();
                reason = event.reason();
                title = event.title() != null ? event.title() : title;
                type = event.type() != null ? event.type() : type;
                chunkCount = event.chunkCount() != null ? event.chunkCount() : chunkCount;
                updatedAt = event.occurredAt();
            }
            return new Folded(
                    new DocumentKey(row.orgId(), row.id()),
                    row,
                    changed,
                    status,
                    reason,
                    title,
                    type,
                    chunkCount,
                    updatedAt);
        }
    }

    /**
     * Writes folded statuses in one statement, each only if the row still has the status and revision it was read
     * with; returns the keys written.
     */
    private static Uni<Set<DocumentKey>> write(List<Folded> folded) {
        if (folded.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        int n = folded.size();
        String[][] columns = new String[10][n];
        for (int i = 0; i < n; i++) {
            Folded f = folded.get(i);
            columns[0][i] = f.key().orgId;
            columns[1][i] = f.key().id;
            columns[2][i] = Long.toString(f.read().revision());
            columns[3][i] = f.read().status();
            columns[4][i] = f.status().wireName();
            columns[5][i] = f.reason();
            columns[6][i] = f.title();
            columns[7][i] = f.type();
            columns[8][i] = f.chunkCount() == null ? null : f.chunkCount().toString();
            columns[9][i] = f.updatedAt().toString();
        }
        return Panache.getSession()
                .flatMap(session -> {
                    var query = session.createNativeQuery("""
                    update ingest.documents d
                    set status = v.status, status_reason = v.reason, title = coalesce(v.title, d.title),
                        type = coalesce(v.type, d.type), chunk_count = coalesce(v.chunk_count::integer, d.chunk_count),
                        updated_at = v.updated_at::timestamptz
                    from unnest(cast(?1 as text[]), cast(?2 as text[]), cast(?3 as text[]), cast(?4 as text[]),
                                cast(?5 as text[]), cast(?6 as text[]), cast(?7 as text[]), cast(?8 as text[]),
                                cast(?9 as text[]), cast(?10 as text[]))
                         as v(org_id, id, revision, expected, status, reason, title, type, chunk_count, updated_at)
                    where d.org_id = v.org_id and d.id = v.id and d.revision = v.revision::bigint
                      and d.status = v.expected
                    returning d.org_id, d.id
                    """, Object[].class);
                    for (int c = 0; c < columns.length; c++) {
                        query.setParameter(c + 1, columns[c]);
                    }
                    return query.getResultList();
                })
                .map(rows -> {
                    Set<DocumentKey> written = new HashSet<>();
                    for (Object[] row : rows) {
                        written.add(new DocumentKey((String) row[0], (String) row[1]));
                    }
                    return written;
                });
    }

    /** Must run inside a transaction. */
    public Uni<Boolean> apply(ProcessingStatusEvent event) {
        return DocumentEntity.<DocumentEntity>findById(new DocumentKey(event.orgId(), event.documentId()))
                .flatMap(
                        found -> found != null ? Uni.createFrom().item(found) : externalDocuments.placeholderFor(event))
                .map(document -> {
                    if (document == null) {
                        LOG.debugf(
                                "status %s for a deleted document",
                                event.status().wireName());
                        return false;
                    }
                    if (document.revision != event.revision()) {
                        if (!reportsNewerConversation(document, event)) {
                            return false;
                        }
                        // The router publishes conversations straight to Kafka: memory-writer may report on a new
                        // revision before this service read its event. Move on to it; the event fills the content in.
                        document.revision = event.revision();
                        document.conversationHash = null;
                        document.status = DocumentStatus.QUEUED.wireName();
                        document.statusReason = null;
                        document.chunkCount = null;
                    }
                    DocumentStatus current = DocumentStatus.fromWire(document.status);
                    if (!current.canAdvanceTo(event.status())) {
                        return false;
                    }
                    document.status = event.status().wireName();
                    document.statusReason = event.reason();
                    if (event.title() != null) {
                        document.title = event.title();
                    }
                    if (event.type() != null) {
                        document.type = event.type();
                    }
                    if (event.chunkCount() != null) {
                        document.chunkCount = event.chunkCount();
                    }
                    document.updatedAt = event.occurredAt().atOffset(ZoneOffset.UTC);
                    return true;
                });
    }

    private static boolean reportsNewerConversation(DocumentEntity document, ProcessingStatusEvent event) {
        return event.revision() > document.revision && ConversationDocuments.isConversation(document);
    }
}
