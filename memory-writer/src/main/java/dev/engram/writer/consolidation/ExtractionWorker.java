package dev.engram.writer.consolidation;

import dev.engram.writer.config.WriterConfig;
import dev.engram.writer.pipeline.DocumentPipeline;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Works through the extraction queue on one background thread, yielding to the document pipeline while it is busy:
 * claims due jobs, hands each to the
 * {@link ExtractionRunner}, and records how it ended. A retriable failure (the LLM is down, the database blinked)
 * puts the job back with a doubling pause until {@code writer.extraction.max-attempts}; then, or at once for a
 * permanent failure, the job ends {@code failed} with the reason and a dead letter. Nothing stays pending for ever.
 */
@ApplicationScoped
public class ExtractionWorker {

    private static final Logger LOG = Logger.getLogger(ExtractionWorker.class);
    private static final int CLAIM = 4;

    /** Metric name of the memory extraction attempts, by outcome (done, skipped, retried, failed). */
    public static final String JOBS_METRIC = "engram.writer.extraction.jobs";

    @Inject
    WriterConfig config;

    @Inject
    ExtractionJobs jobs;

    @Inject
    ExtractionRunner runner;

    @Inject
    DocumentPipeline pipeline;

    @Inject
    MeterRegistry registry;

    private volatile boolean running;
    private Thread thread;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (!config.extraction().enabled()) {
            LOG.info("memory extraction is disabled (writer.extraction.enabled=false)");
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("memory-extraction").daemon().start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private void loop() {
        Duration idle = config.extraction().pollInterval();
        while (running) {
            try {
                yieldToDocuments();
                List<ExtractionJob> claimed =
                        jobs.claim(CLAIM, config.extraction().lease());
                for (ExtractionJob job : claimed) {
                    if (!running) {
                        return;
                    }
                    runOne(job);
                }
                if (claimed.isEmpty()) {
                    Thread.sleep(idle.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // The queue itself is unreachable (e.g. PostgreSQL restarting): wait and try again.
                LOG.warnf("extraction queue unavailable: %s", e.toString());
                sleep(idle.multipliedBy(5));
            }
        }
    }

    /**
     * Waits while the document pipeline is busy (it and extraction share the CPU and the embedding model), but never
     * longer than {@code writer.extraction.max-yield} in a row, so memories still progress under steady load.
     */
    private void yieldToDocuments() throws InterruptedException {
        Duration quiet = config.extraction().yieldToDocuments();
        if (quiet.isZero()) {
            return;
        }
        long deadline = System.nanoTime() + config.extraction().maxYield().toNanos();
        while (running && pipeline.idleFor().compareTo(quiet) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(250, Math.max(1, quiet.toMillis())));
        }
    }

    private void runOne(ExtractionJob job) throws Exception {
        try {
            ExtractionJobs.Outcome outcome = runner.run(job);
            if (outcome == null) {
                return;
            }
            jobs.complete(job, outcome);
            count("done");
        } catch (ExtractionRunner.Skipped skipped) {
            jobs.skip(job, skipped.getMessage());
            count("skipped");
        } catch (ExtractionRunner.JobFailure failure) {
            int maxAttempts = config.extraction().maxAttempts();
            if (failure.retriable() && job.attempts() < maxAttempts) {
                Duration delay =
                        config.extraction().retryBackoff().multipliedBy(1L << Math.min(job.attempts() - 1, 10));
                LOG.infof(
                        "memory extraction of a document will be retried in %s (attempt %d of %d): %s",
                        delay, job.attempts(), maxAttempts, failure.getMessage());
                jobs.retryLater(job, failure.getMessage(), delay);
                count("retried");
            } else {
                String reason = failure.retriable()
                        ? "gave up after " + job.attempts() + " attempts: " + failure.getMessage()
                        : failure.getMessage();
                LOG.warnf("memory extraction of a document failed: %s", reason);
                jobs.fail(job, reason);
                count("failed");
                runner.deadLetter(job, reason, failure);
            }
        }
    }

    /** Counts a finished attempt in {@code engram_writer_extraction_jobs_total{outcome}}. */
    private void count(String outcome) {
        registry.counter(JOBS_METRIC, "outcome", outcome).increment();
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
