package dev.engram.ingest.messaging;

import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.json.EventJson;
import dev.engram.ingest.documents.ApplyProcessingStatus;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies memory-writer's status events to documents. A malformed event fails and goes to the dead-letter topic
 * (see the channel's {@code failure-strategy}); the offset is committed only after the update committed.
 */
@ApplicationScoped
public class ProcessingStatusConsumer {

    @Inject
    ApplyProcessingStatus applyProcessingStatus;

    @Incoming(Channels.PROCESSING_STATUS)
    @WithTransaction
    public Uni<Void> consume(String payload) {
        ProcessingStatusEvent event = EventJson.read(payload, ProcessingStatusEvent.class);
        return applyProcessingStatus.apply(event).replaceWithVoid();
    }
}
