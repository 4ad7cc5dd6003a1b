package dev.engram.vectors.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.vectors.VectorKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QdrantConfigTest {

    @Test
    void aPlainUrlSelectsHostPortAndNoTls() {
        QdrantConfig config = QdrantConfig.fromUrl("http://localhost:6334");

        assertThat(config.host()).isEqualTo("localhost");
        assertThat(config.port()).isEqualTo(6334);
        assertThat(config.useTls()).isFalse();
        assertThat(config.apiKey()).isNull();
        assertThat(config.timeout()).isEqualTo(QdrantConfig.DEFAULT_TIMEOUT);
        assertThat(config.collectionName(VectorKind.CHUNKS)).isEqualTo("engram_chunks");
        assertThat(config.collectionName(VectorKind.MEMORIES)).isEqualTo("engram_memories");
    }

    @Test
    void httpsSelectsTlsAndTheGrpcPortIsTheDefault() {
        QdrantConfig config = QdrantConfig.fromUrl("https://qdrant.example.com");

        assertThat(config.useTls()).isTrue();
        assertThat(config.port()).isEqualTo(QdrantConfig.DEFAULT_PORT);
        assertThat(QdrantConfig.fromUrl("qdrant:7000").port()).isEqualTo(7000);
    }

    @Test
    void settingsCanBeChangedOneAtATimeAndTheApiKeyIsNeverPrinted() {
        QdrantConfig config = QdrantConfig.fromUrl("http://q:6334")
                .withApiKey("secret-key")
                .withCollectionPrefix("prod_")
                .withTimeout(Duration.ofSeconds(3))
                .withMaxIndexedMetadataFields(0);

        assertThat(config.apiKey()).isEqualTo("secret-key");
        assertThat(config.collectionName(VectorKind.CHUNKS)).isEqualTo("prod_chunks");
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxIndexedMetadataFields()).isZero();
        assertThat(config.toString()).doesNotContain("secret-key");
        assertThat(config.withApiKey(" ").apiKey()).isNull();
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> QdrantConfig.fromUrl("ftp://q")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdrantConfig.fromUrl("http://q:6334").withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QdrantConfig.fromUrl("http://q:6334").withMaxIndexedMetadataFields(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
