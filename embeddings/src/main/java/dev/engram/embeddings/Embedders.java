package dev.engram.embeddings;

/** Builds the embedder an {@link EmbedderConfig} describes. */
public final class Embedders {

    private Embedders() {}

    /**
     * Builds and, for ONNX, loads the model (about a second). The caller owns the result and closes it.
     *
     * @throws IllegalStateException if the ONNX model cannot be loaded (for instance its artifact is missing)
     */
    public static CloseableTextEmbedder create(EmbedderConfig config) {
        return switch (config.provider()) {
            case ONNX ->
                OnnxMiniLmEmbedder.create(OnnxMiniLmEmbedder.Options.defaults(config.variant())
                        .withThreads(config.threads())
                        .withBatchLimits(config.batchSize(), OnnxMiniLmEmbedder.DEFAULT_MAX_BATCH_TOKENS));
            case OPENAI ->
                new OpenAiCompatibleEmbedder(new OpenAiCompatibleEmbedder.Settings(
                        config.baseUrl(),
                        config.apiKey(),
                        config.model(),
                        config.dimension(),
                        config.batchSize(),
                        config.timeout(),
                        null));
        };
    }
}
