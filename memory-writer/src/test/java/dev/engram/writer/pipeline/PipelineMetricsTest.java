package dev.engram.writer.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import dev.engram.writer.IngestTables;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline's Prometheus metrics at {@code /q/metrics}, scraped without an API key after real work. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class PipelineMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void stageTimesDocumentOutcomesDeadLettersModelCpuAndConsumerLagAreScraped() {
        String id = "doc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        IngestTables.document(id, 1);
        kafka.send(Topics.DOCUMENTS, "user_metrics", "{\"not\":\"an event\"");
        kafka.send(
                Topics.DOCUMENTS,
                "user_metrics",
                EventJson.write(DocumentEvent.upsert(
                        UUID.randomUUID().toString(),
                        Instant.now(),
                        "user_metrics",
                        "org_default",
                        id,
                        1,
                        null,
                        "Metrics count what the writer does.",
                        Map.of("source", "test"))));

        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            String metrics = scrape();
            assertThat(value(metrics, "engram_writer_documents_total{outcome=\"done\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "engram_writer_stage_seconds_count{stage=\"embedding\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "engram_embedding_model_cpu_seconds_total"))
                    .isGreaterThan(0);
            assertThat(value(
                            metrics,
                            "engram_writer_dead_letters_total{stage=\"parsing\",topic=\"engram.documents.v1.dlq\"}"))
                    .isGreaterThanOrEqualTo(1);
        });
        String metrics = scrape();
        for (String stage : new String[] {"extracting", "chunking", "embedding", "indexing"}) {
            assertThat(metrics).contains("engram_writer_stage_seconds_bucket{stage=\"" + stage + "\",le=");
        }
        assertThat(metrics).contains("engram_writer_documents_total{outcome=\"failed\"}");
        assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag");
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the sample whose name and labels start with {@code series}, or -1. */
    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
