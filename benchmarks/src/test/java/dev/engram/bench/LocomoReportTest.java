package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-made figures: 200 turns, 50 memories, 40 of 50 evidence turns covered, 10 turns/s against 100 texts/s. */
class LocomoReportTest {

    private static final LocomoScore.Coverage COVERAGE = new LocomoScore.Coverage(50, 40, 30, 20, 27);
    private static final LocomoScore.Figures ALL = new LocomoScore.Figures(
            "all",
            200,
            50,
            45,
            COVERAGE,
            new LocomoScore.Coverage(50, 38, 30, 19, 26),
            Map.of(LocomoData.Category.TEMPORAL, new LocomoScore.Coverage(10, 5, 8, 4, 6)),
            new LocomoScore.Throughput(
                    10,
                    200,
                    Duration.ofSeconds(20),
                    Duration.ofMillis(1500),
                    new LocomoScore.Drain(4, 100, Duration.ofSeconds(4))));
    private static final LocomoScore.Figures OFFLINE =
            new LocomoScore.Figures("offline", 200, 50, 45, COVERAGE, COVERAGE, Map.of(), ALL.throughput());
    private static final LocomoScore.Result SCORE = new LocomoScore.Result(
            List.of(ALL, OFFLINE),
            new LocomoScore.Jobs(Map.of("done", 10, "failed", 1), Map.of("llm down", 1), 3, 0, 2));
    private static final RawEmbeddingBenchmark.Result RAW =
            new RawEmbeddingBenchmark.Result("minilm-test", 2, 64, 200, 4000, Duration.ofSeconds(2));
    private static final LocomoReport.Header HEADER =
            new LocomoReport.Header("r1", 2, 10, 12, 200, 30, LocomoRun.Await.QUEUED);
    private static final LocomoReport.Feeding FEEDING = new LocomoReport.Feeding(
            12, 12, Duration.ofSeconds(8), Duration.ofSeconds(25), List.of("document d ended failed"));

    @Test
    void theTablePrintsAColumnPerGroupAndTheRatiosAgainstBothBaselines() {
        String text = print();

        assertThat(text)
                .contains("run r1, 2 of 10 conversations, sessions await queued")
                .contains("200 turns in 12 sessions; 30 answerable questions")
                .contains("100.0 texts/s")
                .contains("(calls of 64)")
                .contains("12 of 12 requests accepted in 8.00 s")
                .contains("! 1 job(s) failed: llm down")
                .contains("! document d ended failed")
                .contains("turns not extracted 3");
        assertThat(line(text, "memories per turn")).contains("0.25 / 0.23");
        assertThat(text.lines().filter(l -> l.strip().matches("all +offline")))
                .as("a header row names the groups")
                .hasSize(1);
        assertThat(line(text, "evidence turns covered")).matches(".*0\\.800 \\(40/50\\) +0\\.800 \\(40/50\\)");
        assertThat(line(text, "temporal")).contains("0.50 / 0.50 / 0.75 (8)").contains("-");
        assertThat(line(text, "multi-hop")).contains("-");
        assertThat(line(text, "extraction turns/s")).contains("10.0");
        assertThat(line(text, "RATIO memories per turn"))
                .contains("= 0.25")
                .contains("coverage ÷ 1.00 = 0.80")
                .contains("coverage per memory ÷ baseline's = 3.20");
        assertThat(line(text, "RATIO extraction turns/s")).contains("10.0 ÷ 100.0 = 0.10");
        assertThat(line(text, "after the last request")).contains("25.0 (4 jobs, 4.00 s)");
        assertThat(line(text, "RATIO after the last request")).contains("25.0 ÷ 100.0 = 0.25");
    }

    @Test
    void theLastLineIsTheFiguresAsJson() throws Exception {
        String[] lines = print().strip().split("\n");

        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);

        assertThat(json.path("benchmark").asText()).isEqualTo("locomo-extraction");
        assertThat(json.path("turns").asInt()).isEqualTo(200);
        assertThat(json.path("raw").path("textsPerSecond").asDouble()).isEqualTo(100.0);
        assertThat(json.path("jobs").path("failures").path("llm down").asInt()).isEqualTo(1);
        JsonNode all = json.path("groups").get(0);
        assertThat(all.path("group").asText()).isEqualTo("all");
        assertThat(all.path("coverage").path("turnShare").asDouble()).isEqualTo(0.8);
        assertThat(all.path("byCategory").path("temporal").path("anyShare").asDouble())
                .isEqualTo(0.75);
        assertThat(all.path("ratios").path("throughputVsRawEmbedder").asDouble())
                .isEqualTo(0.1);
        assertThat(all.path("ratios")
                        .path("afterFeedingThroughputVsRawEmbedder")
                        .asDouble())
                .isEqualTo(0.25);
        assertThat(all.path("ratios").path("coveragePerMemoryVsOnePerTurn").asDouble())
                .isEqualTo(3.2);
        assertThat(json.path("groups").get(1).path("group").asText()).isEqualTo("offline");
    }

    private static String print() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LocomoReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(HEADER, RAW, FEEDING, SCORE);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String text, String start) {
        return text.lines()
                .filter(l -> l.strip().startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + text));
    }
}
