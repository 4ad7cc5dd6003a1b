package dev.engram.writer;

import dev.engram.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads memory-writer's memory tables and outbox directly, to check what a request stored (or did not). */
public final class MemoryTables {

    private MemoryTables() {}

    private static Connection connect() throws SQLException {
        var server = PostgresTestResource.server();
        return DriverManager.getConnection(
                server.jdbcUrl(PostgresTestResource.database()), server.username(), server.password());
    }

    /** Rows in {@code writer.memories} of a container tag (every version and state). */
    public static int memoryRows(String containerTag) {
        return count("select count(*) from writer.memories where container_tag = ?", containerTag);
    }

    /** Rows in {@code writer.outbox} keyed by a container tag. */
    public static int outboxRows(String containerTag) {
        return count("select count(*) from writer.outbox where record_key = ?", containerTag);
    }

    /** The outbox rows keyed by a container tag, oldest first: topic, record_key, payload, headers. */
    public static List<Map<String, String>> outbox(String containerTag) {
        return rows(
                "select topic, record_key, payload, headers::text as headers from writer.outbox where record_key = ?"
                        + " order by id",
                containerTag);
    }

    /** One memory row's columns (as text), or an empty map. */
    public static Map<String, String> memory(String id) {
        List<Map<String, String>> rows = rows(
                "select id, is_latest::text as is_latest, is_forgotten::text as is_forgotten, forget_reason,"
                        + " source_count::text as source_count, version::text as version from writer.memories"
                        + " where id = ?",
                id);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /** Sets a memory's expiry directly (to make one expire without waiting). */
    public static void expire(String id, java.time.Instant when) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("update writer.memories set forget_after = ? where id = ?")) {
            s.setObject(1, java.time.OffsetDateTime.ofInstant(when, java.time.ZoneOffset.UTC));
            s.setString(2, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String sql, String parameter) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, String>> rows(String sql, String parameter) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<Map<String, String>> result = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        row.put(rows.getMetaData().getColumnLabel(i), rows.getString(i));
                    }
                    result.add(row);
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
