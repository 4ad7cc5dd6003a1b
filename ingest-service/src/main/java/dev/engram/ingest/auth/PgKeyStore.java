package dev.engram.ingest.auth;

import dev.engram.core.auth.KeyRole;
import dev.engram.core.auth.KeyStore;
import dev.engram.core.auth.RateLimit;
import dev.engram.core.auth.StoredKey;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Keys from this service's own {@code ingest.api_keys}, by hash. */
@ApplicationScoped
public class PgKeyStore implements KeyStore {

    static final String COLUMNS =
            "id, org_id, role, container_tag, rate_limit_max, rate_limit_window_ms, expires_at, revoked_at";

    @Inject
    Pool client;

    @Override
    public CompletionStage<Optional<StoredKey>> findByHash(String hash) {
        return client.preparedQuery("select " + COLUMNS + " from ingest.api_keys where key_hash = $1")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    var found = rows.iterator();
                    return found.hasNext() ? Optional.of(toKey(found.next())) : Optional.<StoredKey>empty();
                })
                .subscribeAsCompletionStage();
    }

    /** A row with {@link #COLUMNS} as a key. */
    static StoredKey toKey(Row row) {
        Integer max = row.getInteger("rate_limit_max");
        Long windowMs = row.getLong("rate_limit_window_ms");
        return new StoredKey(
                row.getString("id"),
                row.getString("org_id"),
                KeyRole.fromStored(row.getString("role")),
                row.getString("container_tag"),
                max == null ? null : new RateLimit(max, Duration.ofMillis(windowMs)),
                instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at")));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
