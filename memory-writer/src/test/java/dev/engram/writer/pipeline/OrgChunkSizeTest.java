package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import dev.engram.writer.OrgSettingsTable;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An organisation's {@code chunkSize} ({@code PATCH /v3/settings}, read from {@code ingest.org_settings}) sizes the
 * chunks of its documents processed from then on; other organisations keep the installation's default.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class OrgChunkSizeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void tables() {
        IngestTables.create();
        OrgSettingsTable.create();
    }

    @Test
    void anOrganisationsChunkSizeChangesHowManyChunksItsNewDocumentsHave() throws SQLException {
        String small = "org_small_" + shortId();
        String other = "org_other_" + shortId();
        OrgSettingsTable.set(small, 64, false, null);
        String text = longText(6);

        String withSetting = "doc_" + shortId();
        String withDefault = "doc_" + shortId();
        send(upsert(small, withSetting, 1, text));
        send(upsert(other, withDefault, 1, text));

        int smallChunks = chunkCount(withSetting, 1);
        int defaultChunks = chunkCount(withDefault, 1);
        assertThat(smallChunks).isGreaterThan(defaultChunks);
        assertThat(tokenCounts(small, withSetting))
                .hasSize(smallChunks)
                .allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(64));
        assertThat(tokenCounts(other, withDefault))
                .anySatisfy(t -> assertThat(t).isGreaterThan(64));

        // Back to the default: the next revision is chunked as everyone else's.
        OrgSettingsTable.set(small, null, false, null);
        send(upsert(small, withSetting, 2, text));
        assertThat(chunkCount(withSetting, 2)).isEqualTo(defaultChunks);
    }

    @Test
    void withoutAnLlmTheWriterReportsThatTheLlmFilterCannotRun() throws SQLException {
        try (var connection = dataSource.getConnection();
                var rows = connection
                        .createStatement()
                        .executeQuery("select available, detail from writer.capabilities where name = 'llm_filter'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isFalse();
            assertThat(rows.getString(2)).contains("no LLM configured");
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Paragraphs of about 60 tokens each, so a 64-token chunk holds about one and the default several. */
    private static String longText(int sections) {
        StringBuilder text = new StringBuilder();
        for (int s = 1; s <= sections; s++) {
            text.append("## Section ").append(s).append("\n\n");
            for (int p = 1; p <= 3; p++) {
                text.append("Paragraph ")
                        .append(p)
                        .append(" of section ")
                        .append(s)
                        .append(" describes how the writer turns documents into chunks, embeds every chunk with the")
                        .append(" model and stores the vectors so that search can find the passage again later on.")
                        .append(" It adds a second sentence about chunk sizes, overlaps and headings.\n\n");
            }
        }
        return text.toString();
    }

    private static DocumentEvent upsert(String orgId, String id, long revision, String content) {
        return DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_chunks",
                orgId,
                id,
                revision,
                null,
                content,
                Map.of());
    }

    private void send(DocumentEvent event) {
        kafka.send(Topics.DOCUMENTS, event.containerTag(), EventJson.write(event));
    }

    /** The chunk count the writer reported when the revision was done. */
    private int chunkCount(String id, long revision) {
        var records = kafka.read(
                Topics.PROCESSING_STATUS,
                r -> r.value().contains(id),
                found -> found.stream().anyMatch(r -> done(r.value(), revision)),
                WAIT);
        return records.stream()
                .map(r -> EventJson.read(r.value(), ProcessingStatusEvent.class))
                .filter(e -> e.status() == DocumentStatus.DONE && e.revision() == revision)
                .findFirst()
                .orElseThrow(() -> new AssertionError("revision " + revision + " of " + id + " never done"))
                .chunkCount();
    }

    private static boolean done(String json, long revision) {
        var event = EventJson.read(json, ProcessingStatusEvent.class);
        return event.status() == DocumentStatus.DONE && event.revision() == revision;
    }

    private List<Integer> tokenCounts(String orgId, String id) throws SQLException {
        try (var connection = dataSource.getConnection();
                var select = connection.prepareStatement(
                        "select token_count from writer.chunks where org_id = ? and document_id = ? order by position")) {
            select.setString(1, orgId);
            select.setString(2, id);
            List<Integer> counts = new ArrayList<>();
            try (var rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.add(rows.getInt(1));
                }
            }
            return counts;
        }
    }
}
