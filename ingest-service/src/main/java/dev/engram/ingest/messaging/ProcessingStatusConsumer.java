package dev.engram.ingest.messaging;

import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.json.MalformedEventException;
import dev.engram.core.kafka.Topics;
import dev.engram.ingest.documents.ApplyProcessingStatus;
import dev.engram.ingest.persistence.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Applies memory-writer's status events to documents, a polled batch at a time in one transaction (see {@link ApplyProcessingStatus#applyAll}: the
 * batch's statuses are read as a projection and written in one statement), run again when a concurrent transaction got in its way
 * (a deadlock with another consumer, or a row another consumer inserted meanwhile; {@link Transactions}) and while
 * PostgreSQL is unreachable ({@link DatabaseOutage}), so an outage delays statuses instead of dead-lettering them. An unreadable event goes to {@code engram.processing-status.v1.dlq}
 * with a {@code dead-letter-reason} header; the offsets are committed only after the transaction committed and the
 * dead letters were acknowledged.
 */
@ApplicationScoped
public class ProcessingStatusConsumer {

    /** Metric name of the dead letters sent ({@code engram_ingest_dead_letters_total{topic}}). */
    public static final String DEAD_LETTERS_METRIC = "engram.ingest.dead.letters";

    @Inject
    ApplyProcessingStatus applyProcessingStatus;

    @Inject
    @Channel(Channels.PROCESSING_STATUS_DLQ)
    MutinyEmitter<String> deadLetters;

    @Inject
    MeterRegistry registry;

    @Incoming(Channels.PROCESSING_STATUS)
    public Uni<Void> consume(List<String> payloads) {
        List<ProcessingStatusEvent> events = new ArrayList<>(payloads.size());
        List<Uni<Void>> dead = new ArrayList<>();
        for (String payload : payloads) {
            try {
                events.add(EventJson.read(payload, ProcessingStatusEvent.class));
            } catch (MalformedEventException e) {
                dead.add(deadLetter(payload, e.getMessage()));
            }
        }
        Uni<Void> applied = DatabaseOutage.outlasting(() -> applyProcessingStatus.applyAll(events));
        return dead.isEmpty()
                ? applied
                : applied.flatMap(v -> Uni.join().all(dead).andFailFast().replaceWithVoid());
    }

    private Uni<Void> deadLetter(String payload, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", "engram.processing-status.v1".getBytes(StandardCharsets.UTF_8));
        return deadLetters
                .sendMessage(Message.of(payload)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withHeaders(headers)
                                .build()))
                .invoke(() -> registry.counter(DEAD_LETTERS_METRIC, "topic", Topics.dlq(Topics.PROCESSING_STATUS))
                        .increment());
    }
}
