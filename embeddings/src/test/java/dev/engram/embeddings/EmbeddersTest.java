package dev.engram.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddersTest {

    @Test
    void theOnnxProviderLoadsTheChosenVariant() {
        try (CloseableTextEmbedder embedder = Embedders.create(
                EmbedderConfig.onnx(MiniLmVariant.FULL).withThreads(1).withBatchSize(8))) {
            assertThat(embedder).isInstanceOf(OnnxMiniLmEmbedder.class);
            OnnxMiniLmEmbedder onnx = (OnnxMiniLmEmbedder) embedder;
            assertThat(onnx.modelId()).isEqualTo("all-minilm-l6-v2");
            assertThat(onnx.options().threads()).isEqualTo(1);
            assertThat(onnx.options().maxBatchSize()).isEqualTo(8);
        }
    }

    @Test
    void theDefaultIsTheQuantizedModelOnEveryProcessor() {
        EmbedderConfig config = EmbedderConfig.onnxDefault();

        assertThat(config.provider()).isEqualTo(EmbedderConfig.Provider.ONNX);
        assertThat(config.variant()).isEqualTo(MiniLmVariant.QUANTIZED);
        assertThat(config.threads()).isZero();
    }

    @Test
    void theOpenAiProviderCarriesEverySetting() {
        EmbedderConfig config = EmbedderConfig.openAi(URI.create("http://127.0.0.1:9/v1"), "nomic-embed-text", 768)
                .withApiKey("sk-abc")
                .withBatchSize(50)
                .withTimeout(Duration.ofSeconds(3));

        try (CloseableTextEmbedder embedder = Embedders.create(config)) {
            assertThat(embedder).isInstanceOf(OpenAiCompatibleEmbedder.class);
            OpenAiCompatibleEmbedder.Settings settings = ((OpenAiCompatibleEmbedder) embedder).settings();
            assertThat(settings.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9/v1"));
            assertThat(settings.apiKey()).isEqualTo("sk-abc");
            assertThat(settings.model()).isEqualTo("nomic-embed-text");
            assertThat(settings.dimension()).isEqualTo(768);
            assertThat(settings.maxBatchSize()).isEqualTo(50);
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void theOpenAiProviderNeedsABaseUrlAModelAndADimension() {
        assertThatThrownBy(() -> EmbedderConfig.openAi(null, "m", 3)).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> EmbedderConfig.openAi(URI.create("http://x"), " ", 3))
                .hasMessageContaining("model");
        assertThatThrownBy(() -> EmbedderConfig.openAi(URI.create("http://x"), "m", 0))
                .hasMessageContaining("dimension");
    }

    @Test
    void theKeyStaysOutOfToString() {
        EmbedderConfig config =
                EmbedderConfig.openAi(URI.create("http://x/v1"), "m", 3).withApiKey("sk-very-secret");

        assertThat(config.toString()).doesNotContain("sk-very-secret").contains("apiKey=***");
    }

    @Test
    void providersParseFromConfiguration() {
        assertThat(EmbedderConfig.Provider.parse("ONNX")).isEqualTo(EmbedderConfig.Provider.ONNX);
        assertThat(EmbedderConfig.Provider.parse("openai")).isEqualTo(EmbedderConfig.Provider.OPENAI);
        assertThatThrownBy(() -> EmbedderConfig.Provider.parse("cohere")).hasMessageContaining("'onnx' or 'openai'");
    }
}
