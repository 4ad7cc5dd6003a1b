package dev.engram.writer.consolidation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.events.DocumentEvent;
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
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code shouldLLMFilter} with a {@code filterPrompt} (read from {@code ingest.org_settings}): the extraction LLM (a
 * scripted OpenAI-compatible server) judges each new document first; one it does not keep gets no memories and its
 * extraction ends {@code skipped} with the model's reason; one it keeps is extracted as usual; organisations without
 * the filter are never judged.
 */
@QuarkusTest
@TestProfile(LlmExtractionTest.LlmProfile.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class LlmFilterTest {

    private static final String PROMPT = "Keep only notes about gardening.";

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void tables() {
        IngestTables.create();
        OrgSettingsTable.create();
    }

    @Test
    void aDocumentTheFilterRejectsGetsNoMemoriesAndSaysWhy() {
        String org = "org_filter_" + shortId();
        String tag = "user_filter_no_" + shortId();
        OrgSettingsTable.set(org, null, true, PROMPT);
        ScriptedLlm.answer(ScriptedLlm.Answer.completion(
                "{\"keep\": false, \"reason\": \"The note is about tax returns, not gardening.\"}"));
        DocumentEvent event = upsert(org, tag, "I filed my tax return on Monday.");

        send(event);

        Map<String, Object> job = MemoryExtractionTest.awaitJob(event.documentId(), 1);
        assertThat(job).containsEntry("status", "skipped");
        assertThat((String) job.get("reason"))
                .startsWith("filtered out by the organisation's LLM filter")
                .contains("not gardening");
        assertThat(MemoryExtractionTest.latest(tag)).isEmpty();
        assertThat(IngestTables.chunkRows(event.documentId())).isEqualTo(1); // still stored and searchable
        assertThat(ScriptedLlm.requests())
                .anySatisfy(body -> assertThat(body).contains(PROMPT).contains("tax return"));
    }

    @Test
    void aDocumentTheFilterKeepsIsExtractedAsUsual() {
        String org = "org_filter_" + shortId();
        String tag = "user_filter_yes_" + shortId();
        OrgSettingsTable.set(org, null, true, PROMPT);
        // One scripted answer serves both calls: the filter reads "keep", the extractor "memories".
        ScriptedLlm.answer(ScriptedLlm.Answer.completion("{\"keep\": true, \"reason\": \"gardening\", \"memories\":"
                + " [{\"action\": \"add\", \"memory\": \"Ana grows tomatoes on her balcony\", \"static\": false,"
                + " \"sources\": [\"t1\"]}]}"));
        DocumentEvent event = upsert(org, tag, "Ana grows tomatoes on her balcony.");

        send(event);

        Map<String, Object> job = MemoryExtractionTest.awaitJob(event.documentId(), 1);
        assertThat(job).as("job %s", job).containsEntry("status", "done");
        assertThat(MemoryExtractionTest.latest(tag))
                .extracting(m -> (String) m.get("memory"))
                .containsExactly("Ana grows tomatoes on her balcony");
    }

    @Test
    void anOrganisationWithoutTheFilterIsNeverJudged() {
        String org = "org_nofilter_" + shortId();
        String tag = "user_nofilter_" + shortId();
        String marker = "unfiltered-" + shortId();
        ScriptedLlm.answer(ScriptedLlm.Answer.completion("{\"memories\": []}"));
        DocumentEvent event = upsert(org, tag, "A plain note, " + marker + ".");

        send(event);

        assertThat(MemoryExtractionTest.awaitJob(event.documentId(), 1)).containsEntry("status", "done");
        List<String> aboutIt = ScriptedLlm.requests().stream()
                .filter(body -> body.contains(marker))
                .toList();
        assertThat(aboutIt).isNotEmpty().noneSatisfy(body -> assertThat(body).contains("What the organisation keeps"));
    }

    @Test
    void theWriterReportsThatItCanFilterForIngestServicesSettingsWarnings() throws SQLException {
        try (var connection = dataSource.getConnection();
                var rows = connection
                        .createStatement()
                        .executeQuery("select available, detail from writer.capabilities where name = 'llm_filter'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).isTrue();
            assertThat(rows.getString(2)).contains("scripted-model");
        }
    }

    private static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static DocumentEvent upsert(String orgId, String tag, String content) {
        return DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                tag,
                orgId,
                "doc_" + shortId(),
                1,
                null,
                content,
                Map.of());
    }

    private void send(DocumentEvent event) {
        kafka.send(Topics.DOCUMENTS, event.containerTag(), EventJson.write(event));
    }
}
