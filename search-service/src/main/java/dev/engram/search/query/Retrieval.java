package dev.engram.search.query;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which candidates a search ranks: the Engram extension field {@code retrieval} of {@code /v3/search},
 * {@code /v4/search} and {@code /v4/profile} (the official SDK never sends it; it is for evaluation and power users).
 * Every mode reports the same calibrated similarity ({@link SimilarityFusion}).
 */
public enum Retrieval {
    /** Dense and lexical candidates fused, ranked by {@link SimilarityFusion#fuse}: the default. */
    HYBRID("hybrid"),
    /** Dense candidates only, ranked by cosine: Engram's search before lexical retrieval. */
    DENSE("dense"),
    /** Lexical (BM25) candidates only, in BM25 order. */
    LEXICAL("lexical");

    private final String wireName;

    Retrieval(String wireName) {
        this.wireName = wireName;
    }

    /** The value in requests. */
    public String wireName() {
        return wireName;
    }

    /** The mode named {@code value} exactly (lower case), if any. */
    public static Optional<Retrieval> fromWire(String value) {
        return Arrays.stream(values())
                .filter(mode -> mode.wireName.equals(value))
                .findFirst();
    }
}
