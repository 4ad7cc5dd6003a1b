package dev.engram.writer.messaging;

import dev.engram.core.events.DocumentEvent;
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
 * Consumes {@code engram.documents.v1} in batches (one poll at a time, in partition order) and submits them to the
 * {@link DocumentPipeline} on a worker thread; the next batch is read while this one is indexed. The batch is
 * acknowledged (its offsets committed) only once the pipeline finished it, i.e. after the index commit and after
 * every status event and dead letter was acknowledged: a crash means a redelivery, which the pipeline absorbs, never
 * a loss.
 */
@ApplicationScoped
public class DocumentConsumer {

    @Inject
    DocumentPipeline pipeline;

    @Inject
    RecordTrace trace;

    @Incoming(Channels.DOCUMENTS)
    @Blocking(ordered = true)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<DocumentPipeline.Item> items = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            var source = DeadLetters.SourceRecord.of(record);
            var context = trace.consumed(record, "DocumentConsumer.consume");
            try {
                items.add(new DocumentPipeline.Item(
                                source, EventJson.read(record.getPayload(), DocumentEvent.class), null)
                        .tracedIn(context));
            } catch (MalformedEventException e) {
                items.add(new DocumentPipeline.Item(source, null, e.getMessage()).tracedIn(context));
            }
        }
        return PipelineAcks.whenFinished(pipeline.submit(items), batch);
    }
}
