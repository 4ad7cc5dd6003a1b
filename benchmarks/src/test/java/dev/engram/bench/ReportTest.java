package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static final MachineLoad.Window LOAD =
            new MachineLoad.Window(Duration.ofSeconds(10), 2, OptionalDouble.of(1.9), OptionalDouble.of(0.1));

    @Test
    void theChunkLineSetsTheBaselinesCountBesideThePipelines() {
        String same = endToEnd(outcome(21_269, IngestRun.ChunkSource.REPORTED), 21_269);

        assertThat(same)
                .contains("21,269 as reported by GET /v3/documents/{id} (baseline: 21,269)")
                .doesNotContain("DIFFERENT");
    }

    @Test
    void theCompilerLineSaysWhatTheStacksJitUsedOrWhyItIsUnknown() {
        ByteArrayOutputStream known = new ByteArrayOutputStream();
        new Report(new PrintStream(known, true, StandardCharsets.UTF_8))
                .compilers(Optional.of(Map.of("memory-writer", 17.25)), Path.of("run"));
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        new Report(new PrintStream(unknown, true, StandardCharsets.UTF_8)).compilers(Optional.empty(), Path.of("run"));

        assertThat(known.toString(StandardCharsets.UTF_8))
                .isEqualTo("  JIT compilers           17.3 CPU-seconds (memory-writer 17.3)" + System.lineSeparator());
        assertThat(unknown.toString(StandardCharsets.UTF_8)).contains("unknown: no pid files in run");
    }

    @Test
    void theModelLineSetsTheModelAgainstEverythingElseTheMachineDid() {
        // 1.9 of 2 cores busy for 100 s: 190 CPU-seconds, 150 of them the model's.
        MachineLoad.Window load =
                new MachineLoad.Window(Duration.ofSeconds(100), 2, OptionalDouble.of(1.9), OptionalDouble.of(0.02));

        assertThat(printed(report -> report.model(OptionalDouble.of(150.0), load)))
                .isEqualTo("  embedding model         150.0 CPU-seconds; everything else 40.0 of the 190.0 busy"
                        + System.lineSeparator());
        assertThat(printed(report -> report.model(OptionalDouble.empty(), load)))
                .startsWith(
                        "  embedding model         unknown: memory-writer's engram_embedding_model_cpu_seconds_total");
    }

    private static String printed(java.util.function.Consumer<Report> print) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        print.accept(new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBaselineThatChunkedOtherwiseIsFlagged() {
        String different = endToEnd(outcome(21_269, IngestRun.ChunkSource.REPORTED), 17_992);

        assertThat(different).contains("(baseline: 17,992; DIFFERENT: the stack chunks otherwise");
    }

    @Test
    void anEstimateIsNotComparedWithItself() {
        String estimated = endToEnd(outcome(17_992, IngestRun.ChunkSource.ESTIMATED), 17_992);

        assertThat(estimated).contains("ESTIMATED").doesNotContain("DIFFERENT");
    }

    private static String endToEnd(IngestRun.Outcome outcome, long baselineChunks) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .endToEnd(outcome, "http://localhost:6767", baselineChunks, LOAD);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static IngestRun.Outcome outcome(long chunks, IngestRun.ChunkSource source) {
        return new IngestRun.Outcome(
                "POST /v3/documents/batch",
                3,
                3,
                0,
                0,
                0,
                Duration.ofSeconds(10),
                LatencyStats.ofNanos(new long[] {1_000_000L, 2_000_000L, 3_000_000L}),
                chunks,
                source,
                List.of(),
                Map.of());
    }
}
