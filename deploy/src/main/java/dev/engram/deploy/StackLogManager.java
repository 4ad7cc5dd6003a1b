package dev.engram.deploy;

import java.util.logging.LogManager;

/**
 * A {@code java.util.logging} manager that keeps its handlers at JVM shutdown, so the launcher's shutdown hook
 * can still log what it stops. The JDK's own manager closes every handler from a shutdown hook of its own,
 * which races ours and silently drops the messages of an orderly stop.
 *
 * <p>Installed by {@link LocalStack#main} through the {@code java.util.logging.manager} system property, before
 * anything logs.
 */
public final class StackLogManager extends LogManager {

    /** Does nothing: the console handler flushes every record, and the process is about to end anyway. */
    @Override
    public void reset() {
        // Deliberately empty; see the class comment.
    }
}
