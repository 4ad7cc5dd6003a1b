package dev.engram.writer;

import dev.engram.core.auth.ApiKeys;
import dev.engram.core.auth.StoredKey;
import dev.engram.testsupport.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;

/**
 * The part of ingest-service's schema that memory-writer reads (document revisions, uploaded files, API keys),
 * created in the test database so the writer can be tested without running ingest-service. Columns as in ingest's
 * migrations.
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
            s.execute("create table if not exists ingest.orgs (id text primary key, slug text not null unique,"
                    + " name text not null, created_at timestamptz not null default now())");
            s.execute("create table if not exists ingest.api_keys (id text primary key,"
                    + " org_id text not null references ingest.orgs (id), name text not null,"
                    + " key_hash text not null unique, key_hint text not null,"
                    + " role text not null check (role in ('admin', 'scoped')), container_tag text,"
                    + " rate_limit_max integer check (rate_limit_max > 0),"
                    + " rate_limit_window_ms bigint check (rate_limit_window_ms > 0),"
                    + " expires_at timestamptz, revoked_at timestamptz, created_by text not null,"
                    + " created_at timestamptz not null default now(),"
                    + " check ((role = 'scoped') = (container_tag is not null)),"
                    + " check ((rate_limit_max is null) = (rate_limit_window_ms is null)))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores {@code key} in {@code ingest.api_keys} as ingest-service would (its organisation too, if new) and returns
     * the key to present; only its hash is stored.
     */
    public static String apiKey(StoredKey key) {
        create();
        String secret = ApiKeys.generate();
        try (Connection c = connect();
                PreparedStatement org = c.prepareStatement(
                        "insert into ingest.orgs (id, slug, name) values (?, ?, ?) on conflict do nothing");
                PreparedStatement s = c.prepareStatement("insert into ingest.api_keys (id, org_id, name, key_hash,"
                        + " key_hint, role, container_tag, rate_limit_max, rate_limit_window_ms, expires_at,"
                        + " revoked_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test')")) {
            org.setString(1, key.orgId());
            org.setString(2, key.orgId());
            org.setString(3, key.orgId());
            org.executeUpdate();
            s.setString(1, key.id());
            s.setString(2, key.orgId());
            s.setString(3, key.id());
            s.setString(4, ApiKeys.hash(secret));
            s.setString(5, ApiKeys.hint(secret));
            s.setString(6, key.role().storedName());
            s.setString(7, key.containerTag());
            s.setObject(8, key.rateLimit() == null ? null : key.rateLimit().maxRequests(), Types.INTEGER);
            s.setObject(
                    9, key.rateLimit() == null ? null : key.rateLimit().window().toMillis(), Types.BIGINT);
            s.setTimestamp(10, key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()));
            s.setTimestamp(11, key.revokedAt() == null ? null : Timestamp.from(key.revokedAt()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return secret;
    }

    /** Runs a statement on the test database (for tests that break or repair what the service reads). */
    public static void execute(String sql) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
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
