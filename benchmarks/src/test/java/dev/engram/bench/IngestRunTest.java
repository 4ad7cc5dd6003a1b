package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.bench.CorpusGenerator.Document;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The end-to-end phase against {@link FakeEngram}. */
class IngestRunTest {

    private static final List<Document> CORPUS = new CorpusGenerator(7).generate(50, 3, "run", 4);

    private final FakeEngram engram = new FakeEngram();
    private final EngramClient client = new EngramClient(engram.baseUrl(), "engram-dev-key", Duration.ofSeconds(5));
    private final List<String> progress = new ArrayList<>();

    @AfterEach
    void stop() {
        client.close();
        engram.close();
    }

    private IngestRun.Outcome run(Duration timeout) {
        IngestRun.Settings settings = new IngestRun.Settings(20, 2, 4, Duration.ofMillis(50), timeout);
        Map<String, Integer> estimated = new HashMap<>();
        CORPUS.forEach(d -> estimated.put(d.customId(), d.kind() == CorpusGenerator.Kind.LONG ? 9 : 1));
        return new IngestRun(client, settings, progress::add).run(CORPUS, estimated);
    }

    @Test
    void postsInBatchesAndWaitsUntilEveryDocumentIsDone() {
        IngestRun.Outcome outcome = run(Duration.ofSeconds(20));

        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.done()).isEqualTo(53);
        assertThat(outcome.mode()).startsWith("POST /v3/documents/batch, 20 per request");
        assertThat(engram.batchRequests.get()).isEqualTo(3);
        assertThat(engram.singleRequests.get()).isZero();
        assertThat(outcome.chunks()).isEqualTo(50 + 3 * 5);
        assertThat(outcome.chunkSource()).isEqualTo(IngestRun.ChunkSource.REPORTED);
        assertThat(outcome.timeToDone().count()).isEqualTo(53);
        assertThat(outcome.timeToDone().p50()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(outcome.timeToDone().max()).isLessThan(Duration.ofSeconds(5));
        assertThat(outcome.docsPerSecond()).isPositive();
    }

    @Test
    void pacedPostingSendsOneRequestAtATimeWithThePauseBetween() {
        engram.processingMillis = 20;
        IngestRun.Settings settings = new IngestRun.Settings(20, 2, 4, Duration.ofMillis(50), Duration.ofSeconds(20))
                .paced(10, Duration.ofMillis(200));

        IngestRun.Outcome outcome = new IngestRun(client, settings, progress::add).run(CORPUS, Map.of());

        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.done()).isEqualTo(53);
        assertThat(outcome.mode()).startsWith("POST /v3/documents/batch, 10 per request, 1 in flight");
        List<Long> arrivals = engram.batchRequestNanos;
        assertThat(arrivals).hasSize(6);
        // The first request tells the batch endpoint exists; each later one follows a pause of 200 ms.
        for (int i = 2; i < arrivals.size(); i++) {
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1)))
                    .as("gap before request %d", i)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
    }

    @Test
    void theEndOfTheStacksWorkIsSignalledOnceBeforeTheStatusesAreRead() {
        IngestRun.Settings settings = new IngestRun.Settings(20, 2, 4, Duration.ofMillis(50), Duration.ofSeconds(20));
        List<Integer> statusReadsAtSignal = new ArrayList<>();

        IngestRun.Outcome outcome = new IngestRun(client, settings, progress::add)
                .run(CORPUS, Map.of(), () -> statusReadsAtSignal.add(engram.statusRequests.get()));

        assertThat(outcome.clean()).isTrue();
        assertThat(statusReadsAtSignal).hasSize(1);
        assertThat(statusReadsAtSignal.getFirst()).isLessThan(engram.statusRequests.get() - 40);
    }

    @Test
    void confirmsOnlyDocumentsThatLeftTheProcessingList() {
        run(Duration.ofSeconds(20));

        assertThat(engram.processingRequests.get()).isGreaterThan(1);
        assertThat(engram.statusRequests.get())
                .as("about one confirmation per document")
                .isLessThan(53 * 2);
        assertThat(engram.statusRequestsWhileProcessing.get())
                .as("no confirmation while the stack still processes the corpus")
                .isZero();
    }

    @Test
    void pausesTenTimesAsLongAsTheProcessingListTookSoPollingStaysASmallLoad() {
        engram.processingMillis = 2_000;
        engram.processingListMillis = 100;

        IngestRun.Outcome outcome = run(Duration.ofSeconds(20));

        assertThat(outcome.clean()).isTrue();
        // Each poll takes at least 100 ms and is followed by a pause of at least a second, over the 2 s or so the
        // documents are in flight: a handful of polls, where a pause of the 50 ms --poll alone would make about 13.
        assertThat(engram.processingRequests.get()).isBetween(2, 5);
        assertThat(outcome.timeToDone().max()).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void fallsBackToSinglePostsWithoutTheBatchEndpoint() {
        engram.batchEndpoint = false;

        IngestRun.Outcome outcome = run(Duration.ofSeconds(20));

        assertThat(outcome.clean()).isTrue();
        assertThat(outcome.mode()).startsWith("POST /v3/documents (no batch endpoint)");
        assertThat(engram.singleRequests.get()).isEqualTo(53);
    }

    @Test
    void pollsDocumentsOneByOneWithoutTheProcessingList() {
        engram.processingEndpoint = false;

        IngestRun.Outcome outcome = run(Duration.ofSeconds(20));

        assertThat(outcome.clean()).isTrue();
        assertThat(engram.statusRequests.get()).isGreaterThanOrEqualTo(53);
    }

    @Test
    void countsChunksFromTheChunksEndpointWhenTheDocumentDoesNotSay() {
        engram.chunkCountInDocument = false;

        IngestRun.Outcome outcome = run(Duration.ofSeconds(20));

        assertThat(outcome.chunkSource()).isEqualTo(IngestRun.ChunkSource.CHUNKS_ENDPOINT);
        assertThat(outcome.chunks()).isEqualTo(53 * 2);
    }

    @Test
    void reportsFailedDocumentsWithTheirReason() {
        engram.failSuffix = "s00007";

        IngestRun.Outcome outcome = run(Duration.ofSeconds(20));

        assertThat(outcome.clean()).isFalse();
        assertThat(outcome.failed()).isEqualTo(1);
        assertThat(outcome.done()).isEqualTo(52);
        assertThat(outcome.failureSamples())
                .singleElement()
                .asString()
                .contains("run-s00007")
                .contains("extraction failed");
    }

    @Test
    void documentsThatNeverFinishTimeOut() {
        engram.stuckSuffix = "s00003";

        IngestRun.Outcome outcome = run(Duration.ofSeconds(3));

        assertThat(outcome.clean()).isFalse();
        assertThat(outcome.timedOut()).isEqualTo(1);
        assertThat(outcome.failureSamples())
                .singleElement()
                .asString()
                .contains("run-s00003")
                .contains("not done");
    }
}
