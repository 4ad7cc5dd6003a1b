package dev.engram.ingest.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.LockAcquisitionException;

/**
 * Transactions that a concurrent one can abort: PostgreSQL breaks a deadlock by aborting one side, a serializable
 * transaction can fail to serialise, and a row inserted meanwhile makes an insert of the same key fail. Running the
 * whole transaction again finds a consistent state. Adds through the API (two first adds of one customId, batches
 * sharing container tags) and the consumers of this service (statuses, the router's conversations, other producers'
 * documents, from different partitions and topics) all write document rows, so they meet.
 */
public final class Transactions {

    /** Runs of a transaction in all, the first included. */
    static final int ATTEMPTS = 4;

    private Transactions() {}

    /**
     * Runs {@code work} in a transaction and, when a concurrent transaction got in its way, again in a new one (a
     * few times, backing off from 20 ms); any other failure, or the last conflict, fails the returned {@code Uni}.
     */
    public static <T> Uni<T> retryingConflicts(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work)
                .onFailure(Transactions::isRetriableConflict)
                .retry()
                .withBackOff(Duration.ofMillis(20), Duration.ofMillis(500))
                .atMost(ATTEMPTS - 1);
    }

    /**
     * Whether a transaction failed only because a concurrent one got in its way — a unique-key violation, a deadlock or
     * a serialization failure — so running it again will find a consistent state.
     */
    public static boolean isRetriableConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException || t instanceof LockAcquisitionException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
