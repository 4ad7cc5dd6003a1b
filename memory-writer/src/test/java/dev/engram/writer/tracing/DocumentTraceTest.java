package dev.engram.writer.tracing;

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
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer's part of a document's trace: a document event carrying a sampled W3C {@code traceparent} header (as
 * ingest-service's outbox relay writes it) is consumed, taken through every stage and written to the index in that
 * trace, each span a child of the one before, with ids and counts as attributes and never the document's text.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentTraceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Inject
    InMemorySpanExporter spans;

    @BeforeAll
    static void ingestTables() {
        IngestTables.create();
    }

    @Test
    void documentIsConsumedProcessedAndIndexedInThePublishersTrace() throws InterruptedException {
        String id = "doc_" + UUID.randomUUID().toString().replace("-", "");
        String secret = "Zanzibar" + UUID.randomUUID().toString().replace("-", "");
        String content = "The traced document mentions " + secret + " once. It is chunked, embedded and indexed.";
        IngestTables.document(id, 1);
        String traceId = hex(16);
        String relaySpanId = hex(8);
        DocumentEvent event = DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_traced",
                "org_default",
                id,
                1,
                null,
                content,
                Map.of("source", "test"));

        kafka.send(
                Topics.DOCUMENTS,
                event.containerTag(),
                EventJson.write(event),
                Map.of("traceparent", "00-" + traceId + "-" + relaySpanId + "-01"));

        kafka.read(
                Topics.PROCESSING_STATUS,
                r -> r.value().contains(id),
                found -> found.stream()
                        .anyMatch(r -> EventJson.read(r.value(), ProcessingStatusEvent.class)
                                        .status()
                                == DocumentStatus.DONE),
                WAIT);
        List<SpanData> trace = awaitTrace(traceId, "DocumentPipeline.writeDocument");

        SpanData consume = only(trace, "DocumentConsumer.consume");
        assertThat(consume.getParentSpanId()).isEqualTo(relaySpanId);
        for (String stage : List.of("extract", "chunk", "embed", "index")) {
            SpanData span = only(trace, "DocumentPipeline." + stage);
            assertThat(span.getParentSpanId()).as(stage).isEqualTo(consume.getSpanId());
            assertThat(span.getAttributes().asMap())
                    .as(stage)
                    .anySatisfy((key, value) -> assertThat(value).isEqualTo(id));
        }
        SpanData write = only(trace, "DocumentPipeline.writeDocument");
        assertThat(write.getParentSpanId())
                .isEqualTo(only(trace, "DocumentPipeline.index").getSpanId());
        assertThat(write.getAttributes().asMap().values()).contains(1L);
        for (SpanData span : trace) {
            assertThat(span.getAttributes().asMap().values())
                    .as(span.getName())
                    .allSatisfy(value -> assertThat(String.valueOf(value)).doesNotContain(secret));
            assertThat(span.getEvents())
                    .allSatisfy(e -> assertThat(e.getAttributes().toString()).doesNotContain(secret));
        }
    }

    private List<SpanData> awaitTrace(String traceId, String lastSpan) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId))
                    .toList();
            if (trace.stream().anyMatch(s -> s.getName().equals(lastSpan)) || System.nanoTime() > deadline) {
                return trace;
            }
            Thread.sleep(50);
        }
    }

    private static SpanData only(List<SpanData> trace, String name) {
        List<SpanData> named =
                trace.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named)
                .as(name + " in " + trace.stream().map(SpanData::getName).toList())
                .hasSize(1);
        return named.get(0);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
