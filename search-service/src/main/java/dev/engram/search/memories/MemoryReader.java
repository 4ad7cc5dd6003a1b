package dev.engram.search.memories;

import dev.engram.search.api.MemoryResult.DocumentRef;
import dev.engram.search.query.Json;
import dev.engram.search.query.SearchStorageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Batch reads of memory-writer's tables (read only): each method is one query for any number of memories, so a search
 * costs a fixed number of round trips whatever its limit.
 */
@ApplicationScoped
public class MemoryReader {

    private static final String COLUMNS =
            "id, memory, metadata::text, version, root_memory_id, is_latest, is_forgotten,"
                    + " forget_after, created_at, updated_at, is_static, is_inference";

    @Inject
    DataSource dataSource;

    /** One relation between two memories: {@code from <relation> to}. */
    record Relation(String from, String to, String relation) {}

    /** The memories with these ids, by id (unknown ids are absent). */
    Map<String, MemoryRow> byIds(String orgId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String sql = "select " + COLUMNS + " from writer.memories where org_id = ? and id = any(?)";
        Map<String, MemoryRow> rows = new HashMap<>();
        query(sql, orgId, ids, rs -> {
            MemoryRow row = row(rs);
            rows.put(row.id(), row);
        });
        return rows;
    }

    /** Every version of these chains (by root id), in version order. */
    List<MemoryRow> chains(String orgId, Collection<String> rootIds) {
        if (rootIds.isEmpty()) {
            return List.of();
        }
        String sql = "select " + COLUMNS
                + " from writer.memories where org_id = ? and root_memory_id = any(?) order by root_memory_id, version";
        List<MemoryRow> rows = new ArrayList<>();
        query(sql, orgId, rootIds, rs -> rows.add(row(rs)));
        return rows;
    }

    /** The {@code extends}/{@code derives} relations that have one of these memories at either end. */
    List<Relation> relations(String orgId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String sql = "select from_memory_id, to_memory_id, relation from writer.memory_relations"
                + " where org_id = ? and relation in ('extends', 'derives')"
                + " and (from_memory_id = any(?) or to_memory_id = any(?))";
        List<Relation> relations = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, orgId);
            String[] array = ids.toArray(String[]::new);
            statement.setArray(2, connection.createArrayOf("text", array));
            statement.setArray(3, connection.createArrayOf("text", array));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    relations.add(new Relation(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new SearchStorageException("reading memory relations failed", e);
        }
        return relations;
    }

    /** The source documents of these memories (from {@code ingest.documents}), by memory id. */
    Map<String, List<DocumentRef>> documents(String orgId, Collection<String> memoryIds, boolean summaries) {
        if (memoryIds.isEmpty()) {
            return Map.of();
        }
        String sql =
                "select s.memory_id, d.id, d.created_at, d.updated_at, d.metadata::text, d.title, d.type, d.summary"
                        + " from writer.memory_sources s join ingest.documents d on d.org_id = s.org_id and d.id = s.document_id"
                        + " where s.org_id = ? and s.memory_id = any(?) order by s.memory_id, s.created_at";
        Map<String, List<DocumentRef>> documents = new LinkedHashMap<>();
        query(
                sql,
                orgId,
                memoryIds,
                rs -> documents
                        .computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                        .add(new DocumentRef(
                                rs.getString(2),
                                instant(rs, 3).toString(),
                                instant(rs, 4).toString(),
                                Json.object(rs.getString(5)),
                                rs.getString(6),
                                rs.getString(7),
                                summaries ? rs.getString(8) : null)));
        return documents;
    }

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private void query(String sql, String orgId, Collection<String> ids, RowHandler handler) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, orgId);
            statement.setArray(2, connection.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    handler.handle(rs);
                }
            }
        } catch (SQLException e) {
            throw new SearchStorageException("reading memories failed", e);
        }
    }

    private static MemoryRow row(ResultSet rs) throws SQLException {
        return new MemoryRow(
                rs.getString(1),
                rs.getString(2),
                Json.object(rs.getString(3)),
                rs.getInt(4),
                rs.getString(5),
                rs.getBoolean(6),
                rs.getBoolean(7),
                instant(rs, 8),
                instant(rs, 9),
                instant(rs, 10),
                rs.getBoolean(11),
                rs.getBoolean(12));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
