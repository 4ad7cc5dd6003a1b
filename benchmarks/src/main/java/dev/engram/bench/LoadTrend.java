package dev.engram.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Whether a process's memory stays flat over a run: the mean of its first and of its last window (a minute by default)
 * and the least-squares slope over all samples.
 *
 * @param samples how many samples
 * @param first mean of the samples in the first window, bytes
 * @param last mean of the samples in the last window, bytes
 * @param slopeBytesPerMinute least-squares slope, bytes per minute (0 with fewer than two distinct times)
 * @param max the largest sample, bytes
 */
record LoadTrend(int samples, double first, double last, double slopeBytesPerMinute, double max) {

    /** One reading: when (seconds since the run started) and how many bytes. */
    record Sample(double seconds, double bytes) {}

    /**
     * Summarises samples, in time order.
     *
     * @param windowSeconds length of the first and last window
     * @return empty when there are no samples
     */
    static java.util.Optional<LoadTrend> of(List<Sample> samples, double windowSeconds) {
        if (samples.isEmpty()) {
            return java.util.Optional.empty();
        }
        double start = samples.get(0).seconds();
        double end = samples.get(samples.size() - 1).seconds();
        OptionalDouble first = samples.stream()
                .filter(s -> s.seconds() <= start + windowSeconds)
                .mapToDouble(Sample::bytes)
                .average();
        OptionalDouble last = samples.stream()
                .filter(s -> s.seconds() >= end - windowSeconds)
                .mapToDouble(Sample::bytes)
                .average();
        double max = samples.stream().mapToDouble(Sample::bytes).max().orElse(0);
        return java.util.Optional.of(
                new LoadTrend(samples.size(), first.orElse(0), last.orElse(0), slopePerSecond(samples) * 60, max));
    }

    /** Ordinary least squares of bytes over seconds; 0 when all samples share one time. */
    static double slopePerSecond(List<Sample> samples) {
        int n = samples.size();
        double meanT = samples.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double meanB = samples.stream().mapToDouble(Sample::bytes).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            covariance += (s.seconds() - meanT) * (s.bytes() - meanB);
            variance += (s.seconds() - meanT) * (s.seconds() - meanT);
        }
        return n < 2 || variance == 0 ? 0 : covariance / variance;
    }

    /** Last window against the first: 1.0 is flat. */
    double lastOverFirst() {
        return first == 0 ? 0 : last / first;
    }
}
