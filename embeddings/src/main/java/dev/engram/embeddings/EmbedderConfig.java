package dev.engram.embeddings;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Which embedder to build and how; flat, so a service maps it one-to-one from its configuration. Fields that do not
 * apply to the chosen provider are ignored.
 *
 * @param provider {@link Provider#ONNX} (in-process, the default) or {@link Provider#OPENAI} (an OpenAI-compatible
 *     endpoint)
 * @param variant ONNX: which build of all-MiniLM-L6-v2 (default {@link MiniLmVariant#QUANTIZED})
 * @param threads ONNX: texts embedded at once, each thread on its own single-threaded session; {@code 0} for every
 *     available processor
 * @param baseUrl OpenAI: the API root, e.g. {@code https://api.openai.com/v1}
 * @param apiKey OpenAI: bearer key, or {@code null} for none
 * @param model OpenAI: model name sent with each request
 * @param dimension OpenAI: vector length the endpoint must return (ONNX: always 384)
 * @param batchSize texts per model run (ONNX) or per request (OpenAI)
 * @param timeout OpenAI: connect and request timeout
 */
public record EmbedderConfig(
        Provider provider,
        MiniLmVariant variant,
        int threads,
        URI baseUrl,
        String apiKey,
        String model,
        int dimension,
        int batchSize,
        Duration timeout) {

    /** The default ONNX variant: int8, about twice as fast as float32 at equal retrieval quality (see README). */
    public static final MiniLmVariant DEFAULT_VARIANT = MiniLmVariant.QUANTIZED;

    /** Texts per request by default for an OpenAI-compatible endpoint. */
    public static final int DEFAULT_OPENAI_BATCH_SIZE = 128;

    /** Request timeout by default for an OpenAI-compatible endpoint. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Where embeddings are computed. */
    public enum Provider {
        /** all-MiniLM-L6-v2 in-process with ONNX Runtime. */
        ONNX,
        /** An OpenAI-compatible {@code /embeddings} endpoint. */
        OPENAI;

        /**
         * Parses {@code onnx} or {@code openai}, case-insensitive.
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Provider parse(String name) {
            if (name != null) {
                switch (name.trim().toLowerCase(Locale.ROOT)) {
                    case "onnx" -> {
                        return ONNX;
                    }
                    case "openai" -> {
                        return OPENAI;
                    }
                    default -> {}
                }
            }
            throw new IllegalArgumentException(
                    "unknown embedding provider '" + name + "'; expected 'onnx' or 'openai'");
        }
    }

    public EmbedderConfig {
        Objects.requireNonNull(provider, "provider");
        variant = variant == null ? DEFAULT_VARIANT : variant;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all processors)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        if (provider == Provider.OPENAI) {
            if (baseUrl == null) {
                throw new IllegalArgumentException("baseUrl is required for the openai provider");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model is required for the openai provider");
            }
            if (dimension < 1) {
                throw new IllegalArgumentException("dimension is required for the openai provider");
            }
        }
    }

    /** The in-process model: {@code variant}, all processors, the default batch limits. */
    public static EmbedderConfig onnx(MiniLmVariant variant) {
        return new EmbedderConfig(
                Provider.ONNX, variant, 0, null, null, null, 0, OnnxMiniLmEmbedder.DEFAULT_MAX_BATCH_SIZE, null);
    }

    /** The in-process model with the default variant. */
    public static EmbedderConfig onnxDefault() {
        return onnx(DEFAULT_VARIANT);
    }

    /** An OpenAI-compatible endpoint with no key, 128 texts per request and a 30 s timeout. */
    public static EmbedderConfig openAi(URI baseUrl, String model, int dimension) {
        return new EmbedderConfig(
                Provider.OPENAI, null, 0, baseUrl, null, model, dimension, DEFAULT_OPENAI_BATCH_SIZE, DEFAULT_TIMEOUT);
    }

    /** This configuration with a bearer key. */
    public EmbedderConfig withApiKey(String key) {
        return new EmbedderConfig(provider, variant, threads, baseUrl, key, model, dimension, batchSize, timeout);
    }

    /** This configuration with another batch size. */
    public EmbedderConfig withBatchSize(int size) {
        return new EmbedderConfig(provider, variant, threads, baseUrl, apiKey, model, dimension, size, timeout);
    }

    /** This configuration with another timeout. */
    public EmbedderConfig withTimeout(Duration limit) {
        return new EmbedderConfig(provider, variant, threads, baseUrl, apiKey, model, dimension, batchSize, limit);
    }

    /** This configuration with another thread count. */
    public EmbedderConfig withThreads(int count) {
        return new EmbedderConfig(provider, variant, count, baseUrl, apiKey, model, dimension, batchSize, timeout);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "EmbedderConfig[provider=" + provider + ", variant=" + variant + ", threads=" + threads + ", baseUrl="
                + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "none" : "***") + ", model=" + model
                + ", dimension=" + dimension + ", batchSize=" + batchSize + ", timeout=" + timeout + "]";
    }
}
