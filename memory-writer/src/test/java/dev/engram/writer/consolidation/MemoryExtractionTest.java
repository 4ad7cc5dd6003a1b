package dev.engram.writer.consolidation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Documents and conversations become memories after they are indexed: the extraction queue, the worker, the offline
 * extractor and the tag-locked consolidation, against the real broker, PostgreSQL, ONNX model and Lucene index.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MemoryExtractionTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Instant MAY_8 = Instant.parse("2023-05-08T13:56:00Z");

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void aConversationBecomesMemoriesAttributedToItsSpeaker() {
        String tag = "user_conv_" + shortId();
        List<ConversationMessage> turns = List.of(
                new ConversationMessage("user", "Hi! I live in Paris and I work as a pastry chef.", "Ana", MAY_8),
                new ConversationMessage("assistant", "Nice to meet you, Ana!", null, MAY_8));
        ConversationEvent event = conversation(tag, "c1", 1, turns);
        double doneBefore = extractionJobsDone();

        send(event);

        Map<String, Object> job = awaitJob(event.documentId(), 1);
        assertThat(job).containsEntry("status", "done").containsEntry("extractor", "offline");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> extractionJobsDone() > doneBefore);
        List<Map<String, Object>> memories = latest(tag);
        assertThat(memories)
                .extracting(m -> (String) m.get("memory"))
                .anySatisfy(text -> assertThat(text).contains("Ana").contains("Paris"));
        assertThat(sources(tag)).allSatisfy(source -> {
            assertThat(source.get("document_id")).isEqualTo(event.documentId());
            assertThat((String) source.get("source_ref")).matches("t\\d+(,t\\d+)*");
        });
    }

    @Test
    void aLongerConversationExtractsOnlyItsNewTurnsAndANewFactUpdatesTheOldOne() {
        String tag = "user_moves_" + shortId();
        List<ConversationMessage> first = List.of(
                new ConversationMessage("user", "I live in Paris.", "Ana", MAY_8),
                new ConversationMessage("assistant", "Paris is lovely!", null, MAY_8));
        ConversationEvent v1 = conversation(tag, "c2", 1, first);
        send(v1);
        awaitJob(v1.documentId(), 1);
        String paris = onlyLatestMentioning(tag, "Paris");

        List<ConversationMessage> longer = new ArrayList<>(first);
        longer.add(new ConversationMessage("user", "I moved to Berlin last month.", "Ana", MAY_8.plusSeconds(86_400)));
        ConversationEvent v2 = conversation(tag, "c2", 2, longer);
        send(v2);

        Map<String, Object> job = awaitJob(v2.documentId(), 2);
        assertThat(job.get("status")).isEqualTo("done");
        assertThat(job.get("memories_updated")).isEqualTo(1);
        String berlin = onlyLatestMentioning(tag, "Berlin");
        Map<String, Object> newest = memory(berlin);
        assertThat(newest.get("parent_memory_id")).isEqualTo(paris);
        assertThat(newest.get("version")).isEqualTo(2);
        assertThat(memory(paris).get("is_latest")).isEqualTo(false);
        assertThat(latest(tag)).extracting(m -> (String) m.get("memory")).noneMatch(text -> text.contains("Paris"));
        // Only the new turn was read: its source names turn 2, not the first turns again.
        assertThat(sourceRefs(berlin)).containsExactly("t2");
    }

    @Test
    void redeliveringTheSameConversationChangesNothing() {
        String tag = "user_redeliver_" + shortId();
        ConversationEvent event = conversation(
                tag, "c3", 1, List.of(new ConversationMessage("user", "My favourite color is green.", "Bo", MAY_8)));
        send(event);
        awaitJob(event.documentId(), 1);
        int before = countMemories(tag);

        send(event);
        // A later conversation on the same partition proves the redelivery was consumed.
        ConversationEvent marker = conversation(
                tag, "c3-marker", 1, List.of(new ConversationMessage("user", "I have a cat named Tom.", "Bo", MAY_8)));
        send(marker);
        awaitJob(marker.documentId(), 1);

        assertThat(jobs(event.documentId())).isEqualTo(1);
        assertThat(countMemories(tag)).isEqualTo(before + countMemoriesOf(marker.documentId()));
    }

    @Test
    void anIndexedDocumentBecomesMemoriesAfterItIsDone() {
        String tag = "user_doc_" + shortId();
        String id = "doc_" + shortId();
        IngestTables.document(id, 1);
        DocumentEvent event = DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                tag,
                "org_default",
                id,
                1,
                null,
                "Carlos is allergic to peanuts. He adopted a beagle named Rex in 2021.",
                Map.of("team", "blue"));

        kafka.send(Topics.DOCUMENTS, tag, EventJson.write(event));

        Map<String, Object> job = awaitJob(id, 1);
        assertThat(job.get("status")).isEqualTo("done");
        assertThat(latest(tag))
                .extracting(m -> (String) m.get("memory"))
                .anySatisfy(text -> assertThat(text).contains("peanuts"));
        assertThat(sources(tag))
                .allSatisfy(
                        source -> assertThat((String) source.get("source_ref")).matches("c\\d+(,c\\d+)*"));
    }

    @Test
    void deletingADocumentForgetsTheMemoriesThatCameOnlyFromIt() {
        String tag = "user_del_" + shortId();
        String id = "doc_" + shortId();
        IngestTables.document(id, 1);
        kafka.send(
                Topics.DOCUMENTS,
                tag,
                EventJson.write(DocumentEvent.upsert(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        tag,
                        "org_default",
                        id,
                        1,
                        null,
                        "Elena works as a marine biologist in Porto.",
                        Map.of())));
        awaitJob(id, 1);
        assertThat(latest(tag)).isNotEmpty();

        IngestTables.deleteDocument(id);
        kafka.send(
                Topics.DOCUMENTS,
                tag,
                EventJson.write(new DocumentEvent(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        DocumentEvent.SCHEMA_VERSION,
                        tag,
                        "org_default",
                        id,
                        1,
                        null,
                        null,
                        Map.of(),
                        dev.engram.core.events.DocumentOperation.DELETE,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)));

        Awaitility.await().atMost(WAIT).until(() -> latest(tag).isEmpty());
        assertThat(rows("select forget_reason from writer.memories where container_tag = ?", tag))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.get("forget_reason")).isEqualTo("source document deleted"));
    }

    @Test
    void aDocumentThatRecordsDirectMemoriesIsNotExtractedAgain() {
        String tag = "user_direct_" + shortId();
        String id = "doc_" + shortId();
        DocumentEvent direct = new DocumentEvent(
                UUID.randomUUID().toString(),
                Instant.now(),
                DocumentEvent.SCHEMA_VERSION,
                tag,
                "org_default",
                id,
                1,
                null,
                "Dana prefers tea over coffee.",
                Map.of(),
                null,
                "text",
                null,
                null,
                null,
                null,
                null,
                DocumentEvent.ORIGIN_MEMORIES);
        kafka.send(Topics.DOCUMENTS, tag, EventJson.write(direct));
        Awaitility.await().atMost(WAIT).until(() -> IngestTables.chunkRows(id) == 1);

        assertThat(jobs(id)).isZero();
        assertThat(countMemories(tag)).isZero();
    }

    // --- helpers

    private ConversationEvent conversation(
            String tag, String conversationId, long revision, List<ConversationMessage> messages) {
        return new ConversationEvent(
                UUID.randomUUID().toString(),
                Instant.now(),
                ConversationEvent.SCHEMA_VERSION,
                tag,
                "org_default",
                conversationId,
                DocumentIds.forConversation("org_default", tag, conversationId),
                revision,
                messages,
                Map.of("channel", "test"),
                null,
                "api");
    }

    private void send(ConversationEvent event) {
        kafka.send(Topics.CONVERSATIONS, event.containerTag(), EventJson.write(event));
    }

    /** {@code engram_writer_extraction_jobs_total{outcome="done"}}. */
    private double extractionJobsDone() {
        return registry.counter(ExtractionWorker.JOBS_METRIC, "outcome", "done").count();
    }

    static Map<String, Object> awaitJob(String documentId, long revision) {
        List<Map<String, Object>> found = new ArrayList<>();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            found.clear();
            found.addAll(rows(
                    "select status, reason, extractor, memories_added, memories_updated, memories_extended,"
                            + " duplicates from writer.extraction_jobs where document_id = ? and revision = ?"
                            + " and status in ('done', 'failed', 'skipped')",
                    documentId,
                    revision));
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private static String onlyLatestMentioning(String tag, String word) {
        List<Map<String, Object>> matching = latest(tag).stream()
                .filter(m -> ((String) m.get("memory")).contains(word))
                .toList();
        assertThat(matching).as("latest memories mentioning %s", word).hasSize(1);
        return (String) matching.get(0).get("id");
    }

    static List<Map<String, Object>> latest(String tag) {
        return rows(
                "select id, memory from writer.memories where container_tag = ? and is_latest and not is_forgotten"
                        + " order by created_at",
                tag);
    }

    private static Map<String, Object> memory(String id) {
        return rows(
                        "select id, memory, version, parent_memory_id, root_memory_id, is_latest from writer.memories"
                                + " where id = ?",
                        id)
                .get(0);
    }

    private static List<Map<String, Object>> sources(String tag) {
        return rows(
                "select s.document_id, s.source_ref from writer.memory_sources s join writer.memories m"
                        + " on m.org_id = s.org_id and m.id = s.memory_id where m.container_tag = ?",
                tag);
    }

    private static List<String> sourceRefs(String memoryId) {
        return rows("select source_ref from writer.memory_sources where memory_id = ?", memoryId).stream()
                .map(r -> (String) r.get("source_ref"))
                .toList();
    }

    private static int countMemories(String tag) {
        return ((Number) rows("select count(*) as n from writer.memories where container_tag = ?", tag)
                        .get(0)
                        .get("n"))
                .intValue();
    }

    private static int countMemoriesOf(String documentId) {
        return ((Number) rows(
                                "select count(distinct memory_id) as n from writer.memory_sources where document_id = ?",
                                documentId)
                        .get(0)
                        .get("n"))
                .intValue();
    }

    private static int jobs(String documentId) {
        return ((Number) rows("select count(*) as n from writer.extraction_jobs where document_id = ?", documentId)
                        .get(0)
                        .get("n"))
                .intValue();
    }

    private static List<Map<String, Object>> rows(String sql, Object... parameters) {
        var server = PostgresTestResource.server();
        try (Connection connection = DriverManager.getConnection(
                        server.jdbcUrl(PostgresTestResource.database()), server.username(), server.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns; c++) {
                        row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
