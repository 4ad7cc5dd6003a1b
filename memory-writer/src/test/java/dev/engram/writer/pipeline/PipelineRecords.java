package dev.engram.writer.pipeline;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.writer.messaging.DeadLetters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Document records handed to {@link DocumentPipeline#process} by the tests, and the last status they reached. */
final class PipelineRecords {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private PipelineRecords() {}

    /** An upsert of {@code content} in {@code tag} (organisation {@code org_default}, revision 1), at {@code offset}. */
    static DocumentPipeline.Item item(
            String id, String tag, long offset, String customId, String content, Map<String, Object> metadata) {
        DocumentEvent event = DocumentEvent.upsert(
                UUID.randomUUID().toString(), Instant.now(), tag, "org_default", id, 1, customId, content, metadata);
        return new DocumentPipeline.Item(
                new DeadLetters.SourceRecord(Topics.DOCUMENTS, 0, offset, tag, EventJson.write(event)), event, null);
    }

    /** The status event that ended the document ({@code done} or {@code failed}), waiting for it up to a minute. */
    static ProcessingStatusEvent finalStatus(KafkaProbe kafka, String id) {
        var records = kafka.read(
                Topics.PROCESSING_STATUS,
                r -> r.value().contains(id),
                found -> found.stream()
                        .map(r -> EventJson.read(r.value(), ProcessingStatusEvent.class))
                        .anyMatch(e -> e.status() == DocumentStatus.DONE || e.status() == DocumentStatus.FAILED),
                WAIT);
        return EventJson.read(records.getLast().value(), ProcessingStatusEvent.class);
    }

    /** A document id no other test uses. */
    static String newId() {
        return "doc_" + UUID.randomUUID().toString().replace("-", "");
    }
}
