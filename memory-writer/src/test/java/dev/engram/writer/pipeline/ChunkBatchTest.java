package dev.engram.writer.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import dev.engram.writer.messaging.DeadLetters;
import dev.engram.writer.store.ChunkStore;
import dev.engram.writer.store.StoredChunk;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch's chunks are stored in one transaction ({@link ChunkStore#replaceAll}); when the database refuses one
 * document's chunks for good, the others are stored and only that one fails.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ChunkBatchTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    ChunkStore chunks;

    @Inject
    DocumentPipeline pipeline;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @AfterEach
    void dropRefusal() {
        IngestTables.execute("drop trigger if exists refuse_chunks on writer.chunks");
        IngestTables.execute("drop function if exists writer.refuse_chunks()");
    }

    @Test
    void severalDocumentsAreReplacedTogetherAndADocumentListedTwiceKeepsItsLastChunks() throws SQLException {
        String a = PipelineRecords.newId();
        String b = PipelineRecords.newId();
        chunks.replace("org_default", a, "tag_batch", 1, chunks(a, "old", 4), connection -> {});
        List<String> ran = new CopyOnWriteArrayList<>();

        chunks.replaceAll(List.of(
                replacement(a, 2, chunks(a, "second", 3), ran),
                replacement(b, 1, chunks(b, "only", 2), ran),
                replacement(a, 3, chunks(a, "third", 2), ran)));

        assertThat(chunks.chunksOf("org_default", a))
                .extracting(StoredChunk::content)
                .containsExactly("third 0", "third 1");
        assertThat(chunks.chunksOf("org_default", b))
                .extracting(StoredChunk::content)
                .containsExactly("only 0", "only 1");
        assertThat(ran).containsExactly(a + "@2", b + "@1", a + "@3");
    }

    @Test
    void aFailureInTheTransactionStoresNothingOfTheBatch() throws SQLException {
        String a = PipelineRecords.newId();
        String b = PipelineRecords.newId();
        chunks.replace("org_default", a, "tag_batch", 1, chunks(a, "kept", 2), connection -> {});

        assertThatThrownBy(() -> chunks.replaceAll(List.of(
                        replacement(a, 2, chunks(a, "lost", 3), new ArrayList<>()),
                        new ChunkStore.Replacement(
                                "org_default", b, "tag_batch", 1, chunks(b, "lost", 1), connection -> {
                                    throw new SQLException("refused", "23514");
                                }))))
                .isInstanceOf(SQLException.class)
                .hasMessage("refused");

        assertThat(chunks.chunksOf("org_default", a))
                .extracting(StoredChunk::content)
                .containsExactly("kept 0", "kept 1");
        assertThat(chunks.chunksOf("org_default", b)).isEmpty();
    }

    @Test
    void aDocumentWhoseChunksTheDatabaseRefusesFailsAloneAndTheRestOfTheBatchIsDone() {
        String ok = PipelineRecords.newId();
        String refused = PipelineRecords.newId();
        IngestTables.document(ok, 1);
        IngestTables.document(refused, 1);
        IngestTables.execute("create function writer.refuse_chunks() returns trigger language plpgsql as $$ begin"
                + " if new.document_id = '" + refused + "' then"
                + " raise exception 'chunks of % refused' , new.document_id using errcode = 'check_violation';"
                + " end if; return new; end $$");
        IngestTables.execute("create trigger refuse_chunks before insert on writer.chunks"
                + " for each row execute function writer.refuse_chunks()");

        pipeline.process(List.of(
                PipelineRecords.item(ok, "tag_batch", 0, null, "Engram keeps the chunks of this one.", Map.of()),
                PipelineRecords.item(refused, "tag_batch", 1, null, "Not these.", Map.of())));

        assertThat(PipelineRecords.finalStatus(kafka, ok).status()).isEqualTo(DocumentStatus.DONE);
        ProcessingStatusEvent failed = PipelineRecords.finalStatus(kafka, refused);
        assertThat(failed.status()).isEqualTo(DocumentStatus.FAILED);
        // the server's error, not pgjdbc's "Batch entry 0 insert into … (every parameter) was aborted"
        assertThat(failed.reason()).isEqualTo("indexing failed: ERROR: chunks of " + refused + " refused");
        assertThat(IngestTables.chunkRows(ok)).isEqualTo(1);
        assertThat(IngestTables.chunkRows(refused)).isZero();
        var dead = kafka.awaitAny(Topics.dlq(Topics.DOCUMENTS), r -> r.value().contains(refused), WAIT);
        assertThat(KafkaProbe.header(dead.get(0), DeadLetters.STAGE)).isEqualTo("indexing");
    }

    private static ChunkStore.Replacement replacement(
            String id, long revision, List<StoredChunk> stored, List<String> ran) {
        return new ChunkStore.Replacement(
                "org_default", id, "tag_batch", revision, stored, connection -> ran.add(id + "@" + revision));
    }

    private static List<StoredChunk> chunks(String documentId, String word, int count) {
        List<StoredChunk> stored = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            stored.add(new StoredChunk(
                    documentId + "_" + word + "_" + i, i, word + " " + i, "hash" + i, 2, "test-model", new float[] {i, 1
                    }));
        }
        return stored;
    }
}
