package dev.engram.embeddings;

/** Counts model tokens in a text, for embedders whose tokenizer is not available locally. */
@FunctionalInterface
public interface TokenCounter {

    /** Tokens in {@code text}. */
    int countTokens(String text);

    /**
     * The common rule of thumb for OpenAI-style BPE tokenizers on English text: one token per four characters
     * (Unicode code points), rounded up. Good enough to size chunks with some headroom; not exact, and it
     * undercounts for code and for languages written without spaces.
     */
    static TokenCounter approximate() {
        return text -> (text.codePointCount(0, text.length()) + 3) / 4;
    }
}
