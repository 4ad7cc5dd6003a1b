package dev.engram.memory.extract.llm;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the chat completions endpoint the {@link LlmExtractor} asks.
 *
 * @param baseUrl the API root, e.g. {@code https://api.openai.com/v1}; {@code /chat/completions} is appended
 * @param model the model name sent with each request
 * @param apiKey bearer key, or {@code null} (or blank) for an endpoint without authentication
 * @param timeout limit for connecting and for each request; {@code null} for {@link #DEFAULT_TIMEOUT}
 * @param maxKnown most known memories shown to the model (the request's first ones, the most similar); 0 shows none
 * @param temperature sampling temperature sent with each request, 0 to 2; {@link Double#NaN} to send none (for models
 *     that accept only their default)
 */
public record LlmExtractorConfig(
        URI baseUrl, String model, String apiKey, Duration timeout, int maxKnown, double temperature) {

    /** Request timeout when none is given: extraction prompts are long and answers take a while. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Known memories shown by default. */
    public static final int DEFAULT_MAX_KNOWN = 20;

    public LlmExtractorConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxKnown < 0) {
            throw new IllegalArgumentException("maxKnown must be >= 0");
        }
        if (!Double.isNaN(temperature) && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, or NaN to send none");
        }
    }

    /** {@code model} at {@code baseUrl} without a key, the default timeout and known-memory limit, temperature 0. */
    public static LlmExtractorConfig of(URI baseUrl, String model) {
        return new LlmExtractorConfig(baseUrl, model, null, DEFAULT_TIMEOUT, DEFAULT_MAX_KNOWN, 0);
    }

    /** This configuration with a bearer key. */
    public LlmExtractorConfig withApiKey(String key) {
        return new LlmExtractorConfig(baseUrl, model, key, timeout, maxKnown, temperature);
    }

    /** This configuration with another timeout. */
    public LlmExtractorConfig withTimeout(Duration limit) {
        return new LlmExtractorConfig(baseUrl, model, apiKey, limit, maxKnown, temperature);
    }

    /** This configuration with another known-memory limit. */
    public LlmExtractorConfig withMaxKnown(int limit) {
        return new LlmExtractorConfig(baseUrl, model, apiKey, timeout, limit, temperature);
    }

    /** This configuration with another temperature. */
    public LlmExtractorConfig withTemperature(double value) {
        return new LlmExtractorConfig(baseUrl, model, apiKey, timeout, maxKnown, value);
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "LlmExtractorConfig[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", timeout=" + timeout + ", maxKnown=" + maxKnown
                + ", temperature=" + temperature + "]";
    }
}
