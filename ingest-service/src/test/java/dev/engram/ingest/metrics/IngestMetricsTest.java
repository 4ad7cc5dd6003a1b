package dev.engram.ingest.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.kafka.Topics;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** ingest-service's Prometheus metrics at {@code /q/metrics}, scraped without an API key after real work. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class IngestMetricsTest {

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Test
    void documentsInFlightOutboxBacklogDeadLettersAndConsumerLagAreScraped() {
        given().header("Authorization", IngestTestProfile.BEARER)
                .contentType(ContentType.JSON)
                .body(Map.of("content", "metrics test", "containerTag", "user_metrics"))
                .post("/v3/documents")
                .then()
                .statusCode(200);
        kafka.send(Topics.PROCESSING_STATUS, "user_metrics", "{\"not\":\"a status event " + UUID.randomUUID() + "\"}");

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = scrape();
            // nothing processes documents here: the one added stays queued
            assertThat(value(metrics, "engram_ingest_documents_in_flight{status=\"queued\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "engram_ingest_dead_letters_total{topic=\"engram.processing-status.v1.dlq\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics).contains("kafka_consumer_fetch_manager_records_lag");
        });
        String metrics = scrape();
        assertThat(value(metrics, "engram_ingest_outbox_backlog")).isGreaterThanOrEqualTo(0);
        assertThat(value(metrics, "engram_ingest_outbox_oldest_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(metrics).contains("engram_ingest_documents_in_flight{status=\"indexing\"}");
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the sample written exactly as {@code series}, or -1 when there is none. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
