package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsHoldTwentyDocumentsAndFiftySearchesASecondForFiveMinutes() throws Exception {
        LoadOptions options = LoadOptions.parse(new String[0], Map.of("ENGRAM_HOME", "/tmp/e"));

        assertThat(options.ingestRate()).isEqualTo(20);
        assertThat(options.searchRate()).isEqualTo(50);
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.warmUp()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.runDir()).isEqualTo(Path.of("/tmp/e/run"));
        assertThat(options.runId()).startsWith("load-");
    }

    @Test
    void readsEveryOption() throws Exception {
        LoadOptions options = LoadOptions.parse(
                new String[] {
                    "--ingest-rate",
                    "5.5",
                    "--search-rate",
                    "0",
                    "--duration",
                    "2m",
                    "--warm-up",
                    "0",
                    "--sample",
                    "1s",
                    "--drain",
                    "30s",
                    "--max-in-flight",
                    "16",
                    "--tags",
                    "3",
                    "--run-id",
                    "x",
                    "--run-dir",
                    "/r",
                    "--api-key",
                    "k",
                    "--base-url",
                    "http://127.0.0.1:1"
                },
                Map.of());

        assertThat(options.ingestRate()).isEqualTo(5.5);
        assertThat(options.searchRate()).isZero();
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.warmUp()).isZero();
        assertThat(options.sampleEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.drain()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxInFlight()).isEqualTo(16);
        assertThat(options.containerTags()).isEqualTo(3);
        assertThat(options.runDir()).isEqualTo(Path.of("/r"));
        assertThat(options.toString()).doesNotContain("k,").contains("apiKey=***");
    }

    @Test
    void refusesNothingToSendAndBadValues() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--ingest-rate", "0", "--search-rate", "0"}, Map.of()))
                .hasMessageContaining("nothing to send");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--ingest-rate", "-1"}, Map.of()))
                .hasMessageContaining("--ingest-rate");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--duration", "soon"}, Map.of()))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--frobnicate", "1"}, Map.of()))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--tags"}, Map.of()))
                .hasMessageContaining("needs a value");
    }

    @Test
    void helpIsAskedFor() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--help"}, Map.of()))
                .isInstanceOf(BenchmarkOptions.HelpRequested.class);
    }
}
