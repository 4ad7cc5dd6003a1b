package dev.engram.writer.messaging;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.writer.pipeline.ProcessDocument;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code engram.documents.v1}. The offset is committed after processing completed; a message that cannot
 * be parsed or processed goes to {@code engram.documents.v1.dlq} (the channel's failure strategy).
 */
@ApplicationScoped
public class DocumentConsumer {

    @Inject
    ProcessDocument processDocument;

    @Incoming(Channels.DOCUMENTS)
    public Uni<Void> consume(String payload) {
        return Uni.createFrom()
                .item(() -> EventJson.read(payload, DocumentEvent.class))
                .flatMap(processDocument::process);
    }
}
