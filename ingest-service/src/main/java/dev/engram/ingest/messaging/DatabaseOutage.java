package dev.engram.ingest.messaging;

import dev.engram.ingest.persistence.Transactions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Holds a consumer's polled batch through a short PostgreSQL outage instead of failing it. Failed, a batch of status
 * events went to the dead-letter topic (its documents then stayed at their last step for ever, though memory-writer
 * had finished them), and a batch of documents or conversations stopped its channel. Here the batch's transaction is
 * run again, backing off from 200 ms to 5 s, while the database cannot be reached, for at most {@link #PATIENCE}; the
 * offsets are committed only after it went through. Other failures fail at once, as before.
 */
public final class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    /** The longest a batch waits for the database, well within the consumers' {@code max.poll.interval.ms}. */
    static final Duration PATIENCE = Duration.ofMinutes(2);

    private DatabaseOutage() {}

    /** {@link Transactions#retryingConflicts}, also run again while PostgreSQL is unreachable. */
    static <T> Uni<T> outlasting(Supplier<Uni<T>> work) {
        return retrying(work).onFailure().invoke(DatabaseOutage::nacked);
    }

    private static <T> Uni<T> retrying(Supplier<Uni<T>> work) {
        return Uni.createFrom()
                .deferred(() -> Transactions.retryingConflicts(work))
                .onFailure(DatabaseOutage::isUnavailable)
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .expireIn(PATIENCE.toMillis());
    }

    /** The consumer's failure strategy only says that a batch was nacked; say why, with the whole chain. */
    private static void nacked(Throwable failure) {
        LOG.warn("a polled batch failed and is nacked", failure);
    }

    /**
     * Applies a polled batch of events in one transaction ({@link #outlasting}); when that fails for any reason but
     * the database being unreachable, applies them again one transaction each, and skips, with an error in the log
     * and {@code skipped} counted, an event that fails on its own. One event PostgreSQL refuses for good (text it
     * cannot store, a value too long) so no longer stops the channel and, with it, every later event; memory-writer
     * fails the document and dead-letters the event (the API shows it {@code failed} with the reason).
     *
     * @param events the batch, in order
     * @param all applies the whole batch inside a transaction
     * @param one applies one event inside a transaction
     * @param name names an event in the log
     * @param skipped called once per event skipped
     */
    static <E> Uni<Void> outlastingEachRefusal(
            List<E> events,
            Function<List<E>, Uni<Void>> all,
            Function<E, Uni<Void>> one,
            Function<E, String> name,
            Runnable skipped) {
        return retrying(() -> all.apply(events))
                .onFailure(failure -> !isUnavailable(failure))
                .recoverWithUni(refused -> {
                    LOG.warnf(
                            "a batch of %d event(s) was refused (%s); applying them one by one",
                            events.size(), refused);
                    return Multi.createFrom()
                            .iterable(events)
                            .onItem()
                            .transformToUniAndConcatenate(event -> skippingRefusal(event, one, name, skipped))
                            .collect()
                            .last()
                            .replaceWithVoid();
                })
                .onFailure()
                .invoke(DatabaseOutage::nacked);
    }

    /** One event in its own transaction; if PostgreSQL refuses it (not an outage), it is logged, counted and skipped. */
    private static <E> Uni<Void> skippingRefusal(
            E event, Function<E, Uni<Void>> one, Function<E, String> name, Runnable skipped) {
        return retrying(() -> one.apply(event))
                .onFailure(failure -> !isUnavailable(failure))
                .recoverWithUni(failure -> {
                    LOG.errorf(failure, "skipped %s: PostgreSQL refused it", name.apply(event));
                    skipped.run();
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Whether a failure means the database could not be reached or went away: connection refused, reset or lost
     * (a socket failure), or a connection or operator-intervention SQL state (08…, 57P…: shutting down, starting up),
     * anywhere among its causes and suppressed exceptions (a failed rollback after a lost connection, say, can carry
     * the original failure as a suppressed one).
     */
    public static boolean isUnavailable(Throwable failure) {
        Deque<Throwable> pending = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
                return true;
            }
            String state = t instanceof PgException pg
                    ? pg.getSqlState()
                    : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                return true;
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(List.of(t.getSuppressed()));
        }
        return false;
    }
}
