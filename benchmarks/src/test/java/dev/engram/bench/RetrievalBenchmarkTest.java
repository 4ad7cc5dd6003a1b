package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest and ask end to end against {@link FakeEngram}, which ranks a tag's documents by the words they share with the
 * question, on a made-up conversation.
 */
class RetrievalBenchmarkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeEngram engram = new FakeEngram();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path data;

    @BeforeEach
    void writeData() throws IOException {
        engram.processingMillis = 100;
        Files.createDirectories(data.resolve("jobs"));
        Files.write(
                data.resolve(LocomoData.DOCUMENTS),
                List.of(
                        LocomoDataTest.turnLine("c-1", 1, 1, "Ann", "I adopted Pixel"),
                        LocomoDataTest.turnLine("c-1", 1, 2, "Bob", "went hiking"),
                        LocomoDataTest.turnLine("c-1", 1, 3, "Ann", "rainy weather"),
                        LocomoDataTest.turnLine("c-1", 2, 1, "Bob", "sister bakes sourdough"),
                        LocomoDataTest.turnLine("c-1", 2, 2, "Ann", "Pixel likes sourdough"),
                        LocomoDataTest.turnLine("c-2", 1, 1, "Cy", "Pixel sails")));
        Files.write(
                data.resolve(LocomoData.QUERIES),
                List.of(
                        question("c-1_q0", 4, "pixel adopted", "c-1_D1-1"),
                        question("c-1_q1", 1, "sourdough hiking", "c-1_D1-2", "c-1_D2-1"),
                        question("c-1_q2", 2, "rainy weather", "c-1_D2-1"),
                        question("c-1_q3", 2, "when", "c-1_D9-9"),
                        question("c-1_q4", 2, "no evidence"),
                        question("c-1_q5", 5, "adversarial", "c-1_D1-1"),
                        question("c-2_q0", 4, "pixel", "c-2_D1-1")));
    }

    @AfterEach
    void stop() {
        engram.close();
    }

    private int run(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--base-url",
                engram.baseUrl().toString(),
                "--data",
                data.toString(),
                "--run-id",
                "t",
                "--poll",
                "50ms"));
        args.addAll(List.of(extra));
        return RetrievalBenchmark.run(
                args.toArray(String[]::new),
                Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void addsEveryTurnAsksEveryQuestionInItsTagAndScoresTheRanking() throws IOException {
        int status = run("--conversations", "1", "--modes", "hybrid");

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(engram.customIds())
                .containsExactlyInAnyOrder("t-c-1-D1:1", "t-c-1-D1:2", "t-c-1-D1:3", "t-c-1-D2:1", "t-c-1-D2:2");
        assertThat(engram.searches).hasSize(3);
        JsonNode search = engram.searches.getFirst();
        assertThat(search.path("q").asText()).isEqualTo("pixel adopted");
        assertThat(search.path("containerTags").toString()).isEqualTo("[\"t-conv0\"]");
        assertThat(search.path("limit").asInt()).isEqualTo(10);
        assertThat(search.path("chunkThreshold").asDouble()).isZero();
        assertThat(search.path("onlyMatchingChunks").asBoolean()).isTrue();
        assertThat(search.path("retrieval").asText()).isEqualTo("hybrid");
        assertThat(report).contains("3 asked", "2 excluded", "c-1_q3: no evidence turn", "c-1_q4: no evidence");

        // q0: D1:1 first. q1: D1:2, D2:1 and D2:2 share one word each, in that order: both evidence turns in the
        // top 2. q2: only D1:3 shares a word, and the evidence D2:1 is not found.
        JsonNode json = JSON.readTree(report.lines().toList().getLast());
        JsonNode overall = json.path("modes").path("hybrid").path("overall");
        assertThat(overall.path("n").asInt()).isEqualTo(3);
        assertThat(overall.path("recallAny1").asDouble()).isEqualTo(0.6667);
        assertThat(overall.path("recallAll5").asDouble()).isEqualTo(0.6667);
        assertThat(overall.path("mrr").asDouble()).isEqualTo(0.6667);
        assertThat(json.path("modes")
                        .path("hybrid")
                        .path("temporal")
                        .path("recallAny10")
                        .asDouble())
                .isZero();
        assertThat(json.path("modes")
                        .path("hybrid")
                        .path("multi-hop")
                        .path("ndcg10")
                        .asDouble())
                .isEqualTo(1.0);
        assertThat(report).containsPattern("hybrid +multi-hop +1 +1\\.000");
        assertThat(report).containsPattern("overall +3 +0\\.667");
        assertThat(report).contains("latency  hybrid");
    }

    @Test
    void aModeTheStackRefusesIsReportedUnavailableAndTheOthersStillRun() {
        engram.rejectedRetrieval = "lexical";

        int status = run("--modes", "lexical,dense");

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(IngestBenchmark.INCOMPLETE);
        assertThat(report).contains("lexical  unavailable: POST /v3/search answered HTTP 400");
        assertThat(report).containsPattern("dense +multi-hop +1 ").containsPattern("single-hop +2 +1\\.000");
        assertThat(engram.searches.stream()
                        .filter(s -> s.path("retrieval").asText().equals("dense")))
                .hasSize(4);
        assertThat(engram.searches.stream()
                        .filter(s -> s.path("containerTags").path(0).asText().equals("t-conv1")))
                .as("c-2's question is asked in c-2's tag")
                .isNotEmpty();
    }

    @Test
    void anUnreachableStackExitsTwo() {
        engram.close();

        assertThat(run()).isEqualTo(IngestBenchmark.UNUSABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not reachable");
    }

    private static String question(String id, int category, String text, String... evidence) {
        ObjectNode line = (ObjectNode) JSON.valueToTree(Map.of(
                "queryId", id,
                "containerTag", id.substring(0, id.indexOf('_')),
                "question", text,
                "category", category,
                "adversarial", category == 5));
        var array = line.putArray("evidence");
        for (String e : evidence) {
            array.add(e);
        }
        return line.toString();
    }
}
