package dev.engram.search.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.search.query.SimilarityFusion.Scored;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimilarityFusionTest {

    private static VectorHit hit(String id, double score) {
        return new VectorHit(new VectorPoint(id, "org", "tag", "doc", new float[0], id, Map.of(), Map.of()), score);
    }

    private static List<String> ids(List<Scored> scored) {
        return scored.stream().map(s -> s.point().id()).toList();
    }

    private static double similarityOf(List<Scored> scored, String id) {
        return scored.stream()
                .filter(s -> s.point().id().equals(id))
                .findFirst()
                .orElseThrow()
                .similarity();
    }

    @Test
    void theFormulaClosesHalfTheGapToOneForTheBestLexicalMatch() {
        assertThat(SimilarityFusion.similarity(0.6, 0.0)).isCloseTo(0.6, within(1e-12));
        assertThat(SimilarityFusion.similarity(0.6, 1.0)).isCloseTo(0.8, within(1e-12));
        assertThat(SimilarityFusion.similarity(0.2, 1.0)).isCloseTo(0.6, within(1e-12));
        assertThat(SimilarityFusion.similarity(0.4, 0.5)).isCloseTo(0.4 + 0.6 * 0.25, within(1e-12));
        assertThat(SimilarityFusion.similarity(0.0, 1.0)).isCloseTo(0.5, within(1e-12));
        assertThat(SimilarityFusion.similarity(1.0, 1.0)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void negativeCosinesCountAsZeroAndTheResultStaysWithinZeroAndOne() {
        assertThat(SimilarityFusion.similarity(-0.7, 0.0)).isZero();
        assertThat(SimilarityFusion.similarity(-0.7, 1.0)).isCloseTo(0.5, within(1e-12));
        assertThat(SimilarityFusion.similarity(1.3, 2.0)).isCloseTo(1.0, within(1e-12));
        assertThat(SimilarityFusion.similarity(Double.NaN, 0.0)).isZero();
    }

    @Test
    void aDenseOnlyCandidateKeepsItsCosine() {
        List<Scored> fused =
                SimilarityFusion.fuse(List.of(hit("a", 0.72), hit("b", 0.55)), List.of(hit("b", 4.0)), Map.of());

        assertThat(similarityOf(fused, "a")).isCloseTo(0.72, within(1e-12));
        assertThat(similarityOf(fused, "b")).isCloseTo(0.55 + 0.45 * 0.5, within(1e-12));
    }

    @Test
    void lexicalScoresAreNormalisedByTheBestOfThePool() {
        List<Scored> fused = SimilarityFusion.fuse(
                List.of(hit("a", 0.5), hit("b", 0.5), hit("c", 0.5)), List.of(hit("a", 8.0), hit("b", 2.0)), Map.of());

        assertThat(similarityOf(fused, "a")).isCloseTo(0.5 + 0.5 * 0.5 * 1.0, within(1e-12));
        assertThat(similarityOf(fused, "b")).isCloseTo(0.5 + 0.5 * 0.5 * 0.25, within(1e-12));
        assertThat(similarityOf(fused, "c")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aLexicalOnlyCandidateIsScoredWithTheCosineOfItsStoredVector() {
        List<Scored> fused =
                SimilarityFusion.fuse(List.of(hit("a", 0.7)), List.of(hit("rare", 3.0)), Map.of("rare", 0.5));

        assertThat(ids(fused)).containsExactly("rare", "a");
        assertThat(similarityOf(fused, "rare")).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void aLexicalOnlyCandidateWithoutAStoredVectorIsDropped() {
        List<Scored> fused = SimilarityFusion.fuse(
                List.of(hit("a", 0.7)), List.of(hit("gone", 3.0), hit("kept", 1.5)), Map.of("kept", 0.1));

        assertThat(ids(fused)).containsExactly("a", "kept");
    }

    @Test
    void candidatesAreRankedBySimilarityWithTiesInDenseOrderThenLexicalOrder() {
        List<Scored> fused = SimilarityFusion.fuse(
                List.of(hit("d1", 0.9), hit("d2", 0.6), hit("d3", 0.6), hit("d4", 0.3)),
                List.of(hit("d4", 10.0), hit("l1", 5.0), hit("l2", 5.0)),
                Map.of("l1", 0.2, "l2", 0.2));

        // d4: 0.3 + 0.7 * 0.5 = 0.65; l1 and l2: 0.2 + 0.8 * 0.25 = 0.4
        assertThat(ids(fused)).containsExactly("d1", "d4", "d2", "d3", "l1", "l2");
        assertThat(fused).extracting(Scored::similarity).isSortedAccordingTo((x, y) -> Double.compare(y, x));
    }

    @Test
    void aPointInBothPoolsCountsOnce() {
        List<Scored> fused = SimilarityFusion.fuse(List.of(hit("a", 0.4)), List.of(hit("a", 2.0)), Map.of("a", 0.99));

        assertThat(fused)
                .singleElement()
                .satisfies(s -> assertThat(s.similarity()).isCloseTo(0.4 + 0.6 * 0.5, within(1e-12)));
    }

    @Test
    void emptyPoolsGiveWhatTheOtherPoolHolds() {
        assertThat(SimilarityFusion.fuse(List.of(), List.of(), Map.of())).isEmpty();
        assertThat(ids(SimilarityFusion.fuse(List.of(hit("a", 0.3), hit("b", 0.8)), List.of(), Map.of())))
                .containsExactly("b", "a");
        assertThat(ids(SimilarityFusion.fuse(
                        List.of(), List.of(hit("x", 1.0), hit("y", 2.0)), Map.of("x", 0.9, "y", 0.0))))
                .containsExactly("x", "y");
        assertThat(SimilarityFusion.lexical(List.of(), Map.of())).isEmpty();
        assertThat(SimilarityFusion.dense(List.of())).isEmpty();
    }

    @Test
    void denseModeKeepsTheHitsOrderAndTheirClampedCosines() {
        List<Scored> dense = SimilarityFusion.dense(List.of(hit("a", 0.8), hit("b", 0.3), hit("c", -0.2)));

        assertThat(ids(dense)).containsExactly("a", "b", "c");
        assertThat(dense).extracting(Scored::similarity).containsExactly(0.8, 0.3, 0.0);
    }

    @Test
    void lexicalModeKeepsBm25OrderAndReportsTheCalibratedSimilarity() {
        List<Scored> lexical = SimilarityFusion.lexical(
                List.of(hit("top", 6.0), hit("next", 3.0), hit("gone", 1.0)), Map.of("top", 0.1, "next", 0.9));

        assertThat(ids(lexical)).containsExactly("top", "next");
        assertThat(lexical.get(0).similarity()).isCloseTo(0.1 + 0.9 * 0.5, within(1e-12));
        assertThat(lexical.get(1).similarity()).isCloseTo(0.9 + 0.1 * 0.25, within(1e-12));
    }
}
