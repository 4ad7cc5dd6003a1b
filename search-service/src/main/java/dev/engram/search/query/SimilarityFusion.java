package dev.engram.search.query;

import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses the dense (cosine) and lexical (BM25) candidates of one query into one calibrated similarity in 0..1, on the
 * cosine scale, so a {@code threshold} means what it meant for dense search:
 *
 * <pre>
 *   similarity = cos + (1 - cos) * {@value #LEXICAL_WEIGHT} * lex
 * </pre>
 *
 * <ul>
 *   <li>{@code cos} is the candidate's exact cosine with the query embedding as the model's calibrated similarity in
 *       [0, 1] ({@code TextEmbedder.similarity}: the cosine itself for MiniLM, stretched for models whose cosines
 *       crowd into a narrow band): the dense hit's score, or for a candidate only the lexical search found, computed
 *       from its stored vector (the caller reads those in one batch and calibrates both);
 *   <li>{@code lex} is the candidate's BM25 score divided by the best BM25 score in this query's lexical pool, in
 *       [0, 1]; 0 for a candidate without a lexical match.
 * </ul>
 *
 * A candidate with no lexical match keeps its cosine exactly; a lexical match closes part of the gap to 1 — half of it
 * for the query's best lexical match — so the similarity never falls below the cosine, never exceeds 1, and a text the
 * embedding calls unrelated (cos 0) reaches at most 0.5 on words alone. With the default threshold 0.6 a lexical match
 * therefore still needs some semantic support (the best lexical match passes from cos 0.2), while an exact rare term
 * (an order number, a surname) lifts its text above texts that are only about the same topic.
 *
 * <p>Pure: no I/O, no state. Reported similarities are rounded by {@link Similarity#of}; ranking uses the unrounded
 * value, ties keeping dense order first, then lexical order.
 */
public final class SimilarityFusion {

    /** The share of the gap between {@code cos} and 1 that the query's best lexical match closes. */
    public static final double LEXICAL_WEIGHT = 0.5;

    private SimilarityFusion() {}

    /**
     * A candidate and its similarity.
     *
     * @param point the stored point (without its vector)
     * @param similarity calibrated, in 0..1, not rounded
     */
    public record Scored(VectorPoint point, double similarity) {}

    /** The calibrated similarity of a candidate with cosine {@code cosine} and normalised lexical score {@code lex}. */
    public static double similarity(double cosine, double lex) {
        double cos = clamp(cosine);
        return cos + (1.0 - cos) * LEXICAL_WEIGHT * clamp(lex);
    }

    /**
     * Dense hits alone (retrieval {@code dense}): each hit's clamped cosine, in the hits' order — dense search as it
     * always was.
     */
    public static List<Scored> dense(List<VectorHit> dense) {
        return dense.stream()
                .map(hit -> new Scored(hit.point(), clamp(hit.score())))
                .toList();
    }

    /**
     * Both pools fused (retrieval {@code hybrid}), best similarity first. A point in both pools counts once, with its
     * dense cosine and its lexical score.
     *
     * @param dense the dense hits, score = cosine
     * @param lexical the lexical hits of the same scope, score = raw BM25 (&gt; 0)
     * @param lexicalOnlyCosines the cosines of lexical hits missing from {@code dense}, by point id; a lexical hit absent
     *     from both {@code dense} and this map is dropped (its point was deleted in between)
     */
    public static List<Scored> fuse(
            List<VectorHit> dense, List<VectorHit> lexical, Map<String, Double> lexicalOnlyCosines) {
        Map<String, Double> lex = normalisedLexical(lexical);
        Map<String, Scored> byId = new LinkedHashMap<>();
        for (VectorHit hit : dense) {
            String id = hit.point().id();
            byId.putIfAbsent(id, new Scored(hit.point(), similarity(hit.score(), lex.getOrDefault(id, 0.0))));
        }
        for (VectorHit hit : lexical) {
            String id = hit.point().id();
            Double cosine = lexicalOnlyCosines.get(id);
            if (!byId.containsKey(id) && cosine != null) {
                byId.put(id, new Scored(hit.point(), similarity(cosine, lex.get(id))));
            }
        }
        List<Scored> ranked = new ArrayList<>(byId.values());
        ranked.sort(Comparator.comparingDouble(Scored::similarity).reversed()); // stable: ties keep dense order first
        return ranked;
    }

    /**
     * Lexical hits alone (retrieval {@code lexical}), scored with the same formula, in BM25 order (so this mode stays a
     * pure lexical ranking; only the reported similarity uses the cosines).
     *
     * @param cosines every lexical hit's cosine, by point id; hits absent from it are dropped (deleted in between)
     */
    public static List<Scored> lexical(List<VectorHit> lexical, Map<String, Double> cosines) {
        Map<String, Double> lex = normalisedLexical(lexical);
        List<Scored> scored = new ArrayList<>(lexical.size());
        for (VectorHit hit : lexical) {
            Double cosine = cosines.get(hit.point().id());
            if (cosine != null) {
                scored.add(new Scored(
                        hit.point(), similarity(cosine, lex.get(hit.point().id()))));
            }
        }
        return scored;
    }

    /** Each lexical hit's BM25 score divided by the pool's best, by point id (the first of duplicates wins). */
    private static Map<String, Double> normalisedLexical(List<VectorHit> lexical) {
        double best = lexical.stream().mapToDouble(VectorHit::score).max().orElse(0.0);
        Map<String, Double> lex = new LinkedHashMap<>();
        for (VectorHit hit : lexical) {
            lex.putIfAbsent(hit.point().id(), best > 0 ? hit.score() / best : 0.0);
        }
        return lex;
    }

    private static double clamp(double value) {
        return Double.isNaN(value) ? 0.0 : Math.max(0.0, Math.min(1.0, value));
    }
}
