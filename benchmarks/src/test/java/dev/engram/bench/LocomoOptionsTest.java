package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocomoOptionsTest {

    @Test
    void defaultsMatchTheLocalStackAndTheSharedDataFolder() throws Exception {
        LocomoOptions options = LocomoOptions.parse(new String[0], Map.of("ENGRAM_REPO", "/work/main"));

        assertThat(options.data()).isEqualTo(Path.of("/work/shared/eval-data"));
        assertThat(options.conversations()).isZero();
        assertThat(options.dbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/engram");
        assertThat(options.dbUser()).isEqualTo("postgres");
        assertThat(options.baseUrl().toString()).isEqualTo("http://localhost:6767");
        assertThat(options.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(options.await()).isEqualTo(LocomoRun.Await.QUEUED);
        assertThat(options.rawBatch()).isEqualTo(BenchmarkOptions.DEFAULT_RAW_BATCH);
        assertThat(options.toString()).doesNotContain("postgres\"").contains("dbPassword=***");
    }

    @Test
    void theEnvironmentPointsAtTheDataAndArgumentsWin() throws Exception {
        Map<String, String> env = Map.of("ENGRAM_EVAL_DATA", "/data/eval", "ENGRAM_REPO", "/elsewhere");

        assertThat(LocomoOptions.parse(new String[0], env).data()).isEqualTo(Path.of("/data/eval"));
        assertThat(LocomoOptions.parse(new String[] {"--data", "/mine", "--conversations", "2"}, env))
                .satisfies(o -> {
                    assertThat(o.data()).isEqualTo(Path.of("/mine"));
                    assertThat(o.conversations()).isEqualTo(2);
                });
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"--conversations", "-1"}, Map.of()))
                .hasMessageContaining("--conversations must be >= 0");
        assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"--run-id", "has space"}, Map.of()))
                .hasMessageContaining("--run-id");
        assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"--db-url", "postgres://x"}, Map.of()))
                .hasMessageContaining("--db-url");
        assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"--await", "done"}, Map.of()))
                .hasMessageContaining("--await takes accepted or queued");
        assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"--pace"}, Map.of()))
                .hasMessageContaining("--pace needs a value");
        assertThatThrownBy(() -> LocomoOptions.parse(new String[] {"--short", "1"}, Map.of()))
                .hasMessageContaining("unknown option --short");
    }
}
