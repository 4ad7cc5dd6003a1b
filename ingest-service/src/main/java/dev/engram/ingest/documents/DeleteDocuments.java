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
            List<String> keys = strings(ids, "ids");
            return Panache.withTransaction(() -> Multi.createFrom()
                            .iterable(keys)
                            .onItem()
                            .transformToUniAndConcatenate(key -> FindDocument.entity(orgId, key)
                                    .flatMap(row -> row == null
                                            ? Uni.createFrom().item(key)
                                            : remove(row, trace).replaceWith((String) null)))
                            .collect()
                            .asList())
                    .invoke(outbox::committed)
                    .map(missing -> {
                        List<Map<String, String>> errors = new ArrayList<>();
                        missing.stream()
                                .filter(key -> key != null)
                                .forEach(key -> errors.add(Map.of("id", key, "error", "Document not found")));
                        Map<String, Object> response = result(keys.size() - errors.size());
                        if (!errors.isEmpty()) {
                            response.put("errors", errors);
                        }
                        return response;
                    });
        }
        Uni<List<DocumentEntity>> rows;
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
            rows = DocumentEntity.list("orgId = ?1 and containerTag in ?2", orgId, chosen);
        } else {
            if (!(filepath instanceof String path) || path.isEmpty()) {
                throw new InvalidRequestException("filepath", "must be a non-empty string");
            }
            rows = path.endsWith("/")
                    ? DocumentEntity.list("orgId = ?1 and filepath like ?2 escape '\\'", orgId, likePrefix(path))
                    : DocumentEntity.list("orgId = ?1 and filepath = ?2", orgId, path);
        }
        List<String> deletedTags = tags;
        Uni<List<DocumentEntity>> found = rows;
        return Panache.withTransaction(() -> found.flatMap(list -> Multi.createFrom()
                        .iterable(list)
                        .onItem()
                        .transformToUniAndConcatenate(row -> remove(row, trace))
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

    private Uni<Void> remove(DocumentEntity row, Map<String, String> trace) {
        var event = DocumentEvents.of(row, DocumentOperation.DELETE, null, clock.instant());
        return row.delete().flatMap(v -> outbox.append(Topics.DOCUMENTS, event, trace));
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
