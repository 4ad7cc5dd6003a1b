package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.embeddings.MiniLmVariant;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

    @Test
    void defaultsMatchTheLocalStack() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[0], Map.of());

        assertThat(options.baseUrl()).isEqualTo(URI.create("http://localhost:6767"));
        assertThat(options.apiKey()).isEqualTo("engram-dev-key");
        assertThat(options.shortDocuments()).isEqualTo(10_000);
        assertThat(options.longDocuments()).isEqualTo(300);
        assertThat(options.variant()).isEqualTo(MiniLmVariant.QUANTIZED);
        assertThat(options.batchSize()).isEqualTo(600);
        assertThat(options.chunkTokens()).isEqualTo(240);
        assertThat(options.runId()).startsWith("bench-");
        assertThat(options.rawOnly()).isFalse();
        assertThat(options.warmUpDocuments()).isEqualTo(10_300);
        assertThat(options.settle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.rawBatch()).isEqualTo(1024);
        assertThat(options.runDir()).isEqualTo(Path.of(".engram", "run"));
    }

    @Test
    void thePidFilesAreInTheStacksHomeUnlessNamed() throws Exception {
        assertThat(BenchmarkOptions.parse(new String[0], Map.of("ENGRAM_HOME", "/srv/engram"))
                        .runDir())
                .isEqualTo(Path.of("/srv/engram/run"));
        assertThat(BenchmarkOptions.parse(new String[] {"--run-dir", "/tmp/x/run"}, Map.of("ENGRAM_HOME", "/srv"))
                        .runDir())
                .isEqualTo(Path.of("/tmp/x/run"));
    }

    @Test
    void theWarmUpIsAsLargeAsTheMeasuredCorpusUnlessSet() throws Exception {
        assertThat(BenchmarkOptions.parse(new String[] {"--short", "2000", "--long", "50"}, Map.of())
                        .warmUpDocuments())
                .isEqualTo(2_050);
        assertThat(BenchmarkOptions.parse(new String[] {"--short", "2000", "--warm-up", "300"}, Map.of())
                        .warmUpDocuments())
                .isEqualTo(300);
    }

    @Test
    void warmUpAndSettleCanBeSwitchedOff() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--warm-up", "0", "--settle", "0"}, Map.of());
        BenchmarkOptions longer = BenchmarkOptions.parse(new String[] {"--settle", "90s"}, Map.of());

        assertThat(options.warmUpDocuments()).isZero();
        assertThat(options.settle()).isZero();
        assertThat(longer.settle()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void theEnvironmentSetsTheStackAndArgumentsWin() throws Exception {
        Map<String, String> env = Map.of("ENGRAM_BASE_URL", "http://engram:8080", "ENGRAM_API_KEY", "from-env");

        BenchmarkOptions fromEnv = BenchmarkOptions.parse(new String[0], env);
        BenchmarkOptions fromArgs = BenchmarkOptions.parse(new String[] {"--api-key", "from-args"}, env);

        assertThat(fromEnv.baseUrl()).isEqualTo(URI.create("http://engram:8080"));
        assertThat(fromEnv.apiKey()).isEqualTo("from-env");
        assertThat(fromArgs.apiKey()).isEqualTo("from-args");
    }

    @Test
    void parsesAQuickRun() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(
                new String[] {
                    "--short",
                    "2000",
                    "--long",
                    "50",
                    "--variant",
                    "full",
                    "--timeout",
                    "5m",
                    "--poll",
                    "250ms",
                    "--raw-only"
                },
                Map.of());

        assertThat(options.shortDocuments()).isEqualTo(2_000);
        assertThat(options.longDocuments()).isEqualTo(50);
        assertThat(options.variant()).isEqualTo(MiniLmVariant.FULL);
        assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(options.rawOnly()).isTrue();
    }

    @Test
    void durationsComeInTheUsualForms() {
        assertThat(BenchmarkOptions.duration("--t", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchmarkOptions.duration("--t", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(BenchmarkOptions.duration("--t", "PT20M")).isEqualTo(Duration.ofMinutes(20));
        assertThatThrownBy(() -> BenchmarkOptions.duration("--timeout", "soon"))
                .hasMessageContaining("--timeout takes a duration");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--short", "-1"}, Map.of()))
                .hasMessageContaining("--short must be >= 0");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--long"}, Map.of()))
                .hasMessageContaining("--long needs a value");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--batch-size", "601"}, Map.of()))
                .hasMessageContaining("at most 600");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--frobnicate", "1"}, Map.of()))
                .hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--short", "0", "--long", "0"}, Map.of()))
                .hasMessageContaining("nothing to measure");
        assertThatThrownBy(() -> BenchmarkOptions.parse(
                        new String[] {"--chunk-tokens", "64", "--overlap-tokens", "33"}, Map.of()))
                .hasMessageContaining("--overlap-tokens at most half of it");
    }

    @Test
    void theKeyStaysOutOfToString() throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--api-key", "s3cret"}, Map.of());

        assertThat(options.toString()).doesNotContain("s3cret");
    }
}
