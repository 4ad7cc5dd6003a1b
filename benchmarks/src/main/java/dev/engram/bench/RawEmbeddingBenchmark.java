package dev.engram.bench;

import dev.engram.embeddings.OnnxMiniLmEmbedder;
import java.time.Duration;
import java.util.List;

/** The baseline: the embedding model alone, in this process, on the texts the pipeline will embed. */
final class RawEmbeddingBenchmark {

    /** Texts embedded untimed first, so class loading and ONNX Runtime's first-run work are not counted. */
    static final int WARM_UP_TEXTS = 64;

    /**
     * What the model did.
     *
     * @param modelId the model and variant
     * @param threads texts embedded at once, one single-threaded ONNX Runtime session each
     * @param batchSize texts per embed call
     * @param texts texts embedded (timed)
     * @param tokens model input tokens of those texts, as the model read them (truncated, markers excluded)
     * @param elapsed wall-clock time of the timed part
     */
    record Result(String modelId, int threads, int batchSize, int texts, long tokens, Duration elapsed) {

        double textsPerSecond() {
            return texts / seconds(elapsed);
        }

        double tokensPerSecond() {
            return tokens / seconds(elapsed);
        }
    }

    private RawEmbeddingBenchmark() {}

    /** Embeds {@code texts} in calls of {@code batchSize}, after a short untimed warm-up. */
    static Result run(OnnxMiniLmEmbedder embedder, List<String> texts, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1");
        }
        long tokens = 0;
        for (String text : texts) {
            tokens += Math.min(embedder.countTokens(text), embedder.maxInputTokens());
        }
        embedder.embed(texts.subList(0, Math.min(WARM_UP_TEXTS, texts.size())));
        long started = System.nanoTime();
        for (int from = 0; from < texts.size(); from += batchSize) {
            embedder.embed(texts.subList(from, Math.min(texts.size(), from + batchSize)));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Result(
                embedder.modelId(), embedder.options().effectiveThreads(), batchSize, texts.size(), tokens, elapsed);
    }

    static double seconds(Duration duration) {
        return Math.max(duration.toNanos(), 1) / 1e9;
    }
}
