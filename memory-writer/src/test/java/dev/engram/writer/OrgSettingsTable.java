package dev.engram.writer;

import dev.engram.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * ingest-service's {@code ingest.org_settings} (changed through {@code PATCH /v3/settings}), created in the test
 * database with the columns memory-writer reads, so tests can give an organisation its settings.
 */
public final class OrgSettingsTable {

    private OrgSettingsTable() {}

    private static Connection connect() throws SQLException {
        var server = PostgresTestResource.server();
        return DriverManager.getConnection(
                server.jdbcUrl(PostgresTestResource.database()), server.username(), server.password());
    }

    /** Creates the table if needed. */
    public static void create() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("create schema if not exists ingest");
            s.execute("create table if not exists ingest.org_settings (org_id text primary key,"
                    + " chunk_size integer check (chunk_size > 0), should_llm_filter boolean not null default false,"
                    + " filter_prompt text, include_items jsonb, exclude_items jsonb,"
                    + " connectors jsonb not null default '{}'::jsonb, updated_at timestamptz not null default now())");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores an organisation's settings as ingest-service would ({@code null} chunk size: the default). */
    public static void set(String orgId, Integer chunkSize, boolean llmFilter, String filterPrompt) {
        create();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("insert into ingest.org_settings (org_id, chunk_size,"
                        + " should_llm_filter, filter_prompt) values (?, ?, ?, ?) on conflict (org_id) do update set"
                        + " chunk_size = excluded.chunk_size, should_llm_filter = excluded.should_llm_filter,"
                        + " filter_prompt = excluded.filter_prompt, updated_at = now()")) {
            s.setString(1, orgId);
            s.setObject(2, chunkSize, Types.INTEGER);
            s.setBoolean(3, llmFilter);
            s.setString(4, filterPrompt);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
