package dev.engram.ingest.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.kafka.Topics;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * ingest-service's part of a document's trace: {@code POST /v3/documents} with a sampled {@code traceparent} is served
 * in that trace, the outbox relay's publish span descends from the request's span, and the Kafka record's
 * {@code traceparent} names the publish span as parent (memory-writer continues from there); attributes carry no text.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class IngestTraceTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void addedDocumentIsRelayedToKafkaInTheRequestsTrace() throws InterruptedException {
        String traceId = hex(16);
        String callerSpanId = hex(8);
        String secret = "Zanzibar" + UUID.randomUUID().toString().replace("-", "");
        String id = given().header("Authorization", IngestTestProfile.BEARER)
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .contentType(ContentType.JSON)
                .body(Map.of("content", "Relay " + secret + ".", "containerTag", "user_traced"))
                .post("/v3/documents")
                .then()
                .statusCode(200)
                .extract()
                .path("id");

        var records = KafkaProbe.onTestBroker()
                .awaitAny(Topics.DOCUMENTS, r -> r.value().contains(id), Duration.ofSeconds(20));
        assertThat(records).hasSize(1);
        String header = KafkaProbe.header(records.get(0), "traceparent");
        assertThat(header).startsWith("00-" + traceId + "-").endsWith("-01");
        String publishSpanId = header.split("-")[2];

        List<SpanData> trace = awaitTrace(traceId, publishSpanId, callerSpanId);
        SpanData publish = trace.stream()
                .filter(s -> s.getSpanId().equals(publishSpanId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + publishSpanId + " in " + trace));
        assertThat(publish.getName()).isEqualTo("OutboxRelay.publish");
        // The publish span descends from the server span of the request, which continues the caller's span.
        SpanData ancestor = publish;
        while (!ancestor.getParentSpanId().equals(callerSpanId)) {
            String parent = ancestor.getParentSpanId();
            ancestor = trace.stream()
                    .filter(s -> s.getSpanId().equals(parent))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the chain breaks at " + parent + " in " + trace));
        }
        assertThat(ancestor.getName()).contains("/v3/documents");
        for (SpanData span : trace) {
            assertThat(span.getAttributes().asMap().values())
                    .as(span.getName())
                    .allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(secret));
        }
    }

    /** The finished spans of the trace, once the relay's publish span and the request's server span are among them. */
    private List<SpanData> awaitTrace(String traceId, String publishSpanId, String callerSpanId)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId))
                    .toList();
            if ((trace.stream().anyMatch(s -> s.getSpanId().equals(publishSpanId))
                            && trace.stream().anyMatch(s -> s.getParentSpanId().equals(callerSpanId)))
                    || System.nanoTime() > deadline) {
                return trace;
            }
            Thread.sleep(50);
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
