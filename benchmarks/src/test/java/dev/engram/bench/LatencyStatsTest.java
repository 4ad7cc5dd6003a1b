package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesOfOneToAHundred() {
        long[] samples = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // descending on purpose

        LatencyStats stats = LatencyStats.ofNanos(samples);

        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.p50()).isEqualTo(Duration.ofNanos(50));
        assertThat(stats.p95()).isEqualTo(Duration.ofNanos(95));
        assertThat(stats.p99()).isEqualTo(Duration.ofNanos(99));
        assertThat(stats.max()).isEqualTo(Duration.ofNanos(100));
        assertThat(stats.mean()).isEqualTo(Duration.ofNanos(51)); // 50.5 rounded
        assertThat(samples[0]).as("input left as it was").isEqualTo(100);
    }

    @Test
    void aPercentileIsAlwaysOneOfTheSamples() {
        long[] sorted = {10, 20, 30, 40};

        assertThat(LatencyStats.percentile(sorted, 50)).isEqualTo(20);
        assertThat(LatencyStats.percentile(sorted, 51)).isEqualTo(30);
        assertThat(LatencyStats.percentile(sorted, 95)).isEqualTo(40);
        assertThat(LatencyStats.percentile(sorted, 100)).isEqualTo(40);
        assertThat(LatencyStats.percentile(sorted, 0.1)).isEqualTo(10);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        LatencyStats stats = LatencyStats.ofNanos(new long[] {7_000_000});

        assertThat(stats.p50()).isEqualTo(stats.p99()).isEqualTo(stats.max()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void noSamplesGiveZeros() {
        LatencyStats stats = LatencyStats.ofNanos(new long[0]);

        assertThat(stats.count()).isZero();
        assertThat(stats.p95()).isEqualTo(Duration.ZERO);
    }

    @Test
    void rejectsPercentilesOutsideTheRange() {
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyStats.percentile(new long[0], 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
