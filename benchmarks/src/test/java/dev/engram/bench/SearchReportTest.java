package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchReportTest {

    private static LatencyStats millis(long... values) {
        long[] nanos = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            nanos[i] = values[i] * 1_000_000;
        }
        return LatencyStats.ofNanos(nanos);
    }

    private static SearchReport.Figures figures(Double serverTiming, LatencyStats http) {
        return new SearchReport.Figures(
                new SearchReport.Header("search-x", 10_000, 1_000, 4, 1, "all-MiniLM-L6-v2 (quantized)", 2),
                new SearchReport.Load(11_000, 110, Duration.ofSeconds(100), Duration.ofSeconds(5)),
                new SearchReport.Http(http, serverTiming, Duration.ofSeconds(2), 10, 0, List.of()),
                new SearchReport.Baseline(
                        11_000, Duration.ofSeconds(90), millis(5, 5, 6, 6), millis(1, 1, 1, 2), millis(6, 6, 7, 8)));
    }

    @Test
    void theTableShowsTheRatiosAndTheBar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SearchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .print(figures(7.5, millis(12, 12, 14, 16)));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text)
                .contains("11,000 memories in 110 POST /v4/memories in 100.00 s = 110.0 memories/s")
                .contains("p50 12.0 ms   p95 16.0 ms   p99 16.0 ms   max 16.0 ms   (n=4)")
                .contains("server timing mean 7.5 ms")
                .contains("embedding never cached")
                .contains("p50 12.0 ms ÷ 6.0 ms = 2.00   p95 16.0 ms ÷ 8.0 ms = 2.00")
                .contains("BAR HTTP p95 16.0 ms against 50.0 ms: met");
    }

    @Test
    void aSlowP95MissesTheBarAndAMissingTimingIsSaid() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SearchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .print(figures(null, millis(40, 40, 45, 60)));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("server timing mean not reported").contains("NOT met");
    }

    @Test
    void theLastLineIsTheFiguresAsJson() throws Exception {
        SearchReport.Figures figures = figures(7.5, millis(12, 12, 14, 16));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SearchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(figures);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");

        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.path("benchmark").asText()).isEqualTo("search");
        assertThat(json.path("memories").asInt()).isEqualTo(10_000);
        assertThat(json.path("load").path("memoriesPerSecond").asDouble()).isEqualTo(110.0);
        assertThat(json.path("http").path("p95Ms").asDouble()).isEqualTo(16.0);
        assertThat(json.path("http").path("queriesPerSecond").asDouble()).isEqualTo(2.0);
        assertThat(json.path("http").path("serverTimingMeanMs").asDouble()).isEqualTo(7.5);
        assertThat(json.path("baseline").path("total").path("p50Ms").asDouble()).isEqualTo(6.0);
        assertThat(json.path("ratio").path("p50").asDouble()).isEqualTo(2.0);
        assertThat(json.path("ratio").path("p95").asDouble()).isEqualTo(2.0);
        assertThat(json.path("barMet").asBoolean()).isTrue();
    }

    @Test
    void aRunWithoutLoadOrBaselineSaysSoAndHasNoRatios() throws Exception {
        SearchReport.Figures full = figures(7.5, millis(12, 12, 14, 16));
        SearchReport.Figures figures = new SearchReport.Figures(
                new SearchReport.Header("search-x", 10_000, 1_000, 4, 1, null, 0), null, full.http(), null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SearchReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(figures);
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.strip().split("\n");

        assertThat(text)
                .contains("load                      skipped")
                .contains("baseline (in process)     skipped")
                .doesNotContain("RATIO")
                .contains("BAR HTTP p95 16.0 ms against 50.0 ms: met");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.path("load").isNull()).isTrue();
        assertThat(json.path("baseline").isNull()).isTrue();
        assertThat(json.path("ratio").isNull()).isTrue();
        assertThat(json.path("http").path("p95Ms").asDouble()).isEqualTo(16.0);
    }
}
