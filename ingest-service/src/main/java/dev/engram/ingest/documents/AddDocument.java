package dev.engram.ingest.documents;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.documents.DocumentIds;
import dev.engram.core.documents.DocumentSources;
import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.api.ConflictException;
import dev.engram.ingest.conversations.ConversationDocuments;
import dev.engram.ingest.outbox.OutboxWriter;
import dev.engram.ingest.persistence.DocumentEntity;
import dev.engram.ingest.persistence.DocumentFileEntity;
import dev.engram.ingest.persistence.DocumentFileKey;
import dev.engram.ingest.persistence.DocumentRows;
import dev.engram.ingest.persistence.NewDocumentRows;
import dev.engram.ingest.persistence.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adds a document, or updates the one with the same {@code customId}: stores it {@code queued} (with its file, if
 * uploaded) and, in the same transaction, the {@link DocumentEvent} that asks memory-writer to process it.
 */
@ApplicationScoped
public class AddDocument {

    @Inject
    OutboxWriter outbox;

    @Inject
    ContainerTagContexts tagContexts;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    /**
     * @return the stored document's id and status
     */
    public Uni<Added> add(NewDocument document) {
        return addAll(List.of(document)).map(added -> added.get(0));
    }

    /**
     * Adds several documents, in order, in one transaction: either all are stored or none is, so a failed request can
     * be retried without duplicating anything. Later documents see earlier ones (the same customId twice in one call
     * is an add, then an update).
     *
     * @return per document, in order, its id and status
     */
    public Uni<List<Added>> addAll(List<NewDocument> documents) {
        if (documents.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<String, String> trace = outbox.traceHeaders();
        // Every statement that is not an entity write comes first: a native statement makes Hibernate flush (and
        // dirty-check) every entity the session holds, so running one after the batch's rows were persisted, or one
        // per tag in between, cost a pass over the whole batch each time.
        return Transactions.retryingConflicts(() -> rememberTags(documents)
                        .flatMap(v -> existingRows(documents))
                        .flatMap(existing -> store(documents, existing, trace)))
                // Two first adds of one customId racing: the loser runs again and finds the winner's row. Two batches
                // updating the same rows in different orders: PostgreSQL aborts one, which runs again.
                .invoke(outbox::committed);
    }

    /**
     * Stores the documents: the new ones (no stored row, no file, a custom id no other document of the request has)
     * with one statement for their rows and one for their events ({@link NewDocumentRows}); then, in order, the rest as
     * entities, one by one (updates, uploads, a custom id given twice).
     */
    private Uni<List<Added>> store(
            List<NewDocument> documents, Map<CustomIdKey, DocumentEntity> existing, Map<String, String> trace) {
        Set<CustomIdKey> repeated = repeatedCustomIds(documents);
        Added[] added = new Added[documents.size()];
        List<DocumentEntity> fresh = new ArrayList<>();
        List<DocumentEvent> freshEvents = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            NewDocument document = documents.get(i);
            CustomIdKey key =
                    document.customId() == null ? null : new CustomIdKey(document.orgId(), document.customId());
            if (document.file() != null || (key != null && (existing.containsKey(key) || repeated.contains(key)))) {
                others.add(i);
                continue;
            }
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            DocumentEntity row = newRow(document, now);
            apply(row, document);
            fresh.add(row);
            freshEvents.add(
                    DocumentEvents.of(row, DocumentOperation.UPSERT, document.entityContext(), now.toInstant()));
            added[i] = new Added(row.id, DocumentStatus.QUEUED);
        }
        return NewDocumentRows.insertAll(fresh, json)
                .flatMap(v -> outbox.appendAll(Topics.DOCUMENTS, freshEvents, trace))
                .flatMap(v -> Multi.createFrom()
                        .iterable(others)
                        .onItem()
                        .transformToUniAndConcatenate(
                                i -> upsert(documents.get(i), existing, trace).invoke(result -> added[i] = result))
                        .collect()
                        .last())
                .map(v -> List.of(added));
    }

    /** The custom ids that more than one of the documents has. */
    private static Set<CustomIdKey> repeatedCustomIds(List<NewDocument> documents) {
        Set<CustomIdKey> seen = new HashSet<>();
        Set<CustomIdKey> repeated = new HashSet<>();
        for (NewDocument document : documents) {
            if (document.customId() != null) {
                CustomIdKey key = new CustomIdKey(document.orgId(), document.customId());
                if (!seen.add(key)) {
                    repeated.add(key);
                }
            }
        }
        return repeated;
    }

    /**
     * The stored rows of the documents' custom ids, read in one query per organisation before anything is written: a
     * query per document would make Hibernate flush (and dirty-check) every row written so far, quadratic in the batch.
     */
    private static Uni<Map<CustomIdKey, DocumentEntity>> existingRows(List<NewDocument> documents) {
        Map<String, Set<String>> customIdsByOrg = new LinkedHashMap<>();
        for (NewDocument document : documents) {
            if (document.customId() != null) {
                customIdsByOrg
                        .computeIfAbsent(document.orgId(), org -> new LinkedHashSet<>())
                        .add(document.customId());
            }
        }
        return DocumentRows.withCustomIds(customIdsByOrg).map(found -> {
            Map<CustomIdKey, DocumentEntity> rows = new HashMap<>();
            found.forEach(row -> rows.put(new CustomIdKey(row.orgId, row.customId), row));
            return rows;
        });
    }

    private Uni<Added> upsert(
            NewDocument document, Map<CustomIdKey, DocumentEntity> existing, Map<String, String> trace) {
        CustomIdKey key = document.customId() == null ? null : new CustomIdKey(document.orgId(), document.customId());
        DocumentEntity stored = key == null ? null : existing.get(key);
        return Uni.createFrom().item(stored).flatMap(found -> {
            if (found != null && ConversationDocuments.isConversation(found)) {
                throw new ConflictException(
                        "customId", "'" + found.customId + "' names a conversation; send it to POST /v4/conversations");
            }
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            DocumentEntity row = found == null ? newRow(document, now) : found;
            if (key != null) {
                existing.put(key, row); // the same customId later in the batch updates this row
            }
            if (found != null) {
                row.revision += 1;
                row.updatedAt = now;
            }
            boolean hadFile = found != null && DocumentSources.FILE.equals(found.source);
            apply(row, document);
            DocumentEvent event =
                    DocumentEvents.of(row, DocumentOperation.UPSERT, document.entityContext(), now.toInstant());
            return row.<DocumentEntity>persist()
                    .flatMap(saved -> storeFile(row, document, now, hadFile))
                    .flatMap(v -> outbox.append(Topics.DOCUMENTS, event, trace))
                    .replaceWith(new Added(row.id, DocumentStatus.QUEUED));
        });
    }

    /**
     * Records each container tag once, with the last entity context given for it (none keeps the stored one), in one
     * statement. Tags are written in sorted order, so concurrent batches sharing tags lock their rows in the same order
     * and never deadlock.
     */
    private Uni<Void> rememberTags(List<NewDocument> documents) {
        Map<String, NewDocument> lastByTag = new TreeMap<>();
        for (NewDocument document : documents) {
            String key = document.orgId() + '\n' + document.containerTag();
            NewDocument earlier = lastByTag.get(key);
            if (earlier == null || document.entityContext() != null || earlier.entityContext() == null) {
                lastByTag.put(key, document);
            }
        }
        return tagContexts.rememberAll(List.copyOf(lastByTag.values()).stream()
                .map(document -> new ContainerTagContexts.TagContext(
                        document.orgId(), document.containerTag(), document.entityContext()))
                .toList());
    }

    private static void apply(DocumentEntity row, NewDocument document) {
        row.containerTag = document.containerTag();
        row.content = document.content();
        row.metadata = document.metadata();
        row.source = document.source();
        row.contentType = document.file() == null ? null : document.file().contentType();
        row.filename = document.file() == null ? null : document.file().filename();
        row.filepath = document.filepath();
        row.taskType = document.taskType();
        row.status = DocumentStatus.QUEUED.wireName();
        row.statusReason = null;
        row.chunkCount = null;
        row.type = DocumentSources.URL.equals(row.source) ? "webpage" : "text";
        row.origin = null; // the content is now the caller's, whoever made the document first
        row.conversationHash = null;
    }

    private static Uni<Void> storeFile(DocumentEntity row, NewDocument document, OffsetDateTime now, boolean hadFile) {
        // A row whose content was an uploaded file loses that file (a delete is a query: only when there is one).
        Uni<Boolean> removed = hadFile
                ? DocumentFileEntity.deleteById(new DocumentFileKey(row.orgId, row.id))
                : Uni.createFrom().item(false);
        if (document.file() == null) {
            return removed.replaceWithVoid();
        }
        DocumentFileEntity file = new DocumentFileEntity();
        file.orgId = row.orgId;
        file.documentId = row.id;
        file.contentType = document.file().contentType();
        file.filename = document.file().filename();
        file.sizeBytes = document.file().bytes().length;
        file.bytes = document.file().bytes();
        file.createdAt = now;
        return removed.flatMap(r -> Panache.getSession().flatMap(s -> s.flush()))
                .flatMap(f -> file.persist())
                .replaceWithVoid();
    }

    private static DocumentEntity newRow(NewDocument document, OffsetDateTime now) {
        DocumentEntity row = new DocumentEntity();
        row.orgId = document.orgId();
        row.id = DocumentIds.next();
        row.customId = document.customId();
        row.revision = 1;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    private record CustomIdKey(String orgId, String customId) {}

    /**
     * @param id the document id
     * @param status its status after the add
     */
    public record Added(String id, DocumentStatus status) {}
}
