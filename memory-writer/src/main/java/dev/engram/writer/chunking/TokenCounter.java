package dev.engram.writer.chunking;

/**
 * Counts the tokens a text becomes for the embedding model, so chunks can be sized in the model's own units. The real
 * implementation is the embedding model's tokenizer; it should count word pieces without the special tokens the
 * model adds around every input.
 */
@FunctionalInterface
public interface TokenCounter {

    /** Tokens in the text; 0 for an empty text. */
    int count(String text);
}
