package dev.engram.memory.extract;

import dev.engram.memory.extract.llm.LlmExtractor;
import dev.engram.memory.extract.llm.LlmExtractorConfig;
import dev.engram.memory.extract.offline.OfflineExtractor;

/** Builds the extractor {@link ExtractorSettings} describe. */
public final class MemoryExtractors {

    private MemoryExtractors() {}

    /**
     * The {@link LlmExtractor} when an LLM is configured, else the {@link OfflineExtractor}. The caller owns the result
     * and closes it.
     *
     * @throws IllegalArgumentException if the LLM settings are invalid (not an http(s) URL, a negative timeout...)
     */
    public static MemoryExtractor create(ExtractorSettings settings) {
        if (!settings.llmConfigured()) {
            return new OfflineExtractor();
        }
        return new LlmExtractor(new LlmExtractorConfig(
                settings.baseUrl(),
                settings.model(),
                settings.apiKey(),
                settings.timeout(),
                settings.maxKnown() < 0 ? LlmExtractorConfig.DEFAULT_MAX_KNOWN : settings.maxKnown(),
                settings.temperature()));
    }
}
