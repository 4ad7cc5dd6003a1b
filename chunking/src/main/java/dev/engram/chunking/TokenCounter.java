package dev.engram.chunking;

import java.util.Objects;

/**
 * Counts the tokens a text becomes for the embedding model, so chunks can be sized in the model's own units. The real
 * implementation is the embedding model's tokenizer; it should count word pieces without the special tokens the
 * model adds around every input.
 */
@FunctionalInterface
public interface TokenCounter {

    /** Tokens in the text; 0 for an empty text. */
    int count(String text);

    /**
     * Whether counts add up over whitespace: {@code count(a + w + b) == count(a) + count(b)} for whitespace {@code w}.
     * The chunker then sums the counts of the pieces it joins instead of counting each joined text again (which costs
     * a tokenizer pass over the growing chunk for every piece packed into it). False unless known.
     */
    default boolean addsUp() {
        return false;
    }

    /** {@code counter}, declared to add up over whitespace when {@code addsUp} (see {@link #addsUp()}). */
    static TokenCounter of(TokenCounter counter, boolean addsUp) {
        return addsUp ? addingUp(counter) : Objects.requireNonNull(counter, "counter");
    }

    /** {@code counter}, declared to add up over whitespace (see {@link #addsUp()}). */
    static TokenCounter addingUp(TokenCounter counter) {
        Objects.requireNonNull(counter, "counter");
        return new TokenCounter() {
            @Override
            public int count(String text) {
                return counter.count(text);
            }

            @Override
            public boolean addsUp() {
                return true;
            }
        };
    }
}
