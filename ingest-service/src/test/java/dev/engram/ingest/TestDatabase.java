package dev.engram.ingest;

import dev.engram.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Direct JDBC reads of the test database, to check what was (not) stored. */
public final class TestDatabase {

    private TestDatabase() {}

    /** Rows in {@code ingest.<table>}. */
    public static long count(String table) {
        var server = PostgresTestResource.server();
        String url = server.jdbcUrl(PostgresTestResource.database());
        try (Connection connection = DriverManager.getConnection(url, server.username(), server.password());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select count(*) from ingest." + table)) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
