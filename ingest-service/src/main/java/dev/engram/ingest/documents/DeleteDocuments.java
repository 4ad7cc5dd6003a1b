package dev.engram.ingest.documents;

import dev.engram.core.documents.ContainerTags;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.api.InvalidRequestException;
import dev.engram.ingest.api.ResourceNotFoundException;
import dev.engram.ingest.outbox.OutboxWriter;
import dev.engram.ingest.persistence.DocumentEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Deletes documents: the row (and its file) goes at once, and a delete event tells memory-writer to drop the chunks
 * and vectors and to abandon any processing still in flight for it.
 */
@ApplicationScoped
public class DeleteDocuments {

    /** Most ids in one bulk delete. */
    public static final int MAX_IDS = 100;

    @Inject
    OutboxWriter outbox;

    @Inject
    Clock clock;

    /** Deletes one document by id or customId; fails with {@link ResourceNotFoundException} when there is none. */
    public Uni<Void> delete(String orgId, String idOrCustomId) {
        Map<String, String> trace = outbox.traceHeaders();
        return Panache.withTransaction(() -> FindDocument.entity(orgId, idOrCustomId)
                        .onItem()
                        .ifNull()
                        .failWith(() ->
                                new ResourceNotFoundException("No document with id or customId '" + idOrCustomId + "'"))
                        .flatMap(row -> remove(row, trace)))
                .invoke(outbox::committed);
    }

    /**
     * Deletes by ids (at most {@link #MAX_IDS}, ids or customIds), by container tags, or by file path (exact, or a
     * prefix when it ends with {@code /}).
     */
    public Uni<Map<String, Object>> bulk(String orgId, List<Object> ids, List<Object> containerTags, Object filepath) {
        int criteria = (ids != null ? 1 : 0) + (containerTags != null ? 1 : 0) + (filepath != null ? 1 : 0);
        if (criteria != 1) {
            throw new InvalidRequestException("body", "give exactly one of ids, containerTags or filepath");
        }
        Map<String, String> trace = outbox.traceHeaders();
        if (ids != null) {
            if (ids.isEmpty() || ids.size() > MAX_IDS) {
                throw new InvalidRequestException("ids", "must hold 1 to " + MAX_IDS + " ids, had " + ids.size());
            }
            List<String> keys = strings(ids, "ids").stream().distinct().toList();
            return Panache.withTransaction(() -> DocumentEntity.<DocumentEntity>list(
                                    "orgId = ?1 and (id in ?2 or customId in ?2)", orgId, keys)
                            .flatMap(found -> removeNamed(keys, found, trace)))
                    .invoke(outbox::committed);
        }
        // Panache queries need the session, which exists only inside the transaction: build them lazily.
        Supplier<Uni<List<DocumentEntity>>> rows;
        List<String> tags = null;
        if (containerTags != null) {
            tags = strings(containerTags, "containerTags");
            if (tags.isEmpty()) {
                throw new InvalidRequestException("containerTags", "must not be empty");
            }
            for (int i = 0; i < tags.size(); i++) {
                String field = "containerTags[" + i + "]";
                ContainerTags.problem(tags.get(i)).ifPresent(p -> {
                    throw new InvalidRequestException(field, p);
                });
            }
            List<String> chosen = tags;
            rows = () -> DocumentEntity.list("orgId = ?1 and containerTag in ?2", orgId, chosen);
        } else {
            String path = DocumentRequestValidator.filepath(filepath, "filepath");
            rows = path.endsWith("/")
                    ? () -> DocumentEntity.list("orgId = ?1 and filepath like ?2 escape '\\'", orgId, likePrefix(path))
                    : () -> DocumentEntity.list("orgId = ?1 and filepath = ?2", orgId, path);
        }
        List<String> deletedTags = tags;
        return Panache.withTransaction(() -> rows.get()
                        .flatMap(list -> Multi.createFrom()
                                .iterable(list)
                                .onItem()
                                // remove() emits no item (Void): count the rows, not its results.
                                .transformToUniAndConcatenate(
                                        row -> remove(row, trace).replaceWith(row.id))
                                .collect()
                                .asList()
                                .map(List::size)))
                .invoke(outbox::committed)
                .map(count -> {
                    Map<String, Object> response = result(count);
                    if (deletedTags != null) {
                        response.put("containerTags", deletedTags);
                    }
                    return response;
                });
    }

    /**
     * Removes the documents {@code keys} name, each key an id or else a customId (as for a single delete); a document
     * named twice (by id and by customId) is removed once. Keys naming no document are reported as errors.
     */
    private Uni<Map<String, Object>> removeNamed(
            List<String> keys, List<DocumentEntity> found, Map<String, String> trace) {
        Map<String, DocumentEntity> named = new LinkedHashMap<>();
        List<Map<String, String>> errors = new ArrayList<>();
        for (String key : keys) {
            DocumentEntity row = found.stream()
                    .filter(d -> key.equals(d.id))
                    .findFirst()
                    .or(() -> found.stream().filter(d -> key.equals(d.customId)).findFirst())
                    .orElse(null);
            if (row == null) {
                errors.add(Map.of("id", key, "error", "Document not found"));
            } else {
                named.putIfAbsent(row.id, row);
            }
        }
        return Multi.createFrom()
                .iterable(named.values())
                .onItem()
                .transformToUniAndConcatenate(row -> remove(row, trace).replaceWith(row.id))
                .collect()
                .asList()
                .map(removed -> {
                    Map<String, Object> response = result(removed.size());
                    if (!errors.isEmpty()) {
                        response.put("errors", errors);
                    }
                    return response;
                });
    }

    private Uni<Void> remove(DocumentEntity row, Map<String, String> trace) {
        var event = DocumentEvents.of(row, DocumentOperation.DELETE, null, clock.instant());
        return row.delete().flatMap(v -> tombstone(row)).flatMap(v -> outbox.append(Topics.DOCUMENTS, event, trace));
    }

    /** Leaves a tombstone so memory-writer abandons the document even if its row is already gone. */
    private static Uni<Void> tombstone(DocumentEntity row) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                                insert into ingest.document_tombstones (org_id, id, revision) values (?1, ?2, ?3)
                                on conflict (org_id, id) do update set revision = excluded.revision, deleted_at = now()
                                """)
                        .setParameter(1, row.orgId)
                        .setParameter(2, row.id)
                        .setParameter(3, row.revision)
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static Map<String, Object> result(int deleted) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("deletedCount", deleted);
        response.put("success", true);
        return response;
    }

    private static List<String> strings(List<Object> values, String field) {
        List<String> strings = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (!(values.get(i) instanceof String s) || s.isEmpty()) {
                throw new InvalidRequestException(field + "[" + i + "]", "must be a non-empty string");
            }
            strings.add(s);
        }
        return strings;
    }

    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
