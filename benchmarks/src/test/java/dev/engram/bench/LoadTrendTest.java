package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadTrendTest {

    @Test
    void aFlatSeriesHasNoSlopeAndEqualWindows() {
        List<LoadTrend.Sample> samples = new ArrayList<>();
        for (int s = 0; s <= 300; s += 5) {
            samples.add(new LoadTrend.Sample(s, s % 10 == 0 ? 100 : 110)); // a saw-tooth around 105
        }

        LoadTrend trend = LoadTrend.of(samples, 60).orElseThrow();

        assertThat(trend.samples()).isEqualTo(61);
        assertThat(trend.slopeBytesPerMinute()).isCloseTo(0, within(0.5));
        assertThat(trend.first()).isCloseTo(105, within(1.0));
        assertThat(trend.last()).isCloseTo(105, within(1.0));
        assertThat(trend.lastOverFirst()).isCloseTo(1.0, within(0.01));
        assertThat(trend.max()).isEqualTo(110);
    }

    @Test
    void aSteadyGrowthShowsAsItsSlopePerMinute() {
        List<LoadTrend.Sample> samples = new ArrayList<>();
        for (int s = 0; s <= 240; s += 5) {
            samples.add(new LoadTrend.Sample(s, 1_000 + 2.0 * s)); // 2 bytes a second
        }

        LoadTrend trend = LoadTrend.of(samples, 60).orElseThrow();

        assertThat(trend.slopeBytesPerMinute()).isCloseTo(120, within(1e-6));
        assertThat(trend.first()).isCloseTo(1_060, within(1e-6)); // 0..60 s
        assertThat(trend.last()).isCloseTo(1_420, within(1e-6)); // 180..240 s
    }

    @Test
    void windowsAreCountedFromTheFirstAndLastSample() {
        List<LoadTrend.Sample> samples =
                List.of(new LoadTrend.Sample(10, 1), new LoadTrend.Sample(20, 3), new LoadTrend.Sample(30, 5));

        LoadTrend trend = LoadTrend.of(samples, 10).orElseThrow();

        assertThat(trend.first()).isEqualTo(2);
        assertThat(trend.last()).isEqualTo(4);
    }

    @Test
    void oneSampleOrNoneHasNoSlope() {
        assertThat(LoadTrend.of(List.of(), 60)).isEmpty();
        LoadTrend one = LoadTrend.of(List.of(new LoadTrend.Sample(3, 42)), 60).orElseThrow();
        assertThat(one.slopeBytesPerMinute()).isZero();
        assertThat(one.first()).isEqualTo(42);
        assertThat(one.last()).isEqualTo(42);
    }
}
