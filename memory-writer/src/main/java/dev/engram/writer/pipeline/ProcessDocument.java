package dev.engram.writer.pipeline;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.writer.messaging.StatusPublisher;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Processes one revision of a document and reports its status.
 *
 * <p>Today a document is accepted as it is and reported {@code done}: extraction, chunking, embedding and indexing
 * are not built yet (issue #3), so nothing is searchable. Every hop around it (outbox, Kafka, this consumer, the
 * status event, the document update) is the real mechanism.
 */
@ApplicationScoped
public class ProcessDocument {

    private static final Logger LOG = Logger.getLogger(ProcessDocument.class);

    @Inject
    StatusPublisher statusPublisher;

    @Inject
    Clock clock;

    public Uni<Void> process(DocumentEvent document) {
        LOG.debugf(
                "processing revision %d of a document (%d chars)",
                document.revision(), document.content().length());
        return statusPublisher.publish(status(document, DocumentStatus.DONE, null));
    }

    private ProcessingStatusEvent status(DocumentEvent document, DocumentStatus status, String reason) {
        return ProcessingStatusEvent.of(
                UUID.randomUUID().toString(),
                clock.instant(),
                document.containerTag(),
                document.orgId(),
                document.documentId(),
                document.revision(),
                status,
                reason);
    }
}
