package dev.engram.search.documents;

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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Batch reads of {@code ingest.documents} and {@code writer.chunks} (read only), one query per call. */
@ApplicationScoped
public class DocumentReader {

    @Inject
    DataSource dataSource;

    /** A row of {@code ingest.documents}; {@code content}/{@code summary} only when asked for. */
    record DocumentRow(
            String id,
            String title,
            String type,
            Map<String, Object> metadata,
            Instant createdAt,
            Instant updatedAt,
            String summary,
            String content) {}

    /** A chunk by its document and position. */
    record ChunkKey(String documentId, int position) {}

    /** The documents with these ids, by id. */
    Map<String, DocumentRow> documents(String orgId, Collection<String> ids, boolean content, boolean summary) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String sql = "select id, title, type, metadata::text, created_at, updated_at,"
                + " case when ? then summary end, case when ? then content end"
                + " from ingest.documents where org_id = ? and id = any(?)";
        Map<String, DocumentRow> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setBoolean(1, summary);
            statement.setBoolean(2, content);
            statement.setString(3, orgId);
            statement.setArray(4, connection.createArrayOf("text", ids.toArray(String[]::new)));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.put(
                            rs.getString(1),
                            new DocumentRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    Json.object(rs.getString(4)),
                                    instant(rs, 5),
                                    instant(rs, 6),
                                    rs.getString(7),
                                    rs.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new SearchStorageException("reading documents failed", e);
        }
        return rows;
    }

    /** The text of the chunks at these positions (absent positions are left out). */
    Map<ChunkKey, String> chunks(String orgId, List<ChunkKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        String sql = "select c.document_id, c.position, c.content from writer.chunks c"
                + " join unnest(?::text[], ?::int[]) as k(document_id, position)"
                + " on c.document_id = k.document_id and c.position = k.position where c.org_id = ?";
        Map<ChunkKey, String> chunks = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(
                    1,
                    connection.createArrayOf(
                            "text", keys.stream().map(ChunkKey::documentId).toArray()));
            statement.setArray(
                    2,
                    connection.createArrayOf(
                            "int4", keys.stream().map(ChunkKey::position).toArray()));
            statement.setString(3, orgId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    chunks.put(new ChunkKey(rs.getString(1), rs.getInt(2)), rs.getString(3));
                }
            }
        } catch (SQLException e) {
            throw new SearchStorageException("reading chunks failed", e);
        }
        return chunks;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
