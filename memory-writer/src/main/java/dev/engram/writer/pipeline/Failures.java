package dev.engram.writer.pipeline;

import dev.engram.core.embedding.EmbeddingException;
import dev.engram.core.vectors.VectorStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

/** Classifies exceptions as retriable (the same call may succeed later) or permanent. */
public final class Failures {

    private Failures() {}

    /** Wraps {@code failure} as a {@link StageFailure} of {@code stage}, keeping one that already is one. */
    public static StageFailure of(Stage stage, Throwable failure) {
        if (failure instanceof StageFailure stageFailure) {
            return stageFailure;
        }
        return new StageFailure(stage, isRetriable(failure), describe(failure), failure);
    }

    /** Whether trying again may help. */
    public static boolean isRetriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StageFailure s) {
                return s.retriable();
            }
            if (t instanceof EmbeddingException e) {
                return e.retriable();
            }
            if (t instanceof VectorStoreException e) {
                return e.retriable();
            }
            if (t instanceof RetriableAware aware) {
                return aware.retriable();
            }
            if (t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof TimeoutException
                    || t instanceof IOException
                    || t instanceof UncheckedIOException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57"))) {
                return true; // connection exceptions, operator intervention (e.g. server shutting down)
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} says PostgreSQL cannot be reached (a connection exception, SQLSTATE class 08, or the server
     * shutting down or starting up, class 57P), rather than that a statement failed.
     */
    public static boolean isDatabaseOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("57P");
            }
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof java.sql.BatchUpdateException batch && batch.getNextException() != null) {
            // "Batch entry 3 insert into … (every parameter) was aborted": the server's own error says what was wrong
            return describe(batch.getNextException());
        }
        String message = failure.getMessage();
        String text = message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
        int newline = text.indexOf('\n');
        text = newline < 0 ? text : text.substring(0, newline);
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    /** Implemented by exceptions that know whether they are worth retrying. */
    public interface RetriableAware {
        boolean retriable();
    }
}
