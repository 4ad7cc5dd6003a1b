package dev.engram.ingest.documents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.ingest.IngestApi;
import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET shows the state of memory extraction from memory-writer's queue. The queue table is created here with the
 * columns this service reads (memory-writer's migration owns the real one).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class MemoryExtractionStatusTest {

    @BeforeAll
    static void extractionQueue() {
        TestDatabase.update("create schema if not exists writer");
        TestDatabase.update("create table if not exists writer.extraction_jobs (org_id text not null,"
                + " document_id text not null, revision bigint not null, status text not null, reason text,"
                + " primary key (org_id, document_id, revision))");
    }

    @Test
    void aDocumentInFlightHasPendingMemories() {
        String id = IngestApi.add(Map.of("content", "Ana lives in Paris.", "containerTag", "user_ms1"));

        assertThat(IngestApi.get(id).getString("memoryStatus")).isEqualTo("pending");
    }

    @Test
    void showsTheJobOfTheCurrentRevisionWithItsReason() {
        String id = IngestApi.add(Map.of("content", "Ana lives in Paris.", "containerTag", "user_ms2"));
        TestDatabase.update(
                "insert into writer.extraction_jobs (org_id, document_id, revision, status, reason)"
                        + " select org_id, id, revision, 'failed', 'llm extractor: 503' from ingest.documents"
                        + " where id = ?",
                id);

        JsonPath document = IngestApi.get(id);

        assertThat(document.getString("memoryStatus")).isEqualTo("failed");
        assertThat(document.getString("memoryStatusReason")).isEqualTo("llm extractor: 503");
    }

    @Test
    void aDoneDocumentWithoutAJobHadNothingToExtract() {
        String id = IngestApi.add(Map.of("content", "Only for retrieval.", "containerTag", "user_ms3"));
        long revision = ((Number) TestDatabase.query("select revision from ingest.documents where id = ?", id)
                        .get(0)
                        .get("revision"))
                .longValue();
        IngestApi.advance(id, "user_ms3", revision, DocumentStatus.DONE);

        assertThat(IngestApi.get(id).getString("memoryStatus")).isEqualTo("none");
    }
}
