package dev.engram.writer.fetch;

import java.time.Duration;

/** The moment a fetch must be finished by, on the monotonic clock. */
final class Deadline {

    private final long endNanos;
    private final Duration total;

    private Deadline(long endNanos, Duration total) {
        this.endNanos = endNanos;
        this.total = total;
    }

    static Deadline after(Duration total) {
        return new Deadline(System.nanoTime() + total.toNanos(), total);
    }

    /** Milliseconds left, at least 0. */
    long remainingMillis() {
        return Math.max(0, (endNanos - System.nanoTime()) / 1_000_000);
    }

    boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** The whole allowance, for messages. */
    Duration total() {
        return total;
    }
}
