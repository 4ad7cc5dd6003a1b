package dev.engram.chunking;

/**
 * Sizes of the chunks a {@link Chunker} makes, in tokens of the embedding model.
 *
 * @param maxTokens hard limit for a chunk's whole text (heading context, overlap and body); the default 256 matches
 *     the MiniLM embedding model, which ignores word pieces beyond 256
 * @param overlapTokens how much of the previous chunk's end (whole sentences when they fit, else words) is repeated at
 *     the start of the next chunk of the same section; at most half of {@code maxTokens}
 * @param minTokens a chunk ends at a paragraph boundary or cut point only once it holds this many tokens, so short
 *     paragraphs are merged; a section's short remainder is merged into its previous chunk when it fits
 */
public record ChunkerConfig(int maxTokens, int overlapTokens, int minTokens) {

    public ChunkerConfig {
        if (maxTokens < 8) {
            throw new IllegalArgumentException("maxTokens must be at least 8");
        }
        if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
            throw new IllegalArgumentException("overlapTokens must be between 0 and maxTokens / 2");
        }
        if (minTokens < 0 || minTokens > maxTokens) {
            throw new IllegalArgumentException("minTokens must be between 0 and maxTokens");
        }
    }

    /**
     * Chunks of at most {@code maxTokens} with {@code overlapTokens} of overlap, paragraphs merged up to the default
     * minimum (64 tokens), or half of {@code maxTokens} if that is less.
     */
    public static ChunkerConfig of(int maxTokens, int overlapTokens) {
        return new ChunkerConfig(maxTokens, overlapTokens, Math.min(defaults().minTokens(), maxTokens / 2));
    }

    /** 256 tokens per chunk, 32 tokens of overlap, paragraphs merged up to at least 64 tokens. */
    public static ChunkerConfig defaults() {
        return new ChunkerConfig(256, 32, 64);
    }
}
