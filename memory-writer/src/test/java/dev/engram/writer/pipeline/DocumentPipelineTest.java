package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import dev.engram.writer.messaging.DeadLetters;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline against the real broker, PostgreSQL, ONNX model and Lucene index. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    VectorStore vectors;

    @Inject
    TextEmbedder embedder;

    @Inject
    PipelineStats stats;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void theInjectedEmbedderSaysItsCountsAddUpSoChunkingSumsThem() {
        // through the CDI client proxy: a default method it did not pass on would silently turn the summing off
        assertThat(embedder.countsAddUp()).isTrue();
    }

    @Test
    void textDocumentGoesThroughEveryStageAndIsSearchableWhenDone() {
        String id = newId();
        IngestTables.document(id, 1);

        send(upsert(id, 1, "user_pipe", "Engram stores memories. The writer chunks, embeds and indexes them."));

        List<ProcessingStatusEvent> statuses = awaitStatuses(id, DocumentStatus.DONE);
        assertThat(statuses)
                .extracting(ProcessingStatusEvent::status)
                .containsExactly(
                        DocumentStatus.EXTRACTING,
                        DocumentStatus.CHUNKING,
                        DocumentStatus.EMBEDDING,
                        DocumentStatus.INDEXING,
                        DocumentStatus.DONE);
        ProcessingStatusEvent done = statuses.get(statuses.size() - 1);
        assertThat(done.chunkCount()).isEqualTo(1);
        assertThat(done.type()).isEqualTo("text");
        assertThat(IngestTables.chunkRows(id)).isEqualTo(1);
        var hits = vectors.search(
                VectorKind.CHUNKS,
                new VectorQuery(
                        "org_default",
                        List.of("user_pipe"),
                        embedder.embed(List.of("how are memories indexed")).get(0),
                        5,
                        null,
                        List.of(id)));
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).point().text()).contains("chunks, embeds and indexes");
    }

    @Test
    void redeliveredEventUpsertsTheSamePointsWithoutDuplicatesOrNewEmbeddings() {
        String id = newId();
        IngestTables.document(id, 1);
        DocumentEvent event = upsert(id, 1, "user_redeliver", longText(3));
        send(event);
        int chunks = awaitStatuses(id, DocumentStatus.DONE).getLast().chunkCount();
        long pointsBefore = vectors.count(VectorKind.CHUNKS, "org_default");
        long embeddedBefore = stats.chunksEmbedded();

        send(event);

        awaitStatusCount(id, DocumentStatus.DONE, 2);
        assertThat(IngestTables.chunkRows(id)).isEqualTo(chunks);
        assertThat(vectors.count(VectorKind.CHUNKS, "org_default")).isEqualTo(pointsBefore);
        assertThat(stats.chunksEmbedded()).isEqualTo(embeddedBefore);
    }

    @Test
    void newRevisionReEmbedsOnlyTheChunksWhoseContentChanged() {
        String id = newId();
        IngestTables.document(id, 1);
        String first = longText(4);
        send(upsert(id, 1, "user_partial", first));
        int chunks = awaitStatuses(id, DocumentStatus.DONE).getLast().chunkCount();
        assertThat(chunks).isGreaterThan(2);
        long embeddedBefore = stats.chunksEmbedded();

        String second = first.replace("Section 2 talks about", "Section 2, rewritten, now discusses");
        IngestTables.document(id, 2);
        send(upsert(id, 2, "user_partial", second));

        awaitStatuses(id, DocumentStatus.DONE, 2);
        long reEmbedded = stats.chunksEmbedded() - embeddedBefore;
        assertThat(reEmbedded).isBetween(1L, (long) chunks - 1);
    }

    @Test
    void newRevisionWithFewerChunksLeavesNoPointOfTheChunksItLost() {
        String id = newId();
        IngestTables.document(id, 1);
        send(upsert(id, 1, "user_shrink", longText(4)));
        int before = awaitStatuses(id, DocumentStatus.DONE).getLast().chunkCount();
        assertThat(pointsOf(id, "user_shrink")).isEqualTo(before);

        IngestTables.document(id, 2);
        send(upsert(id, 2, "user_shrink", longText(1)));

        int after = awaitStatuses(id, DocumentStatus.DONE, 2).getLast().chunkCount();
        assertThat(after).isLessThan(before);
        assertThat(IngestTables.chunkRows(id)).isEqualTo(after);
        assertThat(pointsOf(id, "user_shrink")).isEqualTo(after);
    }

    @Test
    void documentUpdatedWhileItIsProcessedEndsWithTheLastRevisionsChunksOnly() {
        // Revision 2 arrives right behind revision 1, so one may be embedded while the other is indexed; revision 1
        // may also be abandoned at any stage. Either way only revision 2's chunks and points remain.
        String id = newId();
        IngestTables.document(id, 1);
        send(upsert(id, 1, "user_race", longText(5)));
        IngestTables.document(id, 2);
        send(upsert(id, 2, "user_race", longText(2)));

        int chunks = awaitStatuses(id, DocumentStatus.DONE, 2).getLast().chunkCount();
        assertThat(IngestTables.chunkRows(id)).isEqualTo(chunks);
        assertThat(pointsOf(id, "user_race")).isEqualTo(chunks);
    }

    @Test
    void deleteRemovesChunksAndVectors() {
        String id = newId();
        IngestTables.document(id, 1);
        send(upsert(id, 1, "user_delete", "A document that will be deleted."));
        awaitStatuses(id, DocumentStatus.DONE);
        assertThat(IngestTables.chunkRows(id)).isEqualTo(1);

        IngestTables.deleteDocument(id);
        send(new DocumentEvent(
                UUID.randomUUID().toString(),
                Instant.now(),
                1,
                "user_delete",
                "org_default",
                id,
                1,
                null,
                null,
                Map.of(),
                DocumentOperation.DELETE,
                null,
                null,
                null,
                null,
                null,
                null,
                null));

        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> IngestTables.chunkRows(id) == 0);
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> searchDocument(id, "user_delete").isEmpty());
    }

    @Test
    void documentDeletedBeforeProcessingIsAbandonedWithoutChunks() {
        String id = newId();
        String marker = newId();
        IngestTables.document(marker, 1);
        IngestTables.document(id, 1);
        IngestTables.deleteDocument(id); // deleted after its event was written, before the writer got to it

        send(upsert(id, 1, "user_gone", "Deleted before the writer got to it."));
        send(upsert(marker, 1, "user_gone", "Processed after the deleted one."));

        awaitStatuses(marker, DocumentStatus.DONE);
        assertThat(readStatuses(id, Duration.ofSeconds(1))).isEmpty();
        assertThat(IngestTables.chunkRows(id)).isZero();
    }

    @Test
    void documentPublishedStraightToKafkaByAnotherProducerIsProcessed() {
        String id = newId(); // unknown to ingest-service: no row, no tombstone

        send(upsert(id, 1, "user_external", "Written to engram.documents.v1 by another producer."));

        assertThat(awaitStatuses(id, DocumentStatus.DONE).getLast().chunkCount())
                .isEqualTo(1);
    }

    @Test
    void urlToALoopbackAddressFailsInExtractionAndIsDeadLettered() {
        String id = newId();
        IngestTables.document(id, 1);
        DocumentEvent event = upsert(id, 1, "user_ssrf", "http://127.0.0.1:8084/q/health");

        send(event);

        ProcessingStatusEvent failed = awaitStatuses(id, DocumentStatus.FAILED).getLast();
        assertThat(failed.failedStage()).isEqualTo("extracting");
        assertThat(failed.reason()).isNotBlank();
        var dead = kafka.awaitAny(Topics.dlq(Topics.DOCUMENTS), r -> r.value().contains(id), WAIT);
        assertThat(dead).hasSize(1);
        assertThat(KafkaProbe.header(dead.get(0), DeadLetters.STAGE)).isEqualTo("extracting");
        assertThat(KafkaProbe.header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(Topics.DOCUMENTS);
        assertThat(KafkaProbe.header(dead.get(0), DeadLetters.OFFSET)).matches("\\d+");
    }

    @Test
    void unreadableEventGoesToTheDeadLetterTopicAndLaterEventsStillFlow() {
        String poison = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"content\":42";
        String id = newId();
        IngestTables.document(id, 1);

        kafka.send(Topics.DOCUMENTS, "user_poison", poison);
        send(upsert(id, 1, "user_poison", "After the poison."));

        var dead = kafka.awaitAny(Topics.dlq(Topics.DOCUMENTS), r -> poison.equals(r.value()), WAIT);
        assertThat(dead).hasSize(1);
        assertThat(KafkaProbe.header(dead.get(0), DeadLetters.STAGE)).isEqualTo("parsing");
        awaitStatuses(id, DocumentStatus.DONE);
    }

    private List<dev.engram.core.vectors.VectorHit> searchDocument(String id, String tag) {
        return vectors.search(
                VectorKind.CHUNKS,
                new VectorQuery(
                        "org_default",
                        List.of(tag),
                        embedder.embed(List.of("deleted")).get(0),
                        5,
                        null,
                        List.of(id)));
    }

    private static String newId() {
        return "doc_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String longText(int sections) {
        StringBuilder text = new StringBuilder("# Handbook\n\n");
        for (int s = 1; s <= sections; s++) {
            text.append("## Section ").append(s).append("\n\n");
            text.append("Section ")
                    .append(s)
                    .append(" talks about topic number ")
                    .append(s)
                    .append(". ");
            for (int i = 0; i < 40; i++) {
                text.append("Sentence ")
                        .append(i)
                        .append(" of section ")
                        .append(s)
                        .append(" adds some detail about the subject at hand. ");
            }
            text.append("\n\n");
        }
        return text.toString();
    }

    private static DocumentEvent upsert(String id, long revision, String tag, String content) {
        return DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                tag,
                "org_default",
                id,
                revision,
                null,
                content,
                Map.of("source", "test"));
    }

    private int pointsOf(String id, String tag) {
        return vectors.search(
                        VectorKind.CHUNKS,
                        new VectorQuery(
                                "org_default",
                                List.of(tag),
                                embedder.embed(List.of("section")).get(0),
                                1000,
                                null,
                                List.of(id)))
                .size();
    }

    private void send(DocumentEvent event) {
        kafka.send(Topics.DOCUMENTS, event.containerTag(), EventJson.write(event));
    }

    private List<ProcessingStatusEvent> awaitStatuses(String id, DocumentStatus terminal) {
        return awaitStatuses(id, terminal, 1);
    }

    private List<ProcessingStatusEvent> awaitStatuses(String id, DocumentStatus terminal, long revision) {
        List<ConsumerRecord<String, String>> records = kafka.read(
                Topics.PROCESSING_STATUS,
                r -> r.value().contains(id),
                found -> found.stream().anyMatch(r -> {
                    var e = EventJson.read(r.value(), ProcessingStatusEvent.class);
                    return e.status() == terminal && e.revision() == revision;
                }),
                WAIT);
        List<ProcessingStatusEvent> events = records.stream()
                .map(r -> EventJson.read(r.value(), ProcessingStatusEvent.class))
                .filter(e -> e.revision() == revision)
                .toList();
        assertThat(events).extracting(ProcessingStatusEvent::status).contains(terminal);
        return events;
    }

    private void awaitStatusCount(String id, DocumentStatus status, int count) {
        var records = kafka.read(
                Topics.PROCESSING_STATUS,
                r -> r.value().contains(id) && r.value().contains("\"" + status.wireName() + "\""),
                found -> found.size() >= count,
                WAIT);
        assertThat(records).hasSizeGreaterThanOrEqualTo(count);
    }

    private List<ConsumerRecord<String, String>> readStatuses(String id, Duration duration) {
        return kafka.read(Topics.PROCESSING_STATUS, r -> r.value().contains(id), found -> false, duration);
    }
}
