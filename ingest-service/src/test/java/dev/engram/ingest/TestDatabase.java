package dev.engram.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Direct JDBC reads of the test database, to check what was (not) stored. */
public final class TestDatabase {

    /** The tables a rejected request must leave alone. */
    private static final List<String> WRITTEN_TABLES = List.of("documents", "outbox", "document_files");

    private TestDatabase() {}

    /** Rows in {@code ingest.<table>}. */
    public static long count(String table) {
        return (Long) query("select count(*) from ingest." + table).get(0).get("count");
    }

    /** The rows a query returns, each as column name to value; {@code parameters} bind to {@code ?} in order. */
    public static List<Map<String, Object>> query(String sql, Object... parameters) {
        var server = PostgresTestResource.server();
        String url = server.jdbcUrl(PostgresTestResource.database());
        try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns; c++) {
                        row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an update statement; returns the number of rows changed. */
    public static int update(String sql, Object... parameters) {
        var server = PostgresTestResource.server();
        String url = server.jdbcUrl(PostgresTestResource.database());
        try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code request} and asserts it stored nothing: no row added to or removed from documents, outbox or
     * document_files. Waits first until the relay has drained the outbox, so earlier tests' events do not count.
     */
    public static void assertStoresNothing(Runnable request) {
        await().atMost(Duration.ofSeconds(20)).until(() -> count("outbox") == 0);
        Map<String, Long> before = counts();
        request.run();
        assertThat(counts()).as("row counts after a rejected request").isEqualTo(before);
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        WRITTEN_TABLES.forEach(table -> counts.put(table, count(table)));
        return counts;
    }
}
