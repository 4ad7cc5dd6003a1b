package dev.engram.writer.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the pipeline's work since start (exposed as metrics later; read by tests now). */
@ApplicationScoped
public class PipelineStats {

    private final AtomicLong chunksEmbedded = new AtomicLong();
    private final AtomicLong chunksReused = new AtomicLong();
    private final AtomicLong documentsIndexed = new AtomicLong();
    private final AtomicLong documentsFailed = new AtomicLong();
    private final AtomicLong documentsAbandoned = new AtomicLong();

    void embedded(int chunks) {
        chunksEmbedded.addAndGet(chunks);
    }

    void reused(int chunks) {
        chunksReused.addAndGet(chunks);
    }

    void indexed(int documents) {
        documentsIndexed.addAndGet(documents);
    }

    void failed() {
        documentsFailed.incrementAndGet();
    }

    void abandoned() {
        documentsAbandoned.incrementAndGet();
    }

    /** Chunks sent to the embedding model. */
    public long chunksEmbedded() {
        return chunksEmbedded.get();
    }

    /** Chunks whose stored embedding was reused (unchanged content). */
    public long chunksReused() {
        return chunksReused.get();
    }

    /** Documents reported done. */
    public long documentsIndexed() {
        return documentsIndexed.get();
    }

    /** Documents reported failed. */
    public long documentsFailed() {
        return documentsFailed.get();
    }

    /** Documents dropped because they were deleted or superseded while queued or in flight. */
    public long documentsAbandoned() {
        return documentsAbandoned.get();
    }
}
