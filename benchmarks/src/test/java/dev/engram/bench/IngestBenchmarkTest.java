package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestBenchmarkTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return IngestBenchmark.run(
                args,
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void failsFastAndSaysWhatToDoWhenTheStackIsNotRunning() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        long started = System.nanoTime();

        int status = run("--base-url", "http://127.0.0.1:" + closedPort);

        assertThat(status).isEqualTo(IngestBenchmark.UNUSABLE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Engram is not reachable at http://127.0.0.1:" + closedPort)
                .contains("./engram up");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void failsFastWhenTheKeyIsRejected() {
        try (FakeEngram engram = new FakeEngram()) {
            int status = run("--base-url", engram.baseUrl().toString(), "--api-key", "wrong");

            assertThat(status).isEqualTo(IngestBenchmark.UNUSABLE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("rejected the API key (HTTP 401)");
        }
    }

    @Test
    void aSmallRunPrintsBothPhasesAndTheRatio() {
        try (FakeEngram engram = new FakeEngram()) {
            engram.processingMillis = 100;

            int status = run(
                    "--base-url",
                    engram.baseUrl().toString(),
                    "--short",
                    "30",
                    "--long",
                    "1",
                    "--threads",
                    "1",
                    "--poll",
                    "50ms",
                    "--run-id",
                    "small",
                    "--warm-up",
                    "0",
                    "--settle",
                    "0");

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(report + err).isEqualTo(IngestBenchmark.OK);
            assertThat(report)
                    .contains("30 short + 1 long documents")
                    .contains("raw embedder              all-minilm-l6-v2-q, 1 threads")
                    .contains("31 done, 0 failed, 0 rejected, 0 timed out, of 31")
                    .contains("35 as reported by GET /v3/documents/{id}")
                    .contains("time to done            p50")
                    .containsPattern("RATIO .* = \\d+\\.\\d{2} +\\(goal ≥ 0\\.80: (met|NOT met)\\)")
                    .contains("machine settle            skipped (--settle 0)")
                    .containsPattern(
                            "\\n  machine                 (other processes \\d+\\.\\d{2} of \\d+ cores|unknown)")
                    .containsPattern("\\n  machine                 (\\d+\\.\\d{2} of \\d+ cores busy|unknown)")
                    .doesNotContain("warm-up");
        }
    }

    @Test
    void theWarmUpPostsAnotherCorpusUnderItsOwnIdsFirstAndIsNotCounted() {
        try (FakeEngram engram = new FakeEngram()) {
            engram.processingMillis = 20;

            int status = run(
                    "--base-url",
                    engram.baseUrl().toString(),
                    "--short",
                    "20",
                    "--long",
                    "1",
                    "--threads",
                    "1",
                    "--poll",
                    "50ms",
                    "--run-id",
                    "warm",
                    "--warm-up",
                    "10",
                    "--settle",
                    "0");

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(report + err).isEqualTo(IngestBenchmark.OK);
            // Round 1: the 10 documents asked for; round 2: a tenth of them (one), from the next seed, under ids of its
            // own.
            assertThat(engram.customIds())
                    .hasSize(32)
                    .filteredOn(id -> id.startsWith("warm-warmup-"))
                    .hasSize(10)
                    .contains("warm-warmup-l00000");
            assertThat(engram.customIds())
                    .filteredOn(id -> id.startsWith("warm-warmup2-"))
                    .containsExactly("warm-warmup2-l00000");
            // The warm-up queues memory extraction (which would outlast it) for one document in ten only, the first of
            // each round here; the measured corpus is sent as is.
            assertThat(engram.taskTypes())
                    .allSatisfy((customId, taskType) -> assertThat(taskType)
                            .as(customId)
                            .isEqualTo(
                                    customId.startsWith("warm-warmup")
                                                    && !Set.of("warm-warmup-s00000", "warm-warmup2-l00000")
                                                            .contains(customId)
                                            ? "superrag"
                                            : "(none)"));
            assertThat(report)
                    .contains("warm-up                   10 documents sent first (seed 43, ids warm-warmup-…), 10 done")
                    .contains("warm-up, round 2          1 documents once the machine was quiet (seed 44, ids"
                            + " warm-warmup2-…), 1 done")
                    .contains("21 done, 0 failed, 0 rejected, 0 timed out, of 21");
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("warm-up: 10 of 10 documents done in")
                    .contains("warming the stack up, round 2, with 1 documents (1 long, not counted)");
        }
    }

    @Test
    void aFailedDocumentMakesTheExitStatusNonZero() {
        try (FakeEngram engram = new FakeEngram()) {
            engram.processingMillis = 50;
            engram.failSuffix = "s00002";

            int status = run(
                    "--base-url",
                    engram.baseUrl().toString(),
                    "--short",
                    "5",
                    "--long",
                    "0",
                    "--threads",
                    "1",
                    "--poll",
                    "50ms",
                    "--run-id",
                    "fail",
                    "--warm-up",
                    "0",
                    "--settle",
                    "0");

            assertThat(status).isEqualTo(IngestBenchmark.INCOMPLETE);
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("1 failed")
                    .contains("! fail-s00002: failed");
        }
    }

    @Test
    void badOptionsExitWithUsageStatus() {
        assertThat(run("--short", "many")).isEqualTo(IngestBenchmark.UNUSABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--short takes a number");
    }

    @Test
    void helpPrintsTheOptions() {
        assertThat(run("--help")).isEqualTo(IngestBenchmark.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--short N").contains("--raw-only");
    }
}
