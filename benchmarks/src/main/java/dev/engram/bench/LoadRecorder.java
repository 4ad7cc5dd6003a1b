package dev.engram.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one endpoint's requests came to: how many were due, sent, answered with each status or not at all, and their
 * latencies (from the moment each was due, so a client or server that falls behind shows in them). Thread-safe.
 */
final class LoadRecorder {

    /** Status recorded for a request that got no answer (refused, reset, timed out). */
    static final int NO_ANSWER = 0;

    /** Status recorded for a request not sent because too many were outstanding. */
    static final int NOT_SENT = -1;

    private final String endpoint;
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private long[] okLatencies = new long[1024];
    private int okCount;
    private long due;

    LoadRecorder(String endpoint) {
        this.endpoint = endpoint;
    }

    String endpoint() {
        return endpoint;
    }

    /** A request fell due (sent or not). */
    synchronized void due() {
        due++;
    }

    /** A request ended: its HTTP status ({@link #NO_ANSWER}, {@link #NOT_SENT}) and nanoseconds since it was due. */
    synchronized void ended(int status, long latencyNanos) {
        byStatus.merge(status, 1, Integer::sum);
        if (status / 100 == 2) {
            if (okCount == okLatencies.length) {
                okLatencies = Arrays.copyOf(okLatencies, okCount * 2);
            }
            okLatencies[okCount++] = latencyNanos;
        }
    }

    /** A snapshot of the figures. */
    synchronized Summary summary(double seconds, double targetPerSecond) {
        int ended = byStatus.values().stream().mapToInt(Integer::intValue).sum();
        return new Summary(
                endpoint,
                due,
                ended,
                okCount,
                ended - okCount,
                new TreeMap<>(byStatus),
                LatencyStats.ofNanos(Arrays.copyOf(okLatencies, okCount)),
                targetPerSecond,
                seconds > 0 ? (due - byStatus.getOrDefault(NOT_SENT, 0)) / seconds : 0,
                seconds > 0 ? okCount / seconds : 0);
    }

    /**
     * One endpoint's figures.
     *
     * @param due requests that fell due
     * @param ended requests that ended (answered, failed or not sent)
     * @param ok 2xx answers
     * @param errors everything else that ended
     * @param byStatus ended requests by HTTP status, {@link #NO_ANSWER} and {@link #NOT_SENT} included
     * @param latency latencies of the 2xx answers, from when each was due
     * @param targetPerSecond the rate asked for
     * @param sentPerSecond requests actually sent per second of the run
     * @param okPerSecond 2xx answers per second of the run
     */
    record Summary(
            String endpoint,
            long due,
            int ended,
            int ok,
            int errors,
            Map<Integer, Integer> byStatus,
            LatencyStats latency,
            double targetPerSecond,
            double sentPerSecond,
            double okPerSecond) {

        /** Requests that fell due but have not ended (still outstanding when the summary was taken). */
        long outstanding() {
            return due - ended;
        }
    }
}
