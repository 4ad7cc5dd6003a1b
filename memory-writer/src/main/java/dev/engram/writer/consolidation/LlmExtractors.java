package dev.engram.writer.consolidation;

import dev.engram.memory.extract.MemoryExtractor;
import dev.engram.memory.extract.llm.LlmExtractor;
import dev.engram.memory.extract.llm.LlmExtractorConfig;
import dev.engram.writer.config.WriterConfig;
import java.net.URI;

/** Builds the LLM extractor from {@code writer.extraction.llm.*}. */
final class LlmExtractors {

    private LlmExtractors() {}

    static MemoryExtractor create(WriterConfig.Extraction extraction) {
        WriterConfig.Extraction.Llm llm = extraction.llm();
        LlmExtractorConfig settings = LlmExtractorConfig.of(
                        URI.create(llm.baseUrl().orElseThrow()), llm.model().orElseThrow())
                .withTimeout(llm.timeout())
                .withMaxKnown(Math.max(1, extraction.maxKnown()));
        if (llm.apiKey().isPresent()) {
            settings = settings.withApiKey(llm.apiKey().get());
        }
        return new LlmExtractor(settings);
    }
}
