package dev.engram.search.memories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.core.vectors.VectorPoint;
import dev.engram.search.query.SimilarityFusion.Scored;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MemoryRankingTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void recencyIsTheFullBonusNowAndHalvesEveryThirtyDays() {
        assertThat(MemoryRanking.recency(NOW, NOW)).isEqualTo(0.05);
        assertThat(MemoryRanking.recency(NOW.minus(Duration.ofDays(30)), NOW)).isCloseTo(0.025, within(1e-12));
        assertThat(MemoryRanking.recency(NOW.minus(Duration.ofDays(90)), NOW)).isCloseTo(0.00625, within(1e-12));
        assertThat(MemoryRanking.recency(NOW.minus(Duration.ofDays(3650)), NOW)).isLessThan(1e-12);
    }

    @Test
    void aFutureOrUnknownUpdateTimeGetsTheFullOrNoBonus() {
        assertThat(MemoryRanking.recency(NOW.plus(Duration.ofDays(1)), NOW)).isEqualTo(0.05);
        assertThat(MemoryRanking.recency(null, NOW)).isZero();
    }

    @Test
    void staticAddsAndInferenceSubtracts() {
        Instant old = NOW.minus(Duration.ofDays(36_500));
        assertThat(MemoryRanking.adjustment(true, false, old, NOW)).isCloseTo(0.03, within(1e-9));
        assertThat(MemoryRanking.adjustment(false, true, old, NOW)).isCloseTo(-0.03, within(1e-9));
        assertThat(MemoryRanking.adjustment(true, true, old, NOW)).isCloseTo(0.0, within(1e-9));
        assertThat(MemoryRanking.rank(0.7, true, false, NOW, NOW)).isCloseTo(0.78, within(1e-12));
    }

    @Test
    void theAdjustmentsNeverDifferByMoreThanTheSpread() {
        double best = MemoryRanking.adjustment(true, false, NOW, NOW);
        double worst = MemoryRanking.adjustment(false, true, null, NOW);
        assertThat(best - worst).isCloseTo(MemoryRanking.SPREAD, within(1e-12));
        assertThat(MemoryRanking.SPREAD).isCloseTo(0.11, within(1e-12));
        // so a memory more similar by more than the spread keeps its place whatever the state of either
        assertThat(MemoryRanking.rank(0.80, false, true, null, NOW))
                .isGreaterThan(MemoryRanking.rank(0.80 - MemoryRanking.SPREAD - 0.001, true, false, NOW, NOW));
    }

    @Test
    void theWindowReadsLimitPlusSlackAndWhatCouldOvertakeByRank() {
        // similarities 0.900, 0.885, 0.870, ...: with limit 3 the third is 0.870, so down to 0.76 could overtake it
        List<Scored> above =
                IntStream.range(0, 30).mapToObj(i -> scored(0.90 - i * 0.015)).toList();
        assertThat(MemorySearch.window(above, 3, false)).hasSize(8);
        assertThat(MemorySearch.window(above, 3, true)).hasSize(10);
        assertThat(MemorySearch.window(above.subList(0, 5), 3, true)).hasSize(5);
        assertThat(MemorySearch.window(List.of(), 3, true)).isEmpty();
    }

    private static Scored scored(double similarity) {
        return new Scored(
                new VectorPoint("m" + similarity, "org", "tag", "_none", new float[] {1f}, "t", null, null),
                similarity);
    }
}
