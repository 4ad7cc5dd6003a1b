package dev.engram.bench;

import java.time.Duration;
import java.util.Arrays;

/**
 * Summary of a set of durations: nearest-rank percentiles (the smallest sample with at least p% of the samples at or
 * below it), the maximum and the mean.
 *
 * @param count samples
 */
record LatencyStats(int count, Duration p50, Duration p95, Duration p99, Duration max, Duration mean) {

    /** Summarises {@code nanos} (not modified); all durations are zero when it is empty. */
    static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return new LatencyStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long sample : sorted) {
            sum += sample;
        }
        return new LatencyStats(
                sorted.length,
                Duration.ofNanos(percentile(sorted, 50)),
                Duration.ofNanos(percentile(sorted, 95)),
                Duration.ofNanos(percentile(sorted, 99)),
                Duration.ofNanos(sorted[sorted.length - 1]),
                Duration.ofNanos(Math.round(sum / sorted.length)));
    }

    /** Nearest-rank percentile of ascending {@code sorted} (non-empty), {@code 0 < p <= 100}. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
