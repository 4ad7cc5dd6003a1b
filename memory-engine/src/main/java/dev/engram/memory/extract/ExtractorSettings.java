package dev.engram.memory.extract;

import java.net.URI;
import java.time.Duration;

/**
 * Which extractor to build; flat, so a service maps it one-to-one from its configuration. With a base URL and a model
 * the LLM extractor is used, with neither the offline one; one without the other is a configuration mistake.
 *
 * @param baseUrl the OpenAI-compatible API root (e.g. {@code https://api.openai.com/v1}), or {@code null} for offline
 * @param model the chat model, or {@code null} (or blank) for offline
 * @param apiKey bearer key, or {@code null} for none
 * @param timeout LLM request timeout, or {@code null} for the default
 * @param maxKnown known memories shown to the LLM; negative for the default
 * @param temperature LLM sampling temperature; {@link Double#NaN} to send none
 */
public record ExtractorSettings(
        URI baseUrl, String model, String apiKey, Duration timeout, int maxKnown, double temperature) {

    public ExtractorSettings {
        model = model == null || model.isBlank() ? null : model.strip();
        if ((baseUrl == null) != (model == null)) {
            throw new IllegalArgumentException(
                    "the LLM extractor needs both a base URL and a model; set both, or neither for the offline extractor");
        }
    }

    /** No LLM: the offline extractor. */
    public static ExtractorSettings offline() {
        return new ExtractorSettings(null, null, null, null, -1, 0);
    }

    /** {@code model} at {@code baseUrl}, with defaults for the rest and temperature 0. */
    public static ExtractorSettings llm(URI baseUrl, String model) {
        return new ExtractorSettings(baseUrl, model, null, null, -1, 0);
    }

    /** These settings with a bearer key. */
    public ExtractorSettings withApiKey(String key) {
        return new ExtractorSettings(baseUrl, model, key, timeout, maxKnown, temperature);
    }

    /** Whether an LLM is configured. */
    public boolean llmConfigured() {
        return baseUrl != null;
    }

    /** Keeps the key out of logs. */
    @Override
    public String toString() {
        return "ExtractorSettings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null || apiKey.isBlank() ? "none" : "***") + ", timeout=" + timeout + ", maxKnown="
                + maxKnown + ", temperature=" + temperature + "]";
    }
}
