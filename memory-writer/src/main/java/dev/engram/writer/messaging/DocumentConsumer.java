package dev.engram.writer.messaging;

import dev.engram.core.events.DocumentEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.json.MalformedEventException;
import dev.engram.writer.config.WriterConfig;
import dev.engram.writer.pipeline.DocumentPipeline;
import dev.engram.writer.pipeline.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@code engram.documents.v1} on a thread of its own, one poll (up to {@code writer.documents.batch-size}
 * events, in partition order) at a time, and submits each to the {@link DocumentPipeline}: the pipeline embeds it on
 * this thread and indexes it on its own, and blocks the next submission while two batches are in it, so the next
 * batch is read and embedded while this one is indexed. A batch's offsets are committed only once the pipeline
 * finished it, i.e. after the index commit and after every status event and dead letter was acknowledged: a crash
 * means a redelivery, which the pipeline absorbs, never a loss.
 *
 * <p>A plain Kafka consumer rather than a Reactive Messaging channel: while the pipeline is behind, which is all the
 * time during an import, the channel pauses its consumer and then polls it every 2 ms (a constant of the connector),
 * which cost memory-writer about 4 CPU-seconds per import of 10,000 documents. This loop polls only when it can
 * take a batch, and blocks otherwise. A batch the pipeline fails as a whole (it handles each document's failure
 * itself, so this is a bug) goes to the dead-letter topic record by record, as the channel's failure strategy did.
 */
@ApplicationScoped
public class DocumentConsumer {

    private static final Logger LOG = Logger.getLogger(DocumentConsumer.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    /** How long a revocation or a shutdown waits for the batches in the pipeline before it gives up on them. */
    private static final Duration DRAIN = Duration.ofSeconds(60);

    @Inject
    DocumentPipeline pipeline;

    @Inject
    RecordTrace trace;

    @Inject
    DeadLetters deadLetters;

    @Inject
    WriterConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    /** A submitted batch: the offsets to commit once it is finished. */
    private record Batch(Map<TopicPartition, OffsetAndMetadata> next, CompletableFuture<Void> finished) {}

    private final Deque<Batch> inPipeline = new ArrayDeque<>(); // the loop thread only
    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;
    private KafkaClientMetrics metrics;
    private Thread thread;

    void onStart(@Observes @Priority(20) StartupEvent event) {
        Map<String, Object> properties = new HashMap<>(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.documents().group());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, config.documents().group() + "-documents");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.documents().batchSize());
        // A batch may take a while (embedding); allow it before the broker assumes the consumer died.
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int)
                Duration.ofMinutes(10).toMillis());
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        running = true;
        thread = Thread.ofPlatform().name("document-consumer").start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        thread.join(DRAIN.plusSeconds(10).toMillis());
    }

    /** Whether the loop runs; for health checks and tests. */
    public boolean running() {
        return running && thread != null && thread.isAlive();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(config.documents().topic()), new Rebalance());
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(POLL);
                commitFinished();
                if (!records.isEmpty()) {
                    consume(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("the document consumer was woken up while running", e);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("the document consumer stopped: documents are not processed until a restart", e);
        } finally {
            running = false;
            try {
                drain();
            } finally {
                metrics.close();
                consumer.close(Duration.ofSeconds(10));
            }
        }
    }

    /** One poll's events, handed to the pipeline; blocks while the pipeline is full. */
    private void consume(ConsumerRecords<String, String> records) {
        List<DocumentPipeline.Item> items = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            var source = DeadLetters.SourceRecord.of(record);
            var context = trace.consumed(record, "DocumentConsumer.consume");
            try {
                items.add(new DocumentPipeline.Item(source, EventJson.read(record.value(), DocumentEvent.class), null)
                        .tracedIn(context));
            } catch (MalformedEventException e) {
                items.add(new DocumentPipeline.Item(source, null, e.getMessage()).tracedIn(context));
            }
        }
        CompletableFuture<Void> finished = pipeline.submit(items)
                .toCompletableFuture()
                .exceptionallyCompose(failure -> deadLetterAll(items, failure));
        inPipeline.add(new Batch(records.nextOffsets(), finished));
    }

    /** The backstop for a batch the pipeline failed as a whole: each of its events to the dead-letter topic. */
    private CompletableFuture<Void> deadLetterAll(List<DocumentPipeline.Item> items, Throwable failure) {
        LOG.errorf(
                failure,
                "the pipeline failed a batch of %d document events; they go to the dead-letter topic",
                items.size());
        String reason = "the pipeline failed the batch: " + failure;
        CompletableFuture<?>[] sent = items.stream()
                .map(item -> deadLetters
                        .send(
                                item.source(),
                                Stage.PIPELINE,
                                reason,
                                failure.getClass().getName())
                        .subscribeAsCompletionStage())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sent);
    }

    /** Commits the offsets of the finished batches at the head of the queue (in submission order). */
    private void commitFinished() {
        Map<TopicPartition, OffsetAndMetadata> offsets = takeFinished();
        if (!inPipeline.isEmpty() && inPipeline.peekFirst().finished().isCompletedExceptionally()) {
            // Not even its dead letters went out (the broker is unreachable): stop with its offsets uncommitted,
            // so that it is read again after a restart; readiness reports the consumer down meanwhile.
            LOG.error("a batch of document events could not be dead-lettered; the consumer stops");
            running = false;
        }
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, failure) -> {
                if (failure != null) {
                    LOG.warnf("could not commit document offsets (the events will be read again): %s", failure);
                }
            });
        }
    }

    /**
     * Removes the batches at the head of the queue that finished well and returns their offsets; stops at the first
     * one still in the pipeline or failed.
     */
    private Map<TopicPartition, OffsetAndMetadata> takeFinished() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        while (!inPipeline.isEmpty()
                && inPipeline.peekFirst().finished().isDone()
                && !inPipeline.peekFirst().finished().isCompletedExceptionally()) {
            offsets.putAll(inPipeline.pollFirst().next());
        }
        return offsets;
    }

    /** Waits (bounded) for the batches in the pipeline and commits what finished. */
    private void drain() {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (Batch batch : inPipeline) {
            try {
                batch.finished().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // its failure is handled below: the offsets stay uncommitted
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = takeFinished();
        inPipeline.clear();
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warnf("could not commit document offsets (the events will be read again): %s", e);
            }
        }
    }

    /** Before partitions move to another replica, the batches read from them are finished and committed. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!inPipeline.isEmpty()) {
                drain();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debugf("document partitions assigned: %s", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            inPipeline.clear(); // another replica has them already: their offsets are not ours to commit
        }
    }
}
