package dev.engram.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxRelaySettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        var settings = OutboxRelaySettings.of("relay", "writer.outbox", 42, "127.0.0.1:9092");

        assertThat(settings.batchSize()).isEqualTo(200);
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.sendTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.producer()).containsExactly(Map.entry("bootstrap.servers", "127.0.0.1:9092"));
    }

    @Test
    void tableMustBeASchemaQualifiedPlainIdentifier() {
        assertThat(OutboxInserts.checkTable("writer.outbox")).isEqualTo("writer.outbox");
        for (String bad :
                new String[] {"outbox", "a.b.c", "Writer.outbox", "writer.outbox; drop table x", "w.\"o\"", ""}) {
            assertThatThrownBy(() -> OutboxRelaySettings.of("relay", bad, 1, "127.0.0.1:9092"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void producerPropertiesNeedBootstrapServers() {
        assertThatThrownBy(() -> OutboxRelaySettings.of("relay", "writer.outbox", 1, " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap.servers");
    }

    @Test
    void sendTimeoutUnderASecondIsRejected() {
        var settings = OutboxRelaySettings.of("relay", "writer.outbox", 1, "127.0.0.1:9092");

        assertThatThrownBy(() ->
                        settings.withTimings(Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lockKeyOfANameIsStableAndDiffersBetweenTables() {
        assertThat(OutboxRelaySettings.lockKeyOf("writer.outbox"))
                .isEqualTo(OutboxRelaySettings.lockKeyOf("writer.outbox"));
        assertThat(OutboxRelaySettings.lockKeyOf("writer.outbox"))
                .isNotEqualTo(OutboxRelaySettings.lockKeyOf("ingest.outbox"));
    }
}
