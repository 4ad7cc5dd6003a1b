package dev.engram.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rank metrics of one search against a question's evidence turns, and their means over many questions. A ranking is
 * the dialogue ids of the results, best first ({@code null} for a result that is no known turn); relevance is binary:
 * a result is relevant if it is an evidence turn.
 */
final class RetrievalMetrics {

    /** The depth every metric is cut at. */
    static final int DEPTH = 10;

    private RetrievalMetrics() {}

    /**
     * One question's figures.
     *
     * @param anyAt1 1 if an evidence turn is first, else 0; likewise at 5 and 10
     * @param allAt5 1 if every evidence turn is among the first 5, else 0; likewise at 10
     * @param ndcg nDCG@10 with binary relevance
     * @param reciprocalRank 1 / rank of the first evidence turn, 0 if none is among the first 10
     */
    record Scores(
            double anyAt1,
            double anyAt5,
            double anyAt10,
            double allAt5,
            double allAt10,
            double ndcg,
            double reciprocalRank) {

        /** The figures of {@code ranking} against the non-empty {@code evidence}. */
        static Scores of(List<String> ranking, Set<String> evidence) {
            if (evidence.isEmpty()) {
                throw new IllegalArgumentException("no evidence to score against");
            }
            return new Scores(
                    recallAny(ranking, evidence, 1),
                    recallAny(ranking, evidence, 5),
                    recallAny(ranking, evidence, 10),
                    recallAll(ranking, evidence, 5),
                    recallAll(ranking, evidence, 10),
                    RetrievalMetrics.ndcg(ranking, evidence, DEPTH),
                    RetrievalMetrics.reciprocalRank(ranking, evidence, DEPTH));
        }
    }

    /** 1 if any of the first {@code k} results is an evidence turn, else 0. */
    static double recallAny(List<String> ranking, Set<String> evidence, int k) {
        return top(ranking, k).stream().anyMatch(id -> id != null && evidence.contains(id)) ? 1 : 0;
    }

    /** 1 if every evidence turn is among the first {@code k} results, else 0. */
    static double recallAll(List<String> ranking, Set<String> evidence, int k) {
        return top(ranking, k).containsAll(evidence) ? 1 : 0;
    }

    /**
     * nDCG@k with binary relevance: the sum of 1 / log2(rank + 1) over the ranks of evidence turns among the first
     * {@code k} (a turn counts once), divided by the same sum for the ideal ranking, which puts
     * min(|evidence|, k) evidence turns first.
     */
    static double ndcg(List<String> ranking, Set<String> evidence, int k) {
        double dcg = 0;
        Set<String> seen = new HashSet<>();
        List<String> top = top(ranking, k);
        for (int i = 0; i < top.size(); i++) {
            String id = top.get(i);
            if (id != null && evidence.contains(id) && seen.add(id)) {
                dcg += gain(i + 1);
            }
        }
        double ideal = 0;
        for (int rank = 1; rank <= Math.min(evidence.size(), k); rank++) {
            ideal += gain(rank);
        }
        return dcg / ideal;
    }

    /** 1 / rank of the first evidence turn among the first {@code k} results, 0 if there is none. */
    static double reciprocalRank(List<String> ranking, Set<String> evidence, int k) {
        List<String> top = top(ranking, k);
        for (int i = 0; i < top.size(); i++) {
            if (top.get(i) != null && evidence.contains(top.get(i))) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    private static double gain(int rank) {
        return 1 / (Math.log(rank + 1) / Math.log(2));
    }

    private static List<String> top(List<String> ranking, int k) {
        return ranking.subList(0, Math.min(k, ranking.size()));
    }

    /** Means of {@link Scores} over the questions added so far. Not thread-safe. */
    static final class Tally {
        private int count;
        private double anyAt1;
        private double anyAt5;
        private double anyAt10;
        private double allAt5;
        private double allAt10;
        private double ndcg;
        private double reciprocalRank;

        void add(Scores scores) {
            count++;
            anyAt1 += scores.anyAt1();
            anyAt5 += scores.anyAt5();
            anyAt10 += scores.anyAt10();
            allAt5 += scores.allAt5();
            allAt10 += scores.allAt10();
            ndcg += scores.ndcg();
            reciprocalRank += scores.reciprocalRank();
        }

        /** Questions added. */
        int count() {
            return count;
        }

        /** The mean of each figure; all 0 when nothing was added. */
        Scores mean() {
            if (count == 0) {
                return new Scores(0, 0, 0, 0, 0, 0, 0);
            }
            return new Scores(
                    anyAt1 / count,
                    anyAt5 / count,
                    anyAt10 / count,
                    allAt5 / count,
                    allAt10 / count,
                    ndcg / count,
                    reciprocalRank / count);
        }
    }
}
