package dev.engram.writer.consolidation;

import dev.engram.memory.extract.MemoryExtractor;
import dev.engram.memory.extract.offline.OfflineExtractor;
import dev.engram.writer.config.WriterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Chooses the memory extractor from {@code writer.extraction.*}: the LLM when asked for (or, with {@code auto}, when
 * a base URL and model are configured), else the deterministic offline extractor, so the local stack works with
 * nothing external.
 */
@ApplicationScoped
public class ExtractorProducer {

    private static final Logger LOG = Logger.getLogger(ExtractorProducer.class);

    @Inject
    WriterConfig config;

    @Produces
    @ApplicationScoped
    MemoryExtractor extractor() {
        WriterConfig.Extraction extraction = config.extraction();
        boolean llmConfigured = extraction.llm().baseUrl().isPresent()
                && extraction.llm().model().isPresent();
        String choice = extraction.extractor().strip().toLowerCase(java.util.Locale.ROOT);
        MemoryExtractor extractor = switch (choice) {
            case "offline" -> new OfflineExtractor();
            case "llm" -> {
                if (!llmConfigured) {
                    throw new IllegalStateException(
                            "writer.extraction.extractor=llm needs writer.extraction.llm.base-url"
                                    + " and writer.extraction.llm.model");
                }
                yield LlmExtractors.create(extraction);
            }
            case "auto" -> llmConfigured ? LlmExtractors.create(extraction) : new OfflineExtractor();
            default ->
                throw new IllegalStateException(
                        "writer.extraction.extractor must be auto, llm or offline, not '" + choice + "'");
        };
        LOG.infof("memory extractor: %s", extractor.name());
        return extractor;
    }

    void close(@Disposes MemoryExtractor extractor) {
        extractor.close();
    }
}
