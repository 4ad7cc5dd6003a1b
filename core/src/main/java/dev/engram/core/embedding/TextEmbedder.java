package dev.engram.core.embedding;

import java.util.List;

/**
 * Turns texts into embeddings. Implementations: the in-process ONNX model shipped in a Maven artifact (default) and
 * an OpenAI-compatible embeddings endpoint. Vectors are L2-normalised, so a dot product is the cosine similarity.
 */
public interface TextEmbedder {

    /** A stable name of the model, recorded with the vectors it made (e.g. {@code all-minilm-l6-v2}). */
    String modelId();

    /** Length of every vector this embedder returns. */
    int dimension();

    /**
     * Embeds a batch; the result has one vector per text, in order.
     *
     * @throws EmbeddingException if the model or endpoint fails; its {@link EmbeddingException#retriable()} says
     *     whether trying again may help
     */
    List<float[]> embed(List<String> texts);

    /**
     * Embeds a search query, to be compared with vectors {@link #embed} made of passages. Models trained with an
     * instruction for queries (e.g. bge's) add it here; by default a query embeds like any text.
     *
     * @throws EmbeddingException as {@link #embed}
     */
    default float[] embedQuery(String query) {
        return embed(List.of(query)).get(0);
    }

    /**
     * The 0..1 similarity a cosine between this model's vectors stands for, on one scale for every model, so that
     * thresholds ({@code threshold}, {@code chunkThreshold}, forget-matching's) mean the same whichever model is
     * configured. By default the cosine itself, clamped (all-MiniLM-L6-v2's scale: unrelated texts near 0.2,
     * related ones near 0.4 and above); models whose cosines crowd into a narrow band (e5's: 0.72–0.9) stretch it.
     */
    default double similarity(double cosine) {
        return Double.isNaN(cosine) ? 0.0 : Math.max(0.0, Math.min(1.0, cosine));
    }

    /** Number of model tokens in {@code text}, as the model counts them (for token-sized chunking). */
    int countTokens(String text);

    /**
     * Whether {@link #countTokens} adds up over whitespace: {@code countTokens(a + w + b) == countTokens(a) +
     * countTokens(b)} for any texts {@code a}, {@code b} and whitespace {@code w}. True of BERT WordPiece tokenizers,
     * which split text at whitespace before any sub-word splitting; it lets chunking add up the counts of pieces instead
     * of counting every joined text again. False unless an implementation knows better.
     */
    default boolean countsAddUp() {
        return false;
    }
}
