package dev.engram.writer.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the pipeline's work since start, read by tests and exported as Prometheus metrics: {@code
 * engram_writer_documents_total{outcome=done|failed|abandoned}}, {@code engram_writer_chunks_total{source=embedded|
 * reused}} and {@code engram_writer_stage_seconds{stage}} (a histogram of how long one stage took over one segment of
 * a batch).
 */
@ApplicationScoped
public class PipelineStats {

    /** Metric names, shared with the tests and the dashboard check. */
    public static final String DOCUMENTS = "engram.writer.documents";

    public static final String CHUNKS = "engram.writer.chunks";
    public static final String STAGE_TIME = "engram.writer.stage";

    /** The stages timed: those a document's status names. */
    private static final Stage[] TIMED = {Stage.EXTRACTING, Stage.CHUNKING, Stage.EMBEDDING, Stage.INDEXING};

    private final AtomicLong chunksEmbedded = new AtomicLong();
    private final AtomicLong chunksReused = new AtomicLong();
    private final AtomicLong documentsIndexed = new AtomicLong();
    private final AtomicLong documentsFailed = new AtomicLong();
    private final AtomicLong documentsAbandoned = new AtomicLong();

    private final Map<Stage, Timer> stageTimers = new EnumMap<>(Stage.class);

    PipelineStats(MeterRegistry registry) {
        counter(registry, DOCUMENTS, "outcome", "done", documentsIndexed);
        counter(registry, DOCUMENTS, "outcome", "failed", documentsFailed);
        counter(registry, DOCUMENTS, "outcome", "abandoned", documentsAbandoned);
        counter(registry, CHUNKS, "source", "embedded", chunksEmbedded);
        counter(registry, CHUNKS, "source", "reused", chunksReused);
        for (Stage stage : TIMED) {
            stageTimers.put(
                    stage,
                    Timer.builder(STAGE_TIME)
                            .description("Time one pipeline stage took over one segment of a batch")
                            .tag("stage", stage.wireName())
                            .publishPercentileHistogram()
                            .register(registry));
        }
    }

    private static void counter(MeterRegistry registry, String name, String tag, String value, AtomicLong source) {
        FunctionCounter.builder(name, source, AtomicLong::doubleValue)
                .tag(tag, value)
                .register(registry);
    }

    /** Runs {@code work} and records its duration as the stage's processing time. */
    void time(Stage stage, Runnable work) {
        Timer timer = stageTimers.get(stage);
        if (timer == null) {
            work.run();
        } else {
            timer.record(work);
        }
    }

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
