package dev.engram.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Writes outbox rows over plain JDBC on the caller's connection, so they commit or roll back with the change they
 * announce. Nothing here commits, and the connection's auto-commit setting is left alone: run it inside the
 * transaction that makes the change.
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * ... write the memories ...
 * OutboxInserts.insert(connection, "writer.outbox", OutboxRow.of(Topics.DOCUMENTS, event, headers));
 * connection.commit();
 * relay.wakeUp();
 * }</pre>
 */
public final class OutboxInserts {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutboxInserts() {}

    /**
     * Inserts one row.
     *
     * @param connection the connection of the caller's open transaction
     * @param table the outbox table, schema-qualified (see {@link #checkTable})
     * @param row the record to relay
     * @throws SQLException if the insert fails; the caller's transaction should then roll back
     */
    public static void insert(Connection connection, String table, OutboxRow row) throws SQLException {
        insertAll(connection, table, List.of(row));
    }

    /**
     * Inserts rows in one JDBC batch; the relay publishes them in this order.
     *
     * @param connection the connection of the caller's open transaction
     * @param table the outbox table, schema-qualified (see {@link #checkTable})
     * @param rows the records to relay, possibly none
     * @throws SQLException if the insert fails; the caller's transaction should then roll back
     */
    public static void insertAll(Connection connection, String table, List<OutboxRow> rows) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        checkTable(table);
        if (rows.isEmpty()) {
            return;
        }
        String sql =
                "insert into " + table + " (org_id, topic, record_key, payload, headers) values (?, ?, ?, ?, ?::jsonb)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (OutboxRow row : rows) {
                insert.setString(1, row.orgId());
                insert.setString(2, row.topic());
                insert.setString(3, row.key());
                insert.setString(4, row.payload());
                insert.setString(5, headersJson(row.headers()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Checks an outbox table name before it is put into SQL: {@code schema.table}, each part a lower-case unquoted
     * PostgreSQL identifier.
     *
     * @return {@code table}
     * @throws IllegalArgumentException if it is not such a name
     */
    public static String checkTable(String table) {
        Objects.requireNonNull(table, "table");
        String[] parts = table.split("\\.", -1);
        if (parts.length != 2
                || !IDENTIFIER.matcher(parts[0]).matches()
                || !IDENTIFIER.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException(
                    "outbox table must be schema.table in lower-case letters, digits and '_': " + table);
        }
        return table;
    }

    private static String headersJson(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox headers cannot be serialised", e);
        }
    }
}
