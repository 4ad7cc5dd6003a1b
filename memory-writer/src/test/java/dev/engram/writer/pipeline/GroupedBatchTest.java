package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch is embedded and indexed in groups of at most {@code writer.documents.texts-per-group} chunks (two here), and
 * the documents of a group are done before the next group is indexed, not all at the end of the batch.
 */
@QuarkusTest
@TestProfile(GroupedBatchTest.TwoTextsPerGroup.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class GroupedBatchTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    public static class TwoTextsPerGroup implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("writer.documents.texts-per-group", "2");
        }
    }

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    DocumentPipeline pipeline;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void theFirstGroupIsDoneBeforeTheSecondIsIndexedAndEveryDocumentEndsDone() {
        List<String> ids = List.of(
                PipelineRecords.newId(), PipelineRecords.newId(), PipelineRecords.newId(), PipelineRecords.newId());
        ids.forEach(id -> IngestTables.document(id, 1));

        pipeline.process(List.of(
                PipelineRecords.item(ids.get(0), "tag_groups", 0, null, "The first note of the batch.", Map.of()),
                PipelineRecords.item(ids.get(1), "tag_groups", 1, null, "The second note of the batch.", Map.of()),
                PipelineRecords.item(ids.get(2), "tag_groups", 2, null, "The third note of the batch.", Map.of()),
                PipelineRecords.item(ids.get(3), "tag_groups", 3, null, "The fourth note of the batch.", Map.of())));

        Map<String, List<ProcessingStatusEvent>> statuses = statusesUntilDone(ids);
        for (String id : ids) {
            assertThat(statuses.get(id).getLast().status()).isEqualTo(DocumentStatus.DONE);
            assertThat(IngestTables.chunkRows(id)).isEqualTo(1);
        }
        // The indexing thread runs the groups one after another: the first group's done statuses are sent before
        // the second group's indexing starts. Processed as one group, every indexing status came before any done.
        for (String first : ids.subList(0, 2)) {
            Instant done = at(statuses, first, DocumentStatus.DONE);
            for (String second : ids.subList(2, 4)) {
                assertThat(done).isBeforeOrEqualTo(at(statuses, second, DocumentStatus.INDEXING));
            }
        }
        assertThat(at(statuses, ids.get(1), DocumentStatus.INDEXING))
                .isBeforeOrEqualTo(at(statuses, ids.get(0), DocumentStatus.DONE));
    }

    /** The status events of the documents, in order, read once every one of them has ended (done or failed). */
    private Map<String, List<ProcessingStatusEvent>> statusesUntilDone(List<String> ids) {
        Map<String, List<ProcessingStatusEvent>> byId = new HashMap<>();
        kafka.read(
                        Topics.PROCESSING_STATUS,
                        r -> ids.stream().anyMatch(r.value()::contains),
                        found -> found.stream()
                                        .map(r -> read(r.value()))
                                        .filter(e -> e.status() == DocumentStatus.DONE
                                                || e.status() == DocumentStatus.FAILED)
                                        .map(ProcessingStatusEvent::documentId)
                                        .distinct()
                                        .count()
                                == ids.size(),
                        WAIT)
                .forEach(r -> {
                    ProcessingStatusEvent event = read(r.value());
                    byId.computeIfAbsent(event.documentId(), id -> new ArrayList<>())
                            .add(event);
                });
        return byId;
    }

    private static Instant at(Map<String, List<ProcessingStatusEvent>> statuses, String id, DocumentStatus status) {
        return statuses.get(id).stream()
                .filter(e -> e.status() == status)
                .findFirst()
                .orElseThrow()
                .occurredAt();
    }

    private static ProcessingStatusEvent read(String json) {
        return EventJson.read(json, ProcessingStatusEvent.class);
    }
}
