package dev.engram.writer.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Acknowledges a consumed batch once the pipeline has finished it, without holding up the next batch. */
final class PipelineAcks {

    private PipelineAcks() {}

    /**
     * Acknowledges {@code batch} (its offsets may then be committed) when {@code finished} completes, or nacks it with
     * the failure; returns at once so the channel can deliver the next batch while this one is still being indexed.
     */
    static CompletionStage<Void> whenFinished(CompletionStage<Void> finished, Message<?> batch) {
        finished.whenComplete((done, failure) -> {
            if (failure == null) {
                batch.ack();
            } else {
                batch.nack(failure);
            }
        });
        return CompletableFuture.completedFuture(null);
    }
}
