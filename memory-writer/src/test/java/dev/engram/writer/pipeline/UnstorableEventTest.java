package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.kafka.Topics;
import dev.engram.core.text.StorableText;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Another producer may write an event with text PostgreSQL cannot store, which the API refuses. Its document fails in
 * extracting, naming the field, with a dead letter; before, it failed in indexing with the database's "unsupported
 * Unicode escape sequence". The rest of the batch is done.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class UnstorableEventTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    DocumentPipeline pipeline;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void aDocumentWhoseEventHoldsUnstorableTextFailsInExtractingNamingTheField() {
        String ok = PipelineRecords.newId();
        String nulMetadata = PipelineRecords.newId();
        String surrogateCustomId = PipelineRecords.newId();
        String nulContent = PipelineRecords.newId();
        for (String id : List.of(ok, nulMetadata, surrogateCustomId, nulContent)) {
            IngestTables.document(id, 1);
        }

        pipeline.process(List.of(
                PipelineRecords.item(ok, "tag_text", 0, null, "Engram indexes this one.", Map.of("source", "fine")),
                PipelineRecords.item(
                        nulMetadata, "tag_text", 1, null, "Metadata with NUL.", Map.of("source", "a\u0000b")),
                PipelineRecords.item(surrogateCustomId, "tag_text", 2, "x\ud800", "A custom id cut in half.", Map.of()),
                PipelineRecords.item(nulContent, "tag_text", 3, null, "before\u0000after", Map.of())));

        assertThat(PipelineRecords.finalStatus(kafka, ok).status()).isEqualTo(DocumentStatus.DONE);
        assertFailed(nulMetadata, "metadata.source: " + StorableText.NUL);
        assertFailed(surrogateCustomId, "customId: " + StorableText.UNPAIRED_SURROGATE);
        assertFailed(nulContent, "content: " + StorableText.NUL);
        assertThat(IngestTables.chunkRows(nulMetadata)).isZero();
    }

    private void assertFailed(String id, String problem) {
        ProcessingStatusEvent failed = PipelineRecords.finalStatus(kafka, id);
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(failed.reason())
                .isEqualTo("extracting failed: the event holds text that cannot be stored: " + problem);
        var dead = kafka.awaitAny(Topics.dlq(Topics.DOCUMENTS), r -> r.value().contains(id), WAIT);
        assertThat(KafkaProbe.header(dead.get(0), DeadLetters.STAGE)).isEqualTo("extracting");
    }
}
