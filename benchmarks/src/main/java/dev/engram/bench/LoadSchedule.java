package dev.engram.bench;

/**
 * An open-loop schedule: the {@code i}-th request of an endpoint is due at {@code start + i / rate}, whether or not the
 * earlier ones have been answered, so a slow server cannot slow the offered load down (no coordinated omission).
 *
 * @param perSecond requests per second, &gt; 0
 * @param startNanos {@link System#nanoTime()} of request 0
 */
record LoadSchedule(double perSecond, long startNanos) {

    LoadSchedule {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be > 0 per second, was " + perSecond);
        }
    }

    /** When request {@code index} (from 0) is due, in {@link System#nanoTime()} terms. */
    long dueAt(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0");
        }
        return startNanos + Math.round(index * 1e9 / perSecond);
    }

    /** How many requests are due by {@code nowNanos} (inclusive): 0 before the start. */
    long dueBy(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long count = (long) Math.floor((nowNanos - startNanos) * perSecond / 1e9) + 1;
        // Rounding in dueAt may put the last one a nanosecond later than this estimate says.
        while (count > 0 && dueAt(count - 1) > nowNanos) {
            count--;
        }
        while (dueAt(count) <= nowNanos) {
            count++;
        }
        return count;
    }

    /** Requests due in {@code [start, start + durationNanos)}: what the run is meant to send. */
    long plannedWithin(long durationNanos) {
        return durationNanos <= 0 ? 0 : dueBy(startNanos + durationNanos - 1);
    }
}
