package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.engram.bench.RetrievalMetrics.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The rank metrics, against values worked out by hand. */
class RetrievalMetricsTest {

    private static final Offset<Double> EXACT = within(1e-9);
    private static final Set<String> E1_E2_E3 = Set.of("e1", "e2", "e3");

    @Test
    void twoOfThreeEvidenceTurnsAtRanksTwoAndFour() {
        List<String> ranking = List.of("x", "e1", "y", "e2", "z");

        Scores scores = Scores.of(ranking, E1_E2_E3);

        assertThat(scores.anyAt1()).isZero();
        assertThat(scores.anyAt5()).isEqualTo(1);
        assertThat(scores.anyAt10()).isEqualTo(1);
        assertThat(scores.allAt5()).as("e3 is missing").isZero();
        assertThat(scores.allAt10()).isZero();
        // DCG = 1/log2(3) + 1/log2(5) = 1.0616063; ideal = 1 + 1/log2(3) + 1/log2(4) = 2.1309298
        assertThat(scores.ndcg()).isCloseTo(0.4981892575, within(1e-9));
        assertThat(scores.reciprocalRank()).isCloseTo(0.5, EXACT);
    }

    @Test
    void everyEvidenceTurnFirstIsPerfect() {
        Scores scores = Scores.of(List.of("e2", "e1", "x"), Set.of("e1", "e2"));

        assertThat(scores).isEqualTo(new Scores(1, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void recallAtKCountsOnlyTheFirstKResults() {
        List<String> ranking = List.of("a", "b", "c", "d", "e", "f", "e1", "g");

        assertThat(RetrievalMetrics.recallAny(ranking, E1_E2_E3, 5)).isZero();
        assertThat(RetrievalMetrics.recallAny(ranking, E1_E2_E3, 10)).isEqualTo(1);
        assertThat(RetrievalMetrics.reciprocalRank(ranking, E1_E2_E3, 10)).isCloseTo(1.0 / 7, EXACT);
        assertThat(RetrievalMetrics.recallAll(List.of("e1", "x", "e2"), Set.of("e1", "e2"), 2))
                .isZero();
        assertThat(RetrievalMetrics.recallAll(List.of("e1", "x", "e2"), Set.of("e1", "e2"), 3))
                .isEqualTo(1);
    }

    @Test
    void anEvidenceTurnPastTheTenthResultCountsForNothing() {
        List<String> ranking = new ArrayList<>(Arrays.asList("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
        ranking.add("e1");

        Scores scores = Scores.of(ranking, E1_E2_E3);

        assertThat(scores).isEqualTo(new Scores(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void noResultsAndUnknownResultsScoreZero() {
        assertThat(Scores.of(List.of(), E1_E2_E3)).isEqualTo(new Scores(0, 0, 0, 0, 0, 0, 0));
        assertThat(Scores.of(Arrays.asList(null, null), E1_E2_E3)).isEqualTo(new Scores(0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aRepeatedEvidenceTurnGainsOnce() {
        // DCG = 1 (e1 at rank 1; its repeat at rank 2 gains nothing); ideal = 1 + 1/log2(3)
        assertThat(RetrievalMetrics.ndcg(List.of("e1", "e1"), Set.of("e1", "e2"), 10))
                .isCloseTo(0.6131471928, within(1e-9));
    }

    @Test
    void theIdealRankingIsCutAtK() {
        // Twelve evidence turns, the first ten results all evidence: ideal and actual both have ten gains.
        Set<String> evidence = Set.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
        List<String> ranking = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

        assertThat(RetrievalMetrics.ndcg(ranking, evidence, 10)).isCloseTo(1.0, EXACT);
        assertThat(RetrievalMetrics.recallAll(ranking, evidence, 10)).isZero();
    }

    @Test
    void aTallyAveragesEachFigure() {
        RetrievalMetrics.Tally tally = new RetrievalMetrics.Tally();
        assertThat(tally.mean()).isEqualTo(new Scores(0, 0, 0, 0, 0, 0, 0));

        tally.add(new Scores(1, 1, 1, 1, 1, 1, 1));
        tally.add(new Scores(0, 1, 1, 0, 1, 0.5, 0.5));
        tally.add(new Scores(0, 0, 0, 0, 0, 0, 0));

        assertThat(tally.count()).isEqualTo(3);
        Scores mean = tally.mean();
        assertThat(mean.anyAt1()).isCloseTo(1.0 / 3, EXACT);
        assertThat(mean.anyAt5()).isCloseTo(2.0 / 3, EXACT);
        assertThat(mean.allAt5()).isCloseTo(1.0 / 3, EXACT);
        assertThat(mean.allAt10()).isCloseTo(2.0 / 3, EXACT);
        assertThat(mean.ndcg()).isCloseTo(0.5, EXACT);
        assertThat(mean.reciprocalRank()).isCloseTo(0.5, EXACT);
    }

    @Test
    void aQuestionWithoutEvidenceCannotBeScored() {
        assertThatThrownBy(() -> Scores.of(List.of("a"), Set.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
