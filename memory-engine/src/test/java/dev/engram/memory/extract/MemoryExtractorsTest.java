package dev.engram.memory.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.memory.extract.llm.LlmExtractor;
import dev.engram.memory.extract.llm.LlmExtractorConfig;
import dev.engram.memory.extract.offline.OfflineExtractor;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemoryExtractorsTest {

    private static final URI BASE = URI.create("http://127.0.0.1:9/v1");

    @Test
    void withoutAnLlmTheOfflineExtractorIsUsed() {
        try (MemoryExtractor extractor = MemoryExtractors.create(ExtractorSettings.offline())) {
            assertThat(extractor).isInstanceOf(OfflineExtractor.class);
            assertThat(extractor.name()).isEqualTo("offline");
        }
    }

    @Test
    void withABaseUrlAndAModelTheLlmExtractorIsUsedWithDefaultsFilledIn() {
        try (MemoryExtractor extractor = MemoryExtractors.create(ExtractorSettings.llm(BASE, "gpt-test"))) {
            assertThat(extractor).isInstanceOf(LlmExtractor.class);
            assertThat(extractor.name()).isEqualTo("llm");
            LlmExtractorConfig config = ((LlmExtractor) extractor).config();
            assertThat(config.model()).isEqualTo("gpt-test");
            assertThat(config.maxKnown()).isEqualTo(LlmExtractorConfig.DEFAULT_MAX_KNOWN);
            assertThat(config.timeout()).isEqualTo(LlmExtractorConfig.DEFAULT_TIMEOUT);
            assertThat(config.apiKey()).isNull();
        }
    }

    @Test
    void explicitSettingsReachTheLlmConfig() {
        ExtractorSettings settings =
                new ExtractorSettings(BASE, " gpt-test ", "sk-secret", Duration.ofSeconds(5), 3, 0.2);

        try (LlmExtractor extractor = (LlmExtractor) MemoryExtractors.create(settings)) {
            assertThat(extractor.config())
                    .isEqualTo(new LlmExtractorConfig(BASE, "gpt-test", "sk-secret", Duration.ofSeconds(5), 3, 0.2));
        }
        assertThat(settings.toString()).doesNotContain("sk-secret");
    }

    @Test
    void halfAnLlmConfigurationIsRejectedRatherThanSilentlyOffline() {
        assertThatThrownBy(() -> new ExtractorSettings(BASE, " ", null, null, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExtractorSettings(null, "gpt-test", null, null, -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidLlmSettingsAreRejected() {
        assertThatThrownBy(() -> MemoryExtractors.create(ExtractorSettings.llm(URI.create("ftp://host/v1"), "m")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LlmExtractorConfig.of(BASE, "m").withTemperature(3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LlmExtractorConfig.of(BASE, "m").withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LlmExtractorConfig.of(BASE, "m").withMaxKnown(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
