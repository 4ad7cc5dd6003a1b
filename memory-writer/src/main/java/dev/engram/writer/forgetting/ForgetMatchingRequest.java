package dev.engram.writer.forgetting;

import java.util.List;

/**
 * A validated {@code POST /v4/memories/forget-matching}: exactly one of {@code query} and {@code ids}.
 *
 * @param containerTag the tag to forget in
 * @param query natural-language description of what to forget, or {@code null}
 * @param ids the memories to forget, or {@code null}
 * @param threshold least similarity (0..1) a memory needs to match {@code query}
 * @param maxForget most memories forgotten
 * @param dryRun only report the candidates
 * @param reason the forget reason recorded, or {@code null}
 */
public record ForgetMatchingRequest(
        String containerTag,
        String query,
        List<String> ids,
        double threshold,
        int maxForget,
        boolean dryRun,
        String reason) {

    /** Default {@link #threshold()}: only close paraphrases of the query match. */
    public static final double DEFAULT_THRESHOLD = 0.8;

    /** Default {@link #maxForget()}. */
    public static final int DEFAULT_MAX_FORGET = 10;

    /** Largest {@link #maxForget()}. */
    public static final int MAX_FORGET = 100;

    public ForgetMatchingRequest {
        if ((query == null) == (ids == null)) {
            throw new IllegalArgumentException("exactly one of query and ids");
        }
        ids = ids == null ? null : List.copyOf(ids);
    }
}
