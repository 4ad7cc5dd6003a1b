package dev.engram.writer.messaging;

import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes status events keyed by container tag. The returned {@code Uni} completes when the broker acknowledged
 * the event, so the document event that caused it is acknowledged only afterwards (no lost status on a crash).
 */
@ApplicationScoped
public class StatusPublisher {

    @Inject
    @Channel(Channels.PROCESSING_STATUS)
    MutinyEmitter<String> emitter;

    public Uni<Void> publish(ProcessingStatusEvent event) {
        Message<String> message = Message.of(EventJson.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.containerTag())
                        .build());
        return emitter.sendMessage(message);
    }
}
