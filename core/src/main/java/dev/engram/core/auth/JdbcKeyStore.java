package dev.engram.core.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;

/**
 * Keys read from ingest-service's {@code ingest.api_keys} over JDBC, for the services that reach PostgreSQL through a
 * blocking {@link DataSource} (search-service, memory-writer). ingest-service owns the table; this only reads it.
 *
 * <p>A lookup is a blocking call, so it runs on the {@code executor} given: one that runs the task inline where
 * blocking is allowed (a worker thread) and hands it to a worker pool otherwise (an event loop).
 */
public final class JdbcKeyStore implements KeyStore {

    /** The lookup: one row by the unique {@code key_hash}. */
    static final String FIND_BY_HASH = "select id, org_id, role, container_tag, rate_limit_max, rate_limit_window_ms,"
            + " expires_at, revoked_at from ingest.api_keys where key_hash = ?";

    private final DataSource dataSource;
    private final Executor executor;

    /**
     * @param dataSource a pool on the database that holds {@code ingest.api_keys}
     * @param executor where the blocking lookup runs
     */
    public JdbcKeyStore(DataSource dataSource, Executor executor) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletionStage<Optional<StoredKey>> findByHash(String hash) {
        Objects.requireNonNull(hash, "hash");
        CompletableFuture<Optional<StoredKey>> found = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    found.complete(find(hash));
                } catch (SQLException | RuntimeException e) {
                    found.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            found.completeExceptionally(e);
        }
        return found;
    }

    /** The key with {@code hash}, on the calling thread (blocking). */
    public Optional<StoredKey> find(String hash) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(FIND_BY_HASH)) {
            statement.setString(1, hash);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(toKey(row)) : Optional.empty();
            }
        }
    }

    private static StoredKey toKey(ResultSet row) throws SQLException {
        int max = row.getInt("rate_limit_max");
        boolean limited = !row.wasNull();
        long windowMs = row.getLong("rate_limit_window_ms");
        return new StoredKey(
                row.getString("id"),
                row.getString("org_id"),
                KeyRole.fromStored(row.getString("role")),
                row.getString("container_tag"),
                limited ? new RateLimit(max, Duration.ofMillis(windowMs)) : null,
                instant(row.getObject("expires_at", OffsetDateTime.class)),
                instant(row.getObject("revoked_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
