package dev.engram.writer.messaging;

import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationTranscript;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.json.EventJson;
import dev.engram.core.json.MalformedEventException;
import dev.engram.writer.pipeline.DocumentPipeline;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code engram.conversations.v1} in batches: each conversation's transcript goes through the
 * {@link DocumentPipeline} as its document (so it is searchable and reports statuses like any document), and the
 * pipeline queues its new turns for memory extraction in the same transaction as the chunks. The batch is
 * acknowledged (its offsets committed) only once the pipeline finished it.
 */
@ApplicationScoped
public class ConversationConsumer {

    @Inject
    DocumentPipeline pipeline;

    @Inject
    RecordTrace trace;

    @Incoming(Channels.CONVERSATIONS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<DocumentPipeline.Item> items = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            var source = DeadLetters.SourceRecord.of(record);
            var context = trace.consumed(record, "ConversationConsumer.consume");
            try {
                ConversationEvent conversation = EventJson.read(record.getPayload(), ConversationEvent.class);
                if (conversation.messages().isEmpty()) {
                    items.add(new DocumentPipeline.Item(source, null, "the conversation has no messages"));
                    continue;
                }
                items.add(new DocumentPipeline.Item(source, transcript(conversation), null, conversation)
                        .tracedIn(context));
            } catch (MalformedEventException e) {
                items.add(new DocumentPipeline.Item(source, null, e.getMessage()));
            }
        }
        return PipelineAcks.whenFinished(pipeline.submit(items), batch);
    }

    /** The conversation as the document the pipeline indexes. */
    static DocumentEvent transcript(ConversationEvent conversation) {
        return new DocumentEvent(
                conversation.eventId(),
                conversation.occurredAt(),
                DocumentEvent.SCHEMA_VERSION,
                conversation.containerTag(),
                conversation.orgId(),
                conversation.documentId(),
                conversation.revision(),
                conversation.conversationId(),
                ConversationTranscript.render(conversation.messages()),
                conversation.metadata(),
                DocumentOperation.UPSERT,
                "text",
                null,
                null,
                null,
                null,
                conversation.entityContext(),
                null);
    }
}
