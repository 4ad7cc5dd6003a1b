package dev.engram.writer;

import dev.engram.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The part of ingest-service's schema that memory-writer reads (document revisions, uploaded files), created in the
 * test database so the writer can be tested without running ingest-service. Columns as in ingest's migrations.
 */
public final class IngestTables {

    private IngestTables() {}

    private static Connection connect() throws SQLException {
        var server = PostgresTestResource.server();
        return DriverManager.getConnection(
                server.jdbcUrl(PostgresTestResource.database()), server.username(), server.password());
    }

    /** Creates the tables if needed. */
    public static void create() {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("create schema if not exists ingest");
            s.execute("create table if not exists ingest.documents (org_id text not null, id text not null,"
                    + " revision bigint not null, primary key (org_id, id))");
            s.execute(
                    "create table if not exists ingest.document_tombstones (org_id text not null, id text not null,"
                            + " revision bigint not null, deleted_at timestamptz not null default now(), primary key (org_id, id))");
            s.execute(
                    "create table if not exists ingest.document_files (org_id text not null, document_id text not null,"
                            + " content_type text not null, filename text, bytes bytea not null, primary key (org_id, document_id))");
            s.execute("create table if not exists ingest.container_tags (org_id text not null, tag text not null,"
                    + " entity_context text, primary key (org_id, tag))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps an entity context for a container tag (as ingest-service would have). */
    public static void tagContext(String tag, String entityContext) {
        try (Connection c = connect();
                var s = c.prepareStatement("insert into ingest.container_tags (org_id, tag, entity_context)"
                        + " values ('org_default', ?, ?) on conflict (org_id, tag) do update"
                        + " set entity_context = excluded.entity_context")) {
            s.setString(1, tag);
            s.setString(2, entityContext);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records that a document exists at {@code revision} (as ingest-service would have). */
    public static void document(String id, long revision) {
        create();
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("insert into ingest.documents values ('org_default', ?, ?)"
                        + " on conflict (org_id, id) do update set revision = excluded.revision")) {
            s.setString(1, id);
            s.setLong(2, revision);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes a document, leaving a tombstone (as a delete in ingest-service does). */
    public static void deleteDocument(String id) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("delete from ingest.documents where id = ?");
                PreparedStatement t = c.prepareStatement("insert into ingest.document_tombstones (org_id, id, revision)"
                        + " values ('org_default', ?, 1000) on conflict do nothing")) {
            s.setString(1, id);
            s.executeUpdate();
            t.setString(1, id);
            t.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores an uploaded file for a document. */
    public static void file(String id, String contentType, String filename, byte[] bytes) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(
                        "insert into ingest.document_files values" + " ('org_default', ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, contentType);
            s.setString(3, filename);
            s.setBytes(4, bytes);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows in {@code writer.chunks} for a document. */
    public static int chunkRows(String id) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("select count(*) from writer.chunks where document_id = ?")) {
            s.setString(1, id);
            try (var rows = s.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
