package dev.engram.search.query;

/**
 * The {@code similarity}/{@code score} the API reports, rounded: the calibrated similarity of
 * {@link SimilarityFusion}, which is the cosine similarity between the query and the text's embedding (both embedded by
 * the same model) clamped to 0..1 — negative cosines (unrelated or opposite texts) count as 0 — raised towards 1 by a
 * lexical (BM25) match. Without a lexical match, a {@code threshold} of 0.6 keeps texts whose embedding is within about
 * 53 degrees of the query's. With the default MiniLM model, paraphrases typically score 0.6-0.9 and unrelated sentences
 * below 0.3.
 */
public final class Similarity {

    private Similarity() {}

    /** {@code cosine} clamped to 0..1, rounded to 4 decimals. */
    public static double of(double cosine) {
        double clamped = Math.max(0.0, Math.min(1.0, cosine));
        return Math.round(clamped * 10_000.0) / 10_000.0;
    }
}
