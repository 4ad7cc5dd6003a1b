package dev.engram.ingest.messaging;

import dev.engram.ingest.persistence.Transactions;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Holds a consumer's polled batch through a short PostgreSQL outage instead of failing it. Failed, a batch of status
 * events went to the dead-letter topic (its documents then stayed at their last step for ever, though memory-writer
 * had finished them), and a batch of documents or conversations stopped its channel. Here the batch's transaction is
 * run again, backing off from 200 ms to 5 s, while the database cannot be reached, for at most {@link #PATIENCE}; the
 * offsets are committed only after it went through. Other failures fail at once, as before.
 */
public final class DatabaseOutage {

    /** The longest a batch waits for the database, well within the consumers' {@code max.poll.interval.ms}. */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private DatabaseOutage() {}

    /** {@link Transactions#retryingConflicts}, also run again while PostgreSQL is unreachable. */
    static <T> Uni<T> outlasting(Supplier<Uni<T>> work) {
        return Uni.createFrom()
                .deferred(() -> Transactions.retryingConflicts(work))
                .onFailure(DatabaseOutage::isUnavailable)
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .expireIn(PATIENCE.toMillis());
    }

    /**
     * Whether a failure means the database could not be reached or went away: connection refused or lost, or a
     * connection or operator-intervention SQL state (08…, 57P…: shutting down, starting up).
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
                return true;
            }
            String state = t instanceof PgException pg
                    ? pg.getSqlState()
                    : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }
}
