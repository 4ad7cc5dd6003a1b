package dev.engram.deploy.stack;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stops what the stack started, last started first: the gateway, then the services, then Kafka, then
 * PostgreSQL.
 *
 * <p>Once {@link #close()} has begun, whatever is still being started is stopped as soon as it is
 * {@linkplain #add added}, so a stop that races a start orphans nothing.
 */
public final class ShutdownSequence implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("engram.stack");

    /** Something started that can be stopped. */
    @FunctionalInterface
    public interface Stoppable {
        /** Stops it; may throw, the sequence goes on. */
        void stop() throws Exception;
    }

    private record Entry(String name, Stoppable stoppable) {}

    private final Object closeLock = new Object();
    private final Deque<Entry> started = new ArrayDeque<>();
    private volatile boolean closing;

    /**
     * Registers something just started, to be stopped before everything registered earlier.
     *
     * @param name what it is, for the log
     * @param stoppable how to stop it
     * @throws IllegalStateException if the sequence is already closing; the component is stopped at once
     */
    public void add(String name, Stoppable stoppable) {
        synchronized (this) {
            if (!closing) {
                started.push(new Entry(name, stoppable));
                return;
            }
        }
        stop(new Entry(name, stoppable));
        throw new IllegalStateException("The stack is stopping; stopped " + name + " right after its start");
    }

    /** @return whether {@link #close()} has begun */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Stops everything registered, last first; a failure to stop one does not keep the others running. A
     * concurrent caller waits until the first one has finished, so no caller returns while something still
     * runs.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            synchronized (this) {
                closing = true;
            }
            while (true) {
                Entry next;
                synchronized (this) {
                    next = started.poll();
                }
                if (next == null) {
                    return;
                }
                stop(next);
            }
        }
    }

    private static void stop(Entry entry) {
        long start = System.nanoTime();
        try {
            entry.stoppable().stop();
            long millis = (System.nanoTime() - start) / 1_000_000;
            LOG.log(Level.INFO, () -> "Stopped " + entry.name() + " (" + millis + " ms)");
        } catch (Exception e) {
            LOG.log(Level.ERROR, "Failed to stop " + entry.name(), e);
        }
    }
}
