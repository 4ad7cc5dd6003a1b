package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.embeddings.MiniLmVariant;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchOptionsTest {

    @Test
    void defaultsMatchTheIssue() throws Exception {
        SearchOptions options = SearchOptions.parse(new String[0], Map.of());

        assertThat(options.baseUrl()).isEqualTo(URI.create("http://localhost:6767"));
        assertThat(options.apiKey()).isEqualTo("engram-dev-key");
        assertThat(options.memories()).isEqualTo(10_000);
        assertThat(options.otherMemories()).isEqualTo(1_000);
        assertThat(options.queries()).isEqualTo(500);
        assertThat(options.warmUp()).isEqualTo(500);
        assertThat(options.concurrency()).isEqualTo(1);
        assertThat(options.variant()).isEqualTo(MiniLmVariant.QUANTIZED);
        assertThat(options.runId()).startsWith("search-");
        assertThat(options.searchedTag()).isNotEqualTo(options.otherTag());
        assertThat(options.load()).isTrue();
        assertThat(options.baseline()).isTrue();
    }

    @Test
    void anEarlierRunsTagsCanBeSearchedAgainWithoutLoadingOrBaseline() throws Exception {
        SearchOptions options = SearchOptions.parse(
                new String[] {"--load", "skip", "--run-id", "s100", "--baseline", "skip"}, Map.of());

        assertThat(options.load()).isFalse();
        assertThat(options.baseline()).isFalse();
        assertThat(options.searchedTag()).isEqualTo("s100-a");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--load", "skip"}, Map.of()))
                .hasMessageContaining("--run-id");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--load", "maybe"}, Map.of()))
                .hasMessageContaining("--load must be fresh or skip");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--baseline", "no"}, Map.of()))
                .hasMessageContaining("--baseline must be run or skip");
    }

    @Test
    void argumentsOverrideDefaultsAndTheEnvironment() throws Exception {
        SearchOptions options = SearchOptions.parse(
                new String[] {
                    "--memories",
                    "5000",
                    "--queries",
                    "200",
                    "--concurrency",
                    "8",
                    "--warm-up",
                    "0",
                    "--run-id",
                    "r1",
                    "--api-key",
                    "k"
                },
                Map.of("ENGRAM_BASE_URL", "http://engram:8080", "ENGRAM_API_KEY", "from-env"));

        assertThat(options.baseUrl()).isEqualTo(URI.create("http://engram:8080"));
        assertThat(options.apiKey()).isEqualTo("k");
        assertThat(options.memories()).isEqualTo(5_000);
        assertThat(options.otherMemories()).isEqualTo(500);
        assertThat(options.queries()).isEqualTo(200);
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.warmUp()).isZero();
        assertThat(options.searchedTag()).isEqualTo("r1-a");
        assertThat(options.otherTag()).isEqualTo("r1-b");
        assertThat(options.toString()).doesNotContain("k,").contains("apiKey=***");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--memories", "0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--memories");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--queries", "x"}, Map.of()))
                .hasMessageContaining("--queries");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--concurrency"}, Map.of()))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--bogus", "1"}, Map.of()))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--base-url", "ftp://x"}, Map.of()))
                .hasMessageContaining("--base-url");
        assertThatThrownBy(() -> SearchOptions.parse(new String[] {"--help"}, Map.of()))
                .isInstanceOf(BenchmarkOptions.HelpRequested.class);
    }

    @Test
    void queryTextsAreDistinctDeterministicAndNeverAMemory() {
        List<String> memories = SearchBenchmark.memoryTexts(42, 2_000);
        List<String> queries = SearchBenchmark.queryTexts(42, 550, new HashSet<>(memories));

        assertThat(new HashSet<>(memories)).hasSize(2_000);
        assertThat(new HashSet<>(queries)).hasSize(550).doesNotContainAnyElementsOf(memories);
        assertThat(SearchBenchmark.queryTexts(42, 550, new HashSet<>(memories))).isEqualTo(queries);
        assertThat(SearchBenchmark.memoryTexts(42, 100)).isEqualTo(memories.subList(0, 100));
    }
}
