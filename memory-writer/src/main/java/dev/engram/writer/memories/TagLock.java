package dev.engram.writer.memories;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Serialises the writes of one container tag across threads and memory-writer replicas: a PostgreSQL
 * transaction-scoped advisory lock on (organisation, tag), released when the transaction ends. Every memory write
 * (the HTTP API, the consolidation of extracted memories, the expiry sweep) takes it, so decisions like "is this
 * still the latest version?" hold until the commit.
 *
 * <p>The lock uses PostgreSQL's two-key form: the first key is {@link #NAMESPACE} (so it cannot meet the single
 * {@code bigint} advisory locks other code takes), the second a 32-bit hash of organisation and tag. Two tags whose
 * hashes collide merely wait for each other.
 */
public final class TagLock {

    /** First key of every tag lock ("mems" in ASCII). */
    public static final int NAMESPACE = 0x6D656D73;

    private TagLock() {}

    /**
     * Takes the lock of ({@code orgId}, {@code containerTag}) for the connection's current transaction, waiting for
     * another holder to commit or roll back.
     *
     * @param connection a connection with auto-commit off (with auto-commit on, the lock would end at once)
     * @throws IllegalStateException if the connection is in auto-commit mode
     */
    public static void lock(Connection connection, String orgId, String containerTag) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("a tag lock needs a transaction: turn auto-commit off first");
        }
        try (PreparedStatement lock =
                connection.prepareStatement("select pg_advisory_xact_lock(?, hashtext(? || '/' || ?))")) {
            lock.setInt(1, NAMESPACE);
            lock.setString(2, orgId);
            lock.setString(3, containerTag);
            lock.execute();
        }
    }
}
