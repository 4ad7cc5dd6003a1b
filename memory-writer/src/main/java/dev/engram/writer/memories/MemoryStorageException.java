package dev.engram.writer.memories;

import java.sql.SQLException;

/**
 * PostgreSQL failed while reading or writing memories; {@link #retriable()} says whether the same call may succeed
 * later (connection lost, serialisation failure, deadlock, server shutting down or out of resources).
 */
public final class MemoryStorageException extends RuntimeException {

    private final boolean retriable;

    public MemoryStorageException(String message, SQLException cause) {
        super(message + ": " + cause.getMessage(), cause);
        this.retriable = isTransient(cause.getSQLState());
    }

    /** Whether trying again may succeed. */
    public boolean retriable() {
        return retriable;
    }

    private static boolean isTransient(String sqlState) {
        if (sqlState == null) {
            return true; // no state: the driver lost the connection before the server answered
        }
        return sqlState.startsWith("08") // connection exception
                || sqlState.startsWith("40") // transaction rollback: serialisation failure, deadlock
                || sqlState.startsWith("53") // insufficient resources
                || sqlState.startsWith("57P"); // operator intervention: shutdown, cannot connect now
    }
}
