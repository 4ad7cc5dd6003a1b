package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadRecorderTest {

    @Test
    void countsStatusesRatesAndTheLatenciesOfSuccessesOnly() {
        LoadRecorder recorder = new LoadRecorder("search");
        for (int i = 1; i <= 100; i++) {
            recorder.due();
            recorder.ended(200, i * 1_000_000L);
        }
        recorder.due();
        recorder.ended(503, 5_000_000_000L);
        recorder.due();
        recorder.ended(LoadRecorder.NOT_SENT, 0);
        recorder.due(); // still outstanding

        LoadRecorder.Summary summary = recorder.summary(10, 10);

        assertThat(summary.due()).isEqualTo(103);
        assertThat(summary.ok()).isEqualTo(100);
        assertThat(summary.errors()).isEqualTo(2);
        assertThat(summary.outstanding()).isEqualTo(1);
        assertThat(summary.byStatus()).containsExactly(Map.entry(-1, 1), Map.entry(200, 100), Map.entry(503, 1));
        assertThat(summary.latency().p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(summary.latency().max()).isEqualTo(Duration.ofMillis(100));
        assertThat(summary.sentPerSecond()).isEqualTo(10.2);
        assertThat(summary.okPerSecond()).isEqualTo(10.0);
    }

    @Test
    void aReportPassesOnlyWithoutErrorsWithTheRateHeldAndEveryDocumentDone() {
        LoadOptions options = options();
        LoadRecorder ingest = new LoadRecorder("ingest");
        LoadRecorder search = new LoadRecorder("search");
        for (int i = 0; i < 100; i++) {
            ingest.due();
            ingest.ended(200, 1_000_000);
            search.due();
            search.ended(200, 1_000_000);
        }
        LoadReport good = report(options, ingest, search, 100, Map.of("done", 100), 0);
        assertThat(good.shortfalls()).isEmpty();
        assertThat(good.passed()).isTrue();

        LoadReport stuck = report(options, ingest, search, 100, Map.of("done", 98, "embedding", 2), 2);
        assertThat(stuck.shortfalls())
                .anyMatch(s -> s.contains("98 of 100"))
                .anyMatch(s -> s.contains("still processing"));

        search.due();
        search.ended(500, 1);
        assertThat(report(options, ingest, search, 100, Map.of("done", 100), 0).shortfalls())
                .containsExactly("search: 1 errors, 0 unanswered");
    }

    @Test
    void flagsMemoryThatGrowsFromTheFirstToTheLastMinute() {
        LoadRecorder none = new LoadRecorder("x");
        LoadTrend flat = new LoadTrend(60, 100, 105, 0, 110);
        LoadTrend growing = new LoadTrend(60, 100, 150, 10, 160);
        LoadReport report = new LoadReport(
                options(),
                10,
                none.summary(10, 0),
                none.summary(10, 0),
                0,
                Map.of(),
                0,
                0,
                0,
                Duration.ZERO,
                Map.of("ingest-service", flat, "memory-writer", growing),
                Map.of("ingest-service", growing),
                "");

        assertThat(report.growing())
                .containsExactlyInAnyOrder("memory-writer RSS x1.50", "ingest-service old gen x1.50");
        assertThat(report.json()).contains("\"passed\":true");
    }

    private static LoadOptions options() {
        try {
            return LoadOptions.parse(new String[] {"--run-id", "t"}, Map.of());
        } catch (BenchmarkOptions.HelpRequested e) {
            throw new AssertionError(e);
        }
    }

    private static LoadReport report(
            LoadOptions options,
            LoadRecorder ingest,
            LoadRecorder search,
            int accepted,
            Map<String, Integer> outcomes,
            int left) {
        return new LoadReport(
                options,
                10,
                ingest.summary(10, 10),
                search.summary(10, 10),
                accepted,
                outcomes,
                0,
                0,
                left,
                Duration.ofSeconds(1),
                Map.of(),
                Map.of(),
                List.of().toString());
    }
}
