package dev.engram.writer.memories;

import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorStore;
import dev.engram.writer.store.MemoryStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Mirrors memories into the {@link VectorKind#MEMORIES} collection: one point per memory version, id = memory id,
 * vector = the embedding stored with the row (so a state change never needs the model), text = the fact,
 * metadata = the memory's metadata (filterable), and the memory's state as attributes (returned with hits, not
 * filterable):
 *
 * <ul>
 *   <li>{@code version} (int), {@code isLatest}, {@code isStatic}, {@code isInference}, {@code isForgotten}
 *       (booleans; {@code isForgotten} is the recorded state: an expired memory counts as forgotten too, see
 *       {@code forgetAfter})
 *   <li>{@code forgetAfter} (epoch milliseconds; absent when the memory does not expire)
 *   <li>{@code rootMemoryId}, {@code parentMemoryId} (absent for version 1)
 *   <li>{@code createdAt}, {@code updatedAt} (epoch milliseconds), {@code sourceCount} (int)
 *   <li>{@code documentDate} (epoch milliseconds; absent when unknown)
 * </ul>
 *
 * <p>The point's document id is the memory's first source document, or {@link #NO_DOCUMENT}.
 */
@ApplicationScoped
public class MemoryIndexer {

    /** Document id of the point of a memory with no source document. */
    public static final String NO_DOCUMENT = "_none";

    private static final Logger LOG = Logger.getLogger(MemoryIndexer.class);

    @Inject
    MemoryStore store;

    @Inject
    VectorStore vectors;

    /**
     * Upserts the points of these memories from their rows as {@code connection} sees them (inside a transaction,
     * its own uncommitted writes included). Does not commit the vector store.
     */
    public void index(Connection connection, String orgId, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        List<Memory> memories = store.findAll(connection, orgId, ids);
        Map<String, float[]> embeddings = store.embeddings(connection, orgId, ids);
        Map<String, List<String>> documents = store.documentIds(connection, orgId, ids);
        List<VectorPoint> points = new ArrayList<>(memories.size());
        for (Memory memory : memories) {
            List<String> sources = documents.getOrDefault(memory.id(), List.of());
            points.add(point(memory, embeddings.get(memory.id()), sources.isEmpty() ? NO_DOCUMENT : sources.get(0)));
        }
        vectors.upsert(VectorKind.MEMORIES, points);
        LOG.debugf("indexed %d memory point(s)", points.size());
    }

    /**
     * Makes the points of these memories match the committed rows (after a transaction whose vector writes went
     * through but whose database commit failed): rewrites the points of memories that exist and deletes the others,
     * then commits the vector store.
     */
    public void resync(Connection connection, String orgId, Collection<String> ids) throws SQLException {
        Set<String> existing = new HashSet<>();
        for (Memory memory : store.findAll(connection, orgId, ids)) {
            existing.add(memory.id());
        }
        List<String> missing = ids.stream().filter(id -> !existing.contains(id)).toList();
        index(connection, orgId, existing);
        if (!missing.isEmpty()) {
            vectors.delete(VectorKind.MEMORIES, orgId, missing);
        }
        vectors.commit(VectorKind.MEMORIES);
    }

    /** The point of a memory. */
    static VectorPoint point(Memory memory, float[] embedding, String documentId) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("version", memory.version());
        attributes.put("isLatest", memory.isLatest());
        attributes.put("isStatic", memory.isStatic());
        attributes.put("isInference", memory.isInference());
        attributes.put("isForgotten", memory.isForgotten());
        if (memory.forgetAfter() != null) {
            attributes.put("forgetAfter", memory.forgetAfter().toEpochMilli());
        }
        attributes.put("rootMemoryId", memory.rootMemoryId());
        if (memory.parentMemoryId() != null) {
            attributes.put("parentMemoryId", memory.parentMemoryId());
        }
        attributes.put("createdAt", memory.createdAt().toEpochMilli());
        attributes.put("updatedAt", memory.updatedAt().toEpochMilli());
        attributes.put("sourceCount", memory.sourceCount());
        if (memory.temporalContext().documentDate() != null) {
            attributes.put(
                    "documentDate", memory.temporalContext().documentDate().toEpochMilli());
        }
        return new VectorPoint(
                memory.id(),
                memory.orgId(),
                memory.containerTag(),
                documentId,
                embedding,
                memory.memory(),
                memory.metadata(),
                attributes);
    }
}
