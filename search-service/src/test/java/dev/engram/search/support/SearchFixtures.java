package dev.engram.search.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.auth.ApiKeys;
import dev.engram.core.auth.StoredKey;
import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.tenancy.Orgs;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.search.config.SearchConfig;
import dev.engram.vectors.lucene.LuceneVectorStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plays memory-writer and ingest-service for the tests: creates their tables (same DDL as their migrations), inserts
 * rows, and writes points with the real embedding model into the Lucene index the service reads, committing after
 * each write so the next search sees it.
 */
@ApplicationScoped
public class SearchFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Inject
    TextEmbedder embedder;

    @Inject
    SearchConfig config;

    private LuceneVectorStore writer;

    /**
     * A memory to store; change fields with the withers.
     *
     * @param updatedAt {@code null}: the time of storing plus {@code version} milliseconds
     */
    public record MemorySpec(
            String id,
            String tag,
            String text,
            int version,
            String rootId,
            String parentId,
            boolean latest,
            boolean forgotten,
            Instant forgetAfter,
            Map<String, Object> metadata,
            boolean isStatic,
            int sourceCount,
            Instant updatedAt) {

        public static MemorySpec of(String tag, String text) {
            String id = "mem_" + UUID.randomUUID();
            return new MemorySpec(id, tag, text, 1, id, null, true, false, null, Map.of(), false, 1, null);
        }

        public MemorySpec asForgotten() {
            return new MemorySpec(
                    id,
                    tag,
                    text,
                    version,
                    rootId,
                    parentId,
                    latest,
                    true,
                    forgetAfter,
                    metadata,
                    isStatic,
                    sourceCount,
                    updatedAt);
        }

        public MemorySpec expiringAt(Instant at) {
            return new MemorySpec(
                    id,
                    tag,
                    text,
                    version,
                    rootId,
                    parentId,
                    latest,
                    forgotten,
                    at,
                    metadata,
                    isStatic,
                    sourceCount,
                    updatedAt);
        }

        public MemorySpec withMetadata(Map<String, Object> values) {
            return new MemorySpec(
                    id,
                    tag,
                    text,
                    version,
                    rootId,
                    parentId,
                    latest,
                    forgotten,
                    forgetAfter,
                    values,
                    isStatic,
                    sourceCount,
                    updatedAt);
        }

        /** A static memory (profile {@code static}), observed {@code count} times. */
        public MemorySpec asStatic(int count) {
            return new MemorySpec(
                    id,
                    tag,
                    text,
                    version,
                    rootId,
                    parentId,
                    latest,
                    forgotten,
                    forgetAfter,
                    metadata,
                    true,
                    count,
                    updatedAt);
        }

        public MemorySpec updatedAt(Instant at) {
            return new MemorySpec(
                    id,
                    tag,
                    text,
                    version,
                    rootId,
                    parentId,
                    latest,
                    forgotten,
                    forgetAfter,
                    metadata,
                    isStatic,
                    sourceCount,
                    at);
        }

        /** The next version of this memory, with {@code newText}; call {@link #superseded()} on this one. */
        public MemorySpec nextVersion(String newText) {
            return new MemorySpec(
                    "mem_" + UUID.randomUUID(),
                    tag,
                    newText,
                    version + 1,
                    rootId,
                    id,
                    true,
                    false,
                    null,
                    metadata,
                    isStatic,
                    sourceCount,
                    null);
        }

        public MemorySpec superseded() {
            return new MemorySpec(
                    id,
                    tag,
                    text,
                    version,
                    rootId,
                    parentId,
                    false,
                    forgotten,
                    forgetAfter,
                    metadata,
                    isStatic,
                    sourceCount,
                    updatedAt);
        }
    }

    /** Stores the memories (rows and points, in order) and commits the index. */
    public void memories(MemorySpec... memories) {
        memoriesFrom("_none", memories);
    }

    /** {@link #memories} in organisation {@code orgId}. */
    public void memoriesIn(String orgId, MemorySpec... memories) {
        store(orgId, "_none", memories);
    }

    /**
     * Stores the memories with {@code documentId} as their points' document (memory-writer's first source document;
     * record it with {@link #source} too) and commits the index.
     */
    public void memoriesFrom(String documentId, MemorySpec... memories) {
        store(Orgs.DEFAULT, documentId, memories);
    }

    private synchronized void store(String orgId, String documentId, MemorySpec... memories) {
        ensureSchema();
        List<String> texts =
                java.util.Arrays.stream(memories).map(MemorySpec::text).toList();
        List<float[]> vectors = embedder.embed(texts);
        String sql = "insert into writer.memories (org_id, id, container_tag, memory, content_hash, version,"
                + " parent_memory_id, root_memory_id, is_latest, is_forgotten, forget_after, metadata, embedding,"
                + " model_id, created_at, updated_at, is_static, source_count)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = dataSource.getConnection()) {
            Instant now = Instant.now();
            for (int i = 0; i < memories.length; i++) {
                MemorySpec m = memories[i];
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, orgId);
                    statement.setString(2, m.id());
                    statement.setString(3, m.tag());
                    statement.setString(4, m.text());
                    statement.setString(5, Integer.toHexString(m.text().hashCode()));
                    statement.setInt(6, m.version());
                    statement.setString(7, m.parentId());
                    statement.setString(8, m.rootId());
                    statement.setBoolean(9, m.latest());
                    statement.setBoolean(10, m.forgotten());
                    statement.setTimestamp(11, m.forgetAfter() == null ? null : Timestamp.from(m.forgetAfter()));
                    statement.setString(12, json(m.metadata()));
                    statement.setArray(13, connection.createArrayOf("float4", boxed(vectors.get(i))));
                    statement.setString(14, embedder.modelId());
                    statement.setTimestamp(15, Timestamp.from(now));
                    statement.setTimestamp(
                            16, Timestamp.from(m.updatedAt() == null ? now.plusMillis(m.version()) : m.updatedAt()));
                    statement.setBoolean(17, m.isStatic());
                    statement.setInt(18, m.sourceCount());
                    statement.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        List<VectorPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i < memories.length; i++) {
            MemorySpec m = memories[i];
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("version", m.version());
            attributes.put("isLatest", m.latest());
            attributes.put("isStatic", m.isStatic());
            attributes.put("isInference", false);
            attributes.put("isForgotten", m.forgotten());
            if (m.forgetAfter() != null) {
                attributes.put("forgetAfter", m.forgetAfter().toEpochMilli());
            }
            attributes.put("rootMemoryId", m.rootId());
            points.add(new VectorPoint(
                    m.id(), orgId, m.tag(), documentId, vectors.get(i), m.text(), m.metadata(), attributes));
        }
        index(VectorKind.MEMORIES, points);
    }

    /** Marks a stored memory's row as inferred ({@code is_inference}); search reads the flag from the row. */
    public void inferred(String memoryId) {
        update("update writer.memories set is_inference = true where org_id = ? and id = ?", Orgs.DEFAULT, memoryId);
    }

    /** Records {@code from <relation> to}. */
    public void relation(String from, String to, String relation) {
        update(
                "insert into writer.memory_relations (org_id, from_memory_id, to_memory_id, relation, created_at)"
                        + " values (?, ?, ?, ?, now())",
                Orgs.DEFAULT,
                from,
                to,
                relation);
    }

    /** Records that {@code memoryId} came from {@code documentId}. */
    public void source(String memoryId, String documentId) {
        update(
                "insert into writer.memory_sources (org_id, memory_id, document_id, created_at) values (?, ?, ?, now())",
                Orgs.DEFAULT,
                memoryId,
                documentId);
    }

    /** A document row of ingest-service (status done). */
    public void document(
            String id, String tag, String title, String type, String content, Map<String, Object> metadata) {
        documentIn(Orgs.DEFAULT, id, tag, title, type, content, metadata);
    }

    /** {@link #document} in organisation {@code orgId}. */
    public void documentIn(
            String orgId,
            String id,
            String tag,
            String title,
            String type,
            String content,
            Map<String, Object> metadata) {
        ensureSchema();
        update(
                "insert into ingest.documents (org_id, id, container_tag, content, metadata, status, revision, title,"
                        + " type, created_at, updated_at) values (?, ?, ?, ?, ?::jsonb, 'done', 1, ?, ?, now(), now())",
                orgId,
                id,
                tag,
                content,
                json(metadata),
                title,
                type);
    }

    /** A document row of ingest-service (status done) at {@code filepath}. */
    public void documentAt(String id, String tag, String filepath) {
        ensureSchema();
        update(
                "insert into ingest.documents (org_id, id, container_tag, content, status, revision, title, filepath,"
                        + " created_at, updated_at) values (?, ?, ?, '…', 'done', 1, ?, ?, now(), now())",
                Orgs.DEFAULT,
                id,
                tag,
                filepath,
                filepath);
    }

    /** The document's chunks, in order (rows and points), with the document's metadata; commits the index. */
    public void chunks(String documentId, String tag, Map<String, Object> metadata, String... texts) {
        chunksIn(Orgs.DEFAULT, documentId, tag, metadata, texts);
    }

    /** {@link #chunks} in organisation {@code orgId}. */
    public synchronized void chunksIn(
            String orgId, String documentId, String tag, Map<String, Object> metadata, String... texts) {
        ensureSchema();
        List<float[]> vectors = embedder.embed(List.of(texts));
        List<VectorPoint> points = new java.util.ArrayList<>();
        for (int position = 0; position < texts.length; position++) {
            String id = documentId + "_" + position;
            update(
                    "insert into writer.chunks (org_id, id, document_id, container_tag, position, content, content_hash,"
                            + " token_count, model_id, embedding, revision) values (?, ?, ?, ?, ?, ?, 'h', 1, 'm', '{}', 1)",
                    orgId,
                    id,
                    documentId,
                    tag,
                    position,
                    texts[position]);
            points.add(new VectorPoint(
                    id,
                    orgId,
                    tag,
                    documentId,
                    vectors.get(position),
                    texts[position],
                    metadata,
                    Map.of("position", position, "revision", 1)));
        }
        index(VectorKind.CHUNKS, points);
    }

    /**
     * Stores {@code key} in {@code ingest.api_keys} as ingest-service would (its organisation too, if new) and
     * returns the key to present; only its hash is stored.
     */
    public String apiKey(StoredKey key) {
        ensureSchema();
        String secret = ApiKeys.generate();
        update(
                "insert into ingest.orgs (id, slug, name) values (?, ?, ?) on conflict do nothing",
                key.orgId(),
                key.orgId(),
                key.orgId());
        update(
                "insert into ingest.api_keys (id, org_id, name, key_hash, key_hint, role, container_tag,"
                        + " rate_limit_max, rate_limit_window_ms, expires_at, revoked_at, created_by)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test')",
                key.id(),
                key.orgId(),
                key.id(),
                ApiKeys.hash(secret),
                ApiKeys.hint(secret),
                key.role().storedName(),
                key.containerTag(),
                key.rateLimit() == null ? null : key.rateLimit().maxRequests(),
                key.rateLimit() == null ? null : key.rateLimit().window().toMillis(),
                key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()),
                key.revokedAt() == null ? null : Timestamp.from(key.revokedAt()));
        return secret;
    }

    /** Runs a statement on the test database (for tests that break or repair what the service reads). */
    public void execute(String sql) {
        update(sql);
    }

    private void index(VectorKind kind, List<VectorPoint> points) {
        if (writer == null) {
            writer = LuceneVectorStore.openWriter(Path.of(config.vectors().lucenePath()));
            writer.ensureCollection(VectorKind.CHUNKS, embedder.dimension());
            writer.ensureCollection(VectorKind.MEMORIES, embedder.dimension());
        }
        writer.upsert(kind, points);
        writer.commit();
    }

    @PreDestroy
    void close() {
        if (writer != null) {
            writer.close();
        }
    }

    private boolean schemaReady;

    private synchronized void ensureSchema() {
        if (schemaReady) {
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/search-schema.sql");
                Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(e);
        }
        schemaReady = true;
    }

    private void update(String sql, Object... parameters) {
        ensureSchema();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Float[] boxed(float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return boxed;
    }

    private static String json(Map<String, Object> metadata) {
        try {
            return JSON.writeValueAsString(metadata == null ? Map.of() : metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
