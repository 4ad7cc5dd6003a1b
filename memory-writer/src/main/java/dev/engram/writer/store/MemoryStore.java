package dev.engram.writer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.writer.memories.ContentHash;
import dev.engram.writer.memories.Memory;
import dev.engram.writer.memories.MemoryRelation;
import dev.engram.writer.memories.MemorySource;
import dev.engram.writer.memories.TemporalContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code writer.memories}, {@code memory_sources} and {@code memory_relations} tables, over JDBC on the
 * caller's connection: nothing here commits, so a use case composes several calls into one transaction. Every query
 * is scoped to one organisation.
 */
@ApplicationScoped
public class MemoryStore {

    /** The columns {@link #read(ResultSet)} expects, in order, for a table aliased {@code m}. */
    public static final String COLUMNS = "m.org_id, m.id, m.container_tag, m.memory, m.content_hash, m.version,"
            + " m.parent_memory_id, m.root_memory_id, m.is_latest, m.is_static, m.is_inference, m.is_forgotten,"
            + " m.forget_after, m.forget_reason, m.metadata::text, m.document_date, m.event_dates, m.source_count,"
            + " m.created_at, m.updated_at";

    private static final int COLUMN_COUNT = 20;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    @Inject
    ObjectMapper json;

    /** A memory of the organisation, whatever its tag or state. */
    public Optional<Memory> find(Connection connection, String orgId, String id) throws SQLException {
        List<Memory> found = findAll(connection, orgId, List.of(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The memories with these ids (unknown ids are left out), in no particular order. */
    public List<Memory> findAll(Connection connection, String orgId, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        return query(
                connection,
                "select " + COLUMNS + " from writer.memories m where m.org_id = ? and m.id = any(?)",
                orgId,
                connection.createArrayOf("text", ids.toArray()));
    }

    /** The latest version of a chain, if the chain exists. */
    public Optional<Memory> latestOfChain(Connection connection, String orgId, String rootMemoryId)
            throws SQLException {
        List<Memory> found = query(
                connection,
                "select " + COLUMNS + " from writer.memories m where m.org_id = ? and m.root_memory_id = ?"
                        + " and m.is_latest",
                orgId,
                rootMemoryId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * The memories of a tag whose text is exactly {@code content}: latest versions first, then newest first.
     * (Found through the content hash index, then compared exactly.)
     */
    public List<Memory> withExactContent(Connection connection, String orgId, String containerTag, String content)
            throws SQLException {
        return query(
                connection,
                "select " + COLUMNS + " from writer.memories m where m.org_id = ? and m.container_tag = ?"
                        + " and m.content_hash = ? and m.memory = ? order by m.is_latest desc, m.created_at desc,"
                        + " m.id",
                orgId,
                containerTag,
                ContentHash.of(content),
                content);
    }

    /** The latest versions in a tag with this content hash (see {@link ContentHash}). */
    public List<Memory> latestWithHash(Connection connection, String orgId, String containerTag, String contentHash)
            throws SQLException {
        return query(
                connection,
                "select " + COLUMNS + " from writer.memories m where m.org_id = ? and m.container_tag = ?"
                        + " and m.content_hash = ? and m.is_latest order by m.created_at, m.id",
                orgId,
                containerTag,
                contentHash);
    }

    /**
     * Inserts a memory unless one with its id exists (a redelivered write).
     *
     * @return whether the row was inserted
     */
    public boolean insert(Connection connection, Memory memory, float[] embedding, String modelId) throws SQLException {
        String sql = "insert into writer.memories (org_id, id, container_tag, memory, content_hash, version,"
                + " parent_memory_id, root_memory_id, is_latest, is_static, is_inference, is_forgotten, forget_after,"
                + " forget_reason, metadata, document_date, event_dates, source_count, embedding, model_id,"
                + " created_at, updated_at)"
                + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?,?::timestamptz[],?,?,?,?,?)"
                + " on conflict (org_id, id) do nothing";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int i = 0;
            insert.setString(++i, memory.orgId());
            insert.setString(++i, memory.id());
            insert.setString(++i, memory.containerTag());
            insert.setString(++i, memory.memory());
            insert.setString(++i, memory.contentHash());
            insert.setInt(++i, memory.version());
            insert.setString(++i, memory.parentMemoryId());
            insert.setString(++i, memory.rootMemoryId());
            insert.setBoolean(++i, memory.isLatest());
            insert.setBoolean(++i, memory.isStatic());
            insert.setBoolean(++i, memory.isInference());
            insert.setBoolean(++i, memory.isForgotten());
            setInstant(insert, ++i, memory.forgetAfter());
            insert.setString(++i, memory.forgetReason());
            insert.setString(++i, toJson(memory.metadata()));
            setInstant(insert, ++i, memory.temporalContext().documentDate());
            insert.setArray(
                    ++i,
                    connection.createArrayOf(
                            "text",
                            memory.temporalContext().eventDates().stream()
                                    .map(Instant::toString)
                                    .toArray()));
            insert.setInt(++i, memory.sourceCount());
            insert.setArray(++i, connection.createArrayOf("real", boxed(embedding)));
            insert.setString(++i, modelId);
            setInstant(insert, ++i, memory.createdAt());
            setInstant(insert, ++i, memory.updatedAt());
            return insert.executeUpdate() == 1;
        }
    }

    /** Marks a version as superseded by a newer one. */
    public void markSuperseded(Connection connection, String orgId, String id, Instant now) throws SQLException {
        update(
                connection,
                "update writer.memories set is_latest = false, updated_at = ? where org_id = ? and id = ?",
                now,
                orgId,
                id);
    }

    /**
     * Records a memory as forgotten; a {@code null} reason keeps the reason it had.
     *
     * @return whether it was not recorded as forgotten before
     */
    public boolean markForgotten(Connection connection, String orgId, String id, String reason, Instant now)
            throws SQLException {
        return update(
                        connection,
                        "update writer.memories set is_forgotten = true,"
                                + " forget_reason = coalesce(?, forget_reason), updated_at = ?"
                                + " where org_id = ? and id = ? and not is_forgotten",
                        reason,
                        now,
                        orgId,
                        id)
                == 1;
    }

    /**
     * Records the memories among {@code ids} of a tag that have expired by {@code now} as forgotten (reason
     * {@code expired} unless they had one).
     *
     * @return the ids recorded
     */
    public List<String> markExpired(
            Connection connection, String orgId, String containerTag, Collection<String> ids, Instant now)
            throws SQLException {
        String sql = "update writer.memories set is_forgotten = true, forget_reason = coalesce(forget_reason,"
                + " 'expired'), updated_at = ? where org_id = ? and container_tag = ? and id = any(?)"
                + " and not is_forgotten and forget_after <= ? returning id";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            setInstant(update, 1, now);
            update.setString(2, orgId);
            update.setString(3, containerTag);
            update.setArray(4, connection.createArrayOf("text", ids.toArray()));
            setInstant(update, 5, now);
            List<String> marked = new ArrayList<>();
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    marked.add(rows.getString(1));
                }
            }
            return marked;
        }
    }

    /**
     * The (organisation, tag, id) of up to {@code limit} memories that expired by {@code now} but are not yet
     * recorded as forgotten, earliest expiry first.
     */
    public List<ExpiredMemory> expired(Connection connection, Instant now, int limit) throws SQLException {
        String sql = "select org_id, container_tag, id from writer.memories where not is_forgotten"
                + " and forget_after <= ? order by forget_after limit ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            setInstant(select, 1, now);
            select.setInt(2, limit);
            List<ExpiredMemory> expired = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    expired.add(new ExpiredMemory(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
            }
            return expired;
        }
    }

    /**
     * Records that a memory was observed in a document.
     *
     * @return whether the source is new for this memory
     */
    public boolean addSource(Connection connection, String orgId, String memoryId, MemorySource source, Instant now)
            throws SQLException {
        return update(
                        connection,
                        "insert into writer.memory_sources (org_id, memory_id, document_id, source_ref, created_at)"
                                + " values (?,?,?,?,?) on conflict do nothing",
                        orgId,
                        memoryId,
                        source.documentId(),
                        source.sourceRef(),
                        now)
                == 1;
    }

    /** Gives memory {@code toId} the sources of memory {@code fromId}. */
    public void copySources(Connection connection, String orgId, String fromId, String toId, Instant now)
            throws SQLException {
        update(
                connection,
                "insert into writer.memory_sources (org_id, memory_id, document_id, source_ref, created_at)"
                        + " select org_id, ?, document_id, source_ref, ? from writer.memory_sources"
                        + " where org_id = ? and memory_id = ? on conflict do nothing",
                toId,
                now,
                orgId,
                fromId);
    }

    /** Counts one more observation of a memory. */
    public void incrementSourceCount(Connection connection, String orgId, String id, Instant now) throws SQLException {
        update(
                connection,
                "update writer.memories set source_count = source_count + 1, updated_at = ?"
                        + " where org_id = ? and id = ?",
                now,
                orgId,
                id);
    }

    /** Records {@code fromId <relation> toId} unless the two are already related. */
    public void addRelation(
            Connection connection, String orgId, String fromId, String toId, MemoryRelation relation, Instant now)
            throws SQLException {
        update(
                connection,
                "insert into writer.memory_relations (org_id, from_memory_id, to_memory_id, relation, created_at)"
                        + " values (?,?,?,?,?) on conflict do nothing",
                orgId,
                fromId,
                toId,
                relation.wireName(),
                now);
    }

    /** Every version of these chains, by chain and newest version first. */
    public List<Memory> chains(Connection connection, String orgId, Collection<String> rootMemoryIds)
            throws SQLException {
        if (rootMemoryIds.isEmpty()) {
            return List.of();
        }
        return query(
                connection,
                "select " + COLUMNS + " from writer.memories m where m.org_id = ? and m.root_memory_id = any(?)"
                        + " order by m.root_memory_id, m.version desc",
                orgId,
                connection.createArrayOf("text", rootMemoryIds.toArray()));
    }

    /** The relations that start or end at these memories, oldest first. */
    public List<StoredRelation> relations(Connection connection, String orgId, Collection<String> memoryIds)
            throws SQLException {
        if (memoryIds.isEmpty()) {
            return List.of();
        }
        String sql = "select from_memory_id, to_memory_id, relation from writer.memory_relations"
                + " where org_id = ? and (from_memory_id = any(?) or to_memory_id = any(?))"
                + " order by created_at, from_memory_id, to_memory_id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            Array ids = connection.createArrayOf("text", memoryIds.toArray());
            select.setString(1, orgId);
            select.setArray(2, ids);
            select.setArray(3, ids);
            List<StoredRelation> relations = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    relations.add(new StoredRelation(
                            rows.getString(1), rows.getString(2), MemoryRelation.fromWire(rows.getString(3))));
                }
            }
            return relations;
        }
    }

    /** The source document ids of each memory, in the order they were recorded. */
    public Map<String, List<String>> documentIds(Connection connection, String orgId, Collection<String> memoryIds)
            throws SQLException {
        if (memoryIds.isEmpty()) {
            return Map.of();
        }
        String sql = "select memory_id, document_id from writer.memory_sources where org_id = ? and memory_id = any(?)"
                + " order by memory_id, created_at, document_id";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setArray(2, connection.createArrayOf("text", memoryIds.toArray()));
            Map<String, List<String>> documents = new LinkedHashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    documents
                            .computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(rows.getString(2));
                }
            }
            return documents;
        }
    }

    /** The stored embeddings of these memories, by id. */
    public Map<String, float[]> embeddings(Connection connection, String orgId, Collection<String> ids)
            throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String sql = "select id, embedding from writer.memories where org_id = ? and id = any(?)";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, orgId);
            select.setArray(2, connection.createArrayOf("text", ids.toArray()));
            Map<String, float[]> embeddings = new LinkedHashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    embeddings.put(rows.getString(1), floats(rows.getArray(2)));
                }
            }
            return embeddings;
        }
    }

    /** Runs a query over {@link #COLUMNS} and reads each row as a memory. */
    public List<Memory> query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select, parameters);
            List<Memory> memories = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    memories.add(read(rows));
                }
            }
            return memories;
        }
    }

    /** Reads the memory in the first {@link #COLUMNS} columns of the current row. */
    public Memory read(ResultSet row) throws SQLException {
        return new Memory(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getInt(6),
                row.getString(7),
                row.getString(8),
                row.getBoolean(9),
                row.getBoolean(10),
                row.getBoolean(11),
                row.getBoolean(12),
                instant(row, 13),
                row.getString(14),
                fromJson(row.getString(15)),
                new TemporalContext(instant(row, 16), instants(row.getArray(17))),
                row.getInt(18),
                instant(row, 19),
                instant(row, COLUMN_COUNT));
    }

    /**
     * Binds parameters by position: {@link Instant}s as {@code timestamptz}, {@link Array}s, strings, numbers and
     * booleans as themselves.
     */
    public static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i];
            if (value instanceof Instant instant) {
                setInstant(statement, i + 1, instant);
            } else if (value instanceof Array array) {
                statement.setArray(i + 1, array);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    private int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            bind(update, parameters);
            return update.executeUpdate();
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static List<Instant> instants(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<Instant> instants = new ArrayList<>(values.length);
        for (Object value : values) {
            instants.add(((Timestamp) value).toInstant());
        }
        return instants;
    }

    private String toJson(Map<String, Object> metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("memory metadata cannot be stored as JSON", e);
        }
    }

    private Map<String, Object> fromJson(String text) {
        try {
            return Collections.unmodifiableMap(json.readValue(text, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored memory metadata is not a JSON object", e);
        }
    }

    private static Float[] boxed(float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return boxed;
    }

    private static float[] floats(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] vector = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            vector[i] = ((Number) values[i]).floatValue();
        }
        return vector;
    }

    /** A memory that expired but is not yet recorded as forgotten. */
    public record ExpiredMemory(String orgId, String containerTag, String id) {}

    /** A stored relation {@code fromId <relation> toId}. */
    public record StoredRelation(String fromId, String toId, MemoryRelation relation) {}
}
