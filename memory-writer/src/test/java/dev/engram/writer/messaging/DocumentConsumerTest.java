package dev.engram.writer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** memory-writer against the real broker: document events in, status events out, poison to the dead-letter topic. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentConsumerTest {

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Test
    void documentEventIsAnsweredWithAStatusEventForTheSameRevision() {
        String documentId = "doc_" + UUID.randomUUID();
        var event = DocumentEvent.upsert(
                UUID.randomUUID().toString(),
                Instant.now(),
                "user_w",
                "org_default",
                documentId,
                3,
                null,
                "Some text.",
                Map.of());

        kafka.send(Topics.DOCUMENTS, "user_w", EventJson.write(event));

        var statuses =
                kafka.awaitAny(Topics.PROCESSING_STATUS, r -> r.value().contains(documentId), Duration.ofSeconds(30));
        assertThat(statuses).hasSize(1);
        assertThat(statuses.get(0).key()).isEqualTo("user_w");
        ProcessingStatusEvent status = EventJson.read(statuses.get(0).value(), ProcessingStatusEvent.class);
        assertThat(status.documentId()).isEqualTo(documentId);
        assertThat(status.revision()).isEqualTo(3);
        assertThat(status.orgId()).isEqualTo("org_default");
        assertThat(status.status()).isEqualTo(DocumentStatus.DONE);
    }

    @Test
    void unreadableDocumentEventGoesToTheDeadLetterTopicWithTheReason() {
        String poison = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"content\":42";

        kafka.send(Topics.DOCUMENTS, "user_poison", poison);

        var dead = kafka.awaitAny(Topics.dlq(Topics.DOCUMENTS), r -> poison.equals(r.value()), Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(KafkaProbe.header(dead.get(0), "dead-letter-reason")).contains("DocumentEvent");
        assertThat(KafkaProbe.header(dead.get(0), "dead-letter-topic")).isEqualTo(Topics.DOCUMENTS);
    }
}
