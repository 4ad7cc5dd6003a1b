package dev.engram.writer.pipeline;

import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.embedding.TextEmbedder;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.events.DocumentEvent;
import dev.engram.core.events.DocumentOperation;
import dev.engram.core.events.ProcessingStatusEvent;
import dev.engram.core.text.StorableText;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorStore;
import dev.engram.writer.config.WriterConfig;
import dev.engram.writer.consolidation.MemoryJobPlanner;
import dev.engram.writer.messaging.DeadLetters;
import dev.engram.writer.messaging.StatusPublisher;
import dev.engram.writer.store.ChunkStore;
import dev.engram.writer.store.DocumentSource;
import dev.engram.writer.store.OrgSettingsSource;
import dev.engram.writer.store.StoredChunk;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * Processes a batch of document events, in order: {@code extracting → chunking → embedding → indexing → done}, each
 * status published as it starts. Consecutive upserts are processed together: extracted and chunked as one, then cut
 * into groups of at most {@code writer.documents.texts-per-group} chunks, each embedded in shared calls, indexed with
 * one chunk transaction and one index commit, and reported {@code done} after that commit, while the next group is
 * embedded.
 *
 * <p>Idempotent: chunk ids are deterministic, vectors are upserted by id, stale points are deleted, and embeddings
 * of unchanged chunks are reused, so a redelivered event changes nothing and re-adding a document embeds only what
 * changed. Before each stage the document is checked against ingest-service's current revision: a document deleted
 * or superseded meanwhile is abandoned. A document that fails for good ends {@code failed} with a reason, and its
 * event goes to the dead-letter topic with the stage; nothing is left {@code queued}.
 */
@ApplicationScoped
public class DocumentPipeline {

    private static final Logger LOG = Logger.getLogger(DocumentPipeline.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);
    private static final int IN_FLIGHT = 2;

    @Inject
    ContentPreparation preparation;

    @Inject
    ChunkPlanner chunkPlanner;

    @Inject
    TextEmbedder embedder;

    @Inject
    VectorStore vectors;

    @Inject
    ChunkStore chunks;

    @Inject
    DocumentSource documents;

    @Inject
    Retrier retrier;

    @Inject
    StatusPublisher statusPublisher;

    @Inject
    DeadLetters deadLetters;

    @Inject
    PipelineStats stats;

    @Inject
    Clock clock;

    @Inject
    MemoryJobPlanner memoryJobs;

    @Inject
    OrgSettingsSource orgSettings;

    @Inject
    Tracer tracer;

    @Inject
    WriterConfig config;

    /**
     * One record of the batch: its event, or why it could not be read.
     *
     * @param source the record as read, for dead letters
     * @param event the document to process ({@code null} when unreadable); for a conversation, its transcript
     * @param parseError why the record could not be read, or {@code null}
     * @param conversation the conversation the event was made from, or {@code null} for documents
     * @param trace the trace the record was consumed in: the stages' spans are its children
     */
    public record Item(
            DeadLetters.SourceRecord source,
            DocumentEvent event,
            String parseError,
            ConversationEvent conversation,
            Context trace) {

        /** A document record. */
        public Item(DeadLetters.SourceRecord source, DocumentEvent event, String parseError) {
            this(source, event, parseError, null, Context.root());
        }

        /** A conversation record. */
        public Item(
                DeadLetters.SourceRecord source,
                DocumentEvent event,
                String parseError,
                ConversationEvent conversation) {
            this(source, event, parseError, conversation, Context.root());
        }

        /** This item, processed in {@code context}'s trace. */
        public Item tracedIn(Context context) {
            return new Item(source, event, parseError, conversation, context);
        }
    }

    /** Batches accepted and not finished yet, and when the last one finished (for {@link #idleFor()}). */
    private final AtomicInteger active = new AtomicInteger();

    private final AtomicLong lastBusyNanos =
            new AtomicLong(System.nanoTime() - Duration.ofHours(1).toNanos());

    /** Batches in the pipeline at once: one being embedded while the one before it is indexed. */
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

    /**
     * Writes to the index and the chunk table, one group at a time in the order they were handed over (a batch's in
     * its order, the batches in the order they were submitted), so a later event of a document is never applied
     * before an earlier one.
     */
    private ExecutorService indexer;

    /** Most chunk texts embedded and indexed as one group ({@code writer.documents.texts-per-group}). */
    private int textsPerGroup;

    @PostConstruct
    void start() {
        textsPerGroup = config.documents().textsPerGroup();
        if (textsPerGroup < 1) {
            throw new IllegalStateException(
                    "writer.documents.texts-per-group must be at least 1, not " + textsPerGroup);
        }
        indexer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("document-indexer").daemon().factory());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        indexer.shutdown();
        if (!indexer.awaitTermination(30, TimeUnit.SECONDS)) {
            indexer.shutdownNow(); // the unacknowledged batches are redelivered after the restart
        }
    }

    /** How long ago the pipeline last worked on a batch (zero while it is working on one). */
    public Duration idleFor() {
        return active.get() > 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - lastBusyNanos.get());
    }

    /** Processes the items in order; returns once every status and dead letter is acknowledged by the broker. */
    public void process(List<Item> items) {
        submit(items).toCompletableFuture().join();
    }

    /**
     * Processes the items in order, in two halves: extraction, chunking and embedding run on the caller's thread;
     * indexing, the chunk table and the final statuses run on the indexing thread, a group as soon as it is embedded,
     * after everything handed over before it. So the next group, and the next batch, is embedded while this one is
     * indexed. Blocks while {@value #IN_FLIGHT} batches are in the pipeline already.
     *
     * @return completes once the batch is indexed and every status and dead letter is acknowledged by the broker;
     *     only then may its offsets be committed. It fails, after the batch's work already handed to the indexing
     *     thread has run, if either half threw (a bug: each document's failure is handled in the pipeline); the work
     *     handed over after the throw is skipped.
     */
    public CompletionStage<Void> submit(List<Item> items) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        active.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Statuses and dead letters are sent from both threads; awaited on the indexing thread at the end.
        List<Uni<Void>> pending = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Consumer<Runnable> toIndexer = work -> indexer.execute(() -> {
            if (thrown.get() == null) {
                try {
                    work.run();
                } catch (RuntimeException | Error e) {
                    thrown.compareAndSet(null, e);
                }
            }
        });
        try {
            frontHalf(items, pending, toIndexer);
        } catch (RuntimeException | Error e) {
            thrown.compareAndSet(null, e);
        }
        try {
            indexer.execute(() -> {
                if (thrown.get() != null) {
                    done.completeExceptionally(thrown.get());
                    return;
                }
                try {
                    List<Uni<Void>> sent;
                    synchronized (pending) {
                        sent = List.copyOf(pending);
                    }
                    await(sent);
                    done.complete(null);
                } catch (RuntimeException | Error e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) { // rejected: the pipeline is shutting down
            done.completeExceptionally(thrown.get() != null ? thrown.get() : e);
        }
        return done.whenComplete((v, failure) -> {
            lastBusyNanos.set(System.nanoTime());
            active.decrementAndGet();
            inFlight.release();
        });
    }

    /**
     * Runs the stages up to embedding for every upsert of the batch and hands what is left to do on the indexing
     * thread to {@code toIndexer}, in the batch's order, a group at a time as soon as it is ready.
     */
    private void frontHalf(List<Item> items, List<Uni<Void>> pending, Consumer<Runnable> toIndexer) {
        List<Work> segment = new ArrayList<>();
        for (Item item : items) {
            if (item.event() == null) {
                LOG.warnf(
                        "unreadable document event at offset %d: %s",
                        item.source().offset(), item.parseError());
                pending.add(now(
                        deadLetters.send(item.source(), Stage.PARSING, item.parseError(), "MalformedEventException")));
                continue;
            }
            if (item.event().operation() == DocumentOperation.UPSERT) {
                segment.add(new Work(item));
                continue;
            }
            prepareUpserts(segment, pending, toIndexer);
            segment = new ArrayList<>();
            toIndexer.accept(() -> applyOther(item, pending));
        }
        prepareUpserts(segment, pending, toIndexer);
    }

    private void applyOther(Item item, List<Uni<Void>> pending) {
        DocumentEvent event = item.event();
        Stage stage = event.operation() == DocumentOperation.DELETE ? Stage.DELETING : Stage.UPDATING_METADATA;
        try {
            retrier.call(stage, () -> {
                if (event.operation() == DocumentOperation.DELETE) {
                    vectors.deleteDocument(VectorKind.CHUNKS, event.orgId(), event.documentId());
                    vectors.commit(VectorKind.CHUNKS);
                    chunks.deleteDocument(event.orgId(), event.documentId());
                    memoryJobs.documentDeleted(event.orgId(), event.containerTag(), event.documentId());
                } else {
                    updateMetadata(event);
                }
                return null;
            });
        } catch (StageFailure failure) {
            // A delete or metadata change that cannot be applied leaves the document's own status as it was; the
            // event is kept in the dead-letter topic for replay.
            LOG.errorf("could not apply %s to a document: %s", event.operation().wireName(), failure.reason());
            pending.add(now(deadLetters.send(item.source(), stage, failure.reason(), failure.causeClass())));
        }
    }

    private void updateMetadata(DocumentEvent event) throws Exception {
        List<StoredChunk> stored = chunks.chunksOf(event.orgId(), event.documentId());
        if (stored.isEmpty()) {
            return;
        }
        vectors.upsert(
                VectorKind.CHUNKS, stored.stream().map(c -> point(event, c)).toList());
        vectors.commit(VectorKind.CHUNKS);
    }

    private void prepareUpserts(List<Work> segment, List<Uni<Void>> pending, Consumer<Runnable> toIndexer) {
        if (segment.isEmpty()) {
            return;
        }
        List<Work> live = new ArrayList<>(segment);
        stats.time(
                Stage.EXTRACTING,
                () -> runStage(live, Stage.EXTRACTING, pending, work -> {
                    Optional<String> unstorable = unstorableText(work.item);
                    if (unstorable.isPresent()) {
                        throw new StageFailure(
                                Stage.EXTRACTING,
                                false,
                                "the event holds text that cannot be stored: " + unstorable.get(),
                                null);
                    }
                    work.prepared = preparation.prepare(work.event());
                }));
        Map<String, OrgSettingsSource.PipelineSettings> settings = organisationSettings(live, pending);
        stats.time(
                Stage.CHUNKING,
                () -> runStage(live, Stage.CHUNKING, pending, work -> {
                    OrgSettingsSource.PipelineSettings own =
                            settings.get(work.event().orgId());
                    work.planned = chunkPlanner.plan(
                            work.event().orgId(),
                            work.event().documentId(),
                            work.prepared.text(),
                            own == null ? null : own.chunkSize());
                    if (work.planned.isEmpty()) {
                        throw new StageFailure(Stage.CHUNKING, false, "the document has no text to index", null);
                    }
                }));
        for (List<Work> group : groups(live, work -> work.planned.size(), textsPerGroup)) {
            stats.time(Stage.EMBEDDING, () -> embed(group, pending));
            if (!group.isEmpty()) {
                toIndexer.accept(() -> stats.time(Stage.INDEXING, () -> index(group, pending)));
            }
        }
    }

    /**
     * Cuts {@code items} into consecutive groups of at most {@code limit} in total {@code size}, never one item apart:
     * an item larger than the limit is a group of its own. The groups are new, mutable lists, in order.
     */
    static <T> List<List<T>> groups(List<T> items, ToIntFunction<T> size, int limit) {
        List<List<T>> groups = new ArrayList<>();
        List<T> group = new ArrayList<>();
        long total = 0;
        for (T item : items) {
            int own = size.applyAsInt(item);
            if (!group.isEmpty() && total + own > limit) {
                groups.add(group);
                group = new ArrayList<>();
                total = 0;
            }
            group.add(item);
            total += own;
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /**
     * Text of the event PostgreSQL cannot store ({@link StorableText}), as {@code field: reason}. The API refuses it,
     * but another producer may write it: the document then fails here with that reason, not in indexing with the
     * database's, and ingest-service, which cannot store the event either, skips it.
     */
    private static Optional<String> unstorableText(Item item) {
        DocumentEvent event = item.event();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("customId", event.customId());
        fields.put("content", event.content());
        fields.put("filepath", event.filepath());
        fields.put("filename", event.filename());
        fields.put("entityContext", event.entityContext());
        fields.put("contentType", event.contentType());
        fields.put("metadata", event.metadata());
        if (item.conversation() != null) {
            List<ConversationMessage> messages = item.conversation().messages();
            for (int i = 0; i < messages.size(); i++) {
                fields.put("messages[" + i + "].content", messages.get(i).content());
                fields.put("messages[" + i + "].name", messages.get(i).name());
            }
        }
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Optional<String> problem = StorableText.problemIn(field.getKey(), field.getValue());
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /**
     * The settings of the organisations whose documents are about to be chunked (one query for the segment; their
     * {@code chunkSize} sizes the chunks). When they cannot be read, the documents fail in chunking.
     */
    private Map<String, OrgSettingsSource.PipelineSettings> organisationSettings(
            List<Work> live, List<Uni<Void>> pending) {
        if (live.isEmpty()) {
            return Map.of();
        }
        Set<String> orgs = new HashSet<>();
        live.forEach(work -> orgs.add(work.event().orgId()));
        try {
            return retrier.call(Stage.CHUNKING, () -> orgSettings.of(orgs));
        } catch (StageFailure failure) {
            live.forEach(work -> fail(work, failure, pending));
            live.clear();
            return Map.of();
        }
    }

    /**
     * Drops the documents deleted or superseded since their event was written (one query for the whole segment),
     * so a stage never works for a document nobody wants any more.
     */
    private void dropAbandoned(List<Work> live, Stage stage, List<Uni<Void>> pending) {
        if (live.isEmpty()) {
            return;
        }
        List<DocumentSource.Revision> revisions = live.stream()
                .map(w -> new DocumentSource.Revision(
                        w.event().orgId(), w.event().documentId(), w.event().revision()))
                .toList();
        try {
            Set<DocumentSource.Revision> current = retrier.call(stage, () -> documents.live(revisions));
            live.removeIf(work -> {
                boolean gone = !current.contains(new DocumentSource.Revision(
                        work.event().orgId(),
                        work.event().documentId(),
                        work.event().revision()));
                if (gone) {
                    stats.abandoned();
                }
                return gone;
            });
        } catch (StageFailure failure) {
            live.forEach(work -> fail(work, failure, pending));
            live.clear();
        }
    }

    /** Runs one stage over every live document, dropping (and failing) those it fails for. */
    private void runStage(List<Work> live, Stage stage, List<Uni<Void>> pending, StageStep step) {
        dropAbandoned(live, stage, pending);
        int documents = live.size();
        live.removeIf(work -> {
            pending.add(status(work.event(), stage.status()));
            Span span = span(work, stage, documents);
            try {
                retrier.call(stage, () -> {
                    step.run(work);
                    return null;
                });
                if (work.planned != null && stage == Stage.CHUNKING) {
                    span.setAttribute("engram.chunk.count", work.planned.size());
                }
                return false;
            } catch (StageFailure failure) {
                failed(span, failure);
                fail(work, failure, pending);
                return true;
            } finally {
                span.end();
            }
        });
    }

    private void embed(List<Work> live, List<Uni<Void>> pending) {
        dropAbandoned(live, Stage.EMBEDDING, pending);
        Map<Work, Span> spans = spans(live, Stage.EMBEDDING);
        try {
            embedSpanned(live, pending);
        } finally {
            endSpans(spans, live);
        }
    }

    private void embedSpanned(List<Work> live, List<Uni<Void>> pending) {
        live.forEach(work -> pending.add(status(work.event(), DocumentStatus.EMBEDDING)));
        // Embeddings of chunks the documents already have (same id, so same content) are reused.
        Map<DocumentKey, List<StoredChunk>> stored;
        try {
            stored = retrier.call(Stage.EMBEDDING, () -> storedChunks(live));
        } catch (StageFailure failure) {
            live.forEach(work -> fail(work, failure, pending));
            live.clear();
            return;
        }
        for (Work work : live) {
            Map<String, float[]> reusable = new HashMap<>();
            for (StoredChunk chunk : stored.getOrDefault(DocumentKey.of(work.event()), List.of())) {
                if (chunk.modelId().equals(embedder.modelId())) {
                    reusable.put(chunk.id(), chunk.embedding());
                }
            }
            work.vectors = new float[work.planned.size()][];
            int reused = 0;
            for (int i = 0; i < work.planned.size(); i++) {
                work.vectors[i] = reusable.get(work.planned.get(i).id());
                reused += work.vectors[i] == null ? 0 : 1;
            }
            stats.reused(reused);
        }
        // The chunks still missing a vector, across all documents of the segment, embedded in shared batches.
        List<Work> owners = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Work work : live) {
            for (int i = 0; i < work.vectors.length; i++) {
                if (work.vectors[i] == null) {
                    owners.add(work);
                    positions.add(i);
                    texts.add(work.planned.get(i).text());
                }
            }
        }
        if (texts.isEmpty()) {
            return;
        }
        try {
            List<float[]> made = retrier.call(Stage.EMBEDDING, () -> embedder.embed(texts));
            stats.embedded(made.size());
            for (int i = 0; i < made.size(); i++) {
                owners.get(i).vectors[positions.get(i)] = made.get(i);
            }
        } catch (StageFailure shared) {
            if (live.size() == 1) {
                fail(live.get(0), shared, pending);
                live.clear();
                return;
            }
            // Find the document at fault: embed each one on its own.
            live.removeIf(work -> {
                try {
                    List<String> own = new ArrayList<>();
                    List<Integer> at = new ArrayList<>();
                    for (int i = 0; i < work.vectors.length; i++) {
                        if (work.vectors[i] == null) {
                            own.add(work.planned.get(i).text());
                            at.add(i);
                        }
                    }
                    List<float[]> made = retrier.call(Stage.EMBEDDING, () -> embedder.embed(own));
                    stats.embedded(made.size());
                    for (int i = 0; i < made.size(); i++) {
                        work.vectors[at.get(i)] = made.get(i);
                    }
                    return false;
                } catch (StageFailure failure) {
                    fail(work, failure, pending);
                    return true;
                }
            });
        }
    }

    private void index(List<Work> live, List<Uni<Void>> pending) {
        dropAbandoned(live, Stage.INDEXING, pending);
        Map<Work, Span> spans = spans(live, Stage.INDEXING);
        try {
            indexSpanned(live, pending, spans);
        } finally {
            endSpans(spans, live);
        }
    }

    private void indexSpanned(List<Work> live, List<Uni<Void>> pending, Map<Work, Span> spans) {
        live.forEach(work -> pending.add(status(work.event(), DocumentStatus.INDEXING)));
        // The chunks stored now (read here, on the indexing thread, after every earlier batch was written): those a
        // document no longer has lose their points.
        Map<DocumentKey, List<String>> storedIds;
        try {
            storedIds = retrier.call(Stage.INDEXING, () -> storedChunkIds(live));
        } catch (StageFailure failure) {
            live.forEach(work -> fail(work, failure, pending));
            live.clear();
            return;
        }
        live.removeIf(work -> {
            try {
                List<String> before = storedIds.getOrDefault(DocumentKey.of(work.event()), List.of());
                retrier.call(Stage.INDEXING, () -> {
                    writeDocument(work, before, spans.get(work));
                    return null;
                });
                return false;
            } catch (StageFailure failure) {
                fail(work, failure, pending);
                return true;
            }
        });
        storeChunks(live, pending);
        if (live.isEmpty()) {
            return;
        }
        try {
            retrier.call(Stage.INDEXING, () -> {
                vectors.commit(VectorKind.CHUNKS);
                return null;
            });
        } catch (StageFailure failure) {
            live.forEach(work -> fail(work, failure, pending));
            return;
        }
        for (Work work : live) {
            pending.add(status(
                    work.event(),
                    DocumentStatus.DONE,
                    null,
                    work.prepared.title(),
                    work.prepared.type(),
                    work.planned.size(),
                    null));
        }
        stats.indexed(live.size());
        LOG.debugf("indexed %d document(s)", live.size());
    }

    /**
     * Replaces the stored chunks of the documents (and queues the memory extraction they owe) in one transaction. If
     * the database refuses it for good, each document is tried on its own, so only the one at fault fails; if it is
     * unreachable for longer than the retries last, they all fail.
     */
    private void storeChunks(List<Work> live, List<Uni<Void>> pending) {
        if (live.isEmpty()) {
            return;
        }
        try {
            List<ChunkStore.Replacement> replacements =
                    live.stream().map(this::replacement).toList();
            retrier.call(Stage.INDEXING, () -> {
                chunks.replaceAll(replacements);
                return null;
            });
        } catch (StageFailure shared) {
            if (shared.retriable() || live.size() == 1) {
                live.forEach(work -> fail(work, shared, pending));
                live.clear();
                return;
            }
            live.removeIf(work -> {
                try {
                    retrier.call(Stage.INDEXING, () -> {
                        chunks.replaceAll(List.of(replacement(work)));
                        return null;
                    });
                    return false;
                } catch (StageFailure failure) {
                    fail(work, failure, pending);
                    return true;
                }
            });
        }
    }

    private ChunkStore.Replacement replacement(Work work) {
        DocumentEvent event = work.event();
        return new ChunkStore.Replacement(
                event.orgId(),
                event.documentId(),
                event.containerTag(),
                event.revision(),
                work.stored,
                connection -> memoryJobs.queue(connection, event, work.item.conversation()));
    }

    /** Upserts a document's points and removes the points of chunks it no longer has (its chunks are stored after). */
    private void writeDocument(Work work, List<String> storedIds, Span indexing) throws Exception {
        Span span = tracer.spanBuilder("DocumentPipeline.writeDocument")
                .setParent(Context.root().with(indexing))
                .setAttribute("engram.document.id", work.event().documentId())
                .setAttribute("engram.chunk.count", work.planned.size())
                .setAttribute("engram.chunk.stale", storedIds.size())
                .startSpan();
        try {
            write(work, storedIds);
        } catch (Exception | Error e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    private void write(Work work, List<String> storedIds) throws Exception {
        DocumentEvent event = work.event();
        List<StoredChunk> stored = new ArrayList<>(work.planned.size());
        for (int i = 0; i < work.planned.size(); i++) {
            ChunkPlanner.PlannedChunk chunk = work.planned.get(i);
            stored.add(new StoredChunk(
                    chunk.id(),
                    chunk.position(),
                    chunk.text(),
                    chunk.contentHash(),
                    chunk.tokenCount(),
                    embedder.modelId(),
                    work.vectors[i]));
        }
        Set<String> keep = new HashSet<>();
        stored.forEach(c -> keep.add(c.id()));
        List<String> stale = storedIds.stream().filter(id -> !keep.contains(id)).toList();
        vectors.upsert(
                VectorKind.CHUNKS, stored.stream().map(c -> point(event, c)).toList());
        if (!stale.isEmpty()) {
            vectors.delete(VectorKind.CHUNKS, event.orgId(), stale);
        }
        work.stored = stored;
    }

    private static VectorPoint point(DocumentEvent event, StoredChunk chunk) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("position", chunk.position());
        attributes.put("revision", event.revision());
        if (event.filepath() != null) {
            attributes.put("filepath", event.filepath());
        }
        return new VectorPoint(
                chunk.id(),
                event.orgId(),
                event.containerTag(),
                event.documentId(),
                chunk.embedding(),
                chunk.content(),
                event.metadata(),
                attributes);
    }

    /** The stored chunks of the documents, one query per organisation. */
    private Map<DocumentKey, List<StoredChunk>> storedChunks(List<Work> live) throws SQLException {
        return perOrganisation(live, chunks::chunksOf);
    }

    /** The ids of the stored chunks of the documents, one query per organisation. */
    private Map<DocumentKey, List<String>> storedChunkIds(List<Work> live) throws SQLException {
        return perOrganisation(live, chunks::chunkIdsOf);
    }

    /** Asks {@code read} once per organisation for its documents among {@code live}; the answers by document. */
    private static <T> Map<DocumentKey, T> perOrganisation(List<Work> live, ByDocument<T> read) throws SQLException {
        Map<String, List<String>> idsByOrg = new HashMap<>();
        for (Work work : live) {
            idsByOrg.computeIfAbsent(work.event().orgId(), org -> new ArrayList<>())
                    .add(work.event().documentId());
        }
        Map<DocumentKey, T> found = new HashMap<>();
        for (Map.Entry<String, List<String>> org : idsByOrg.entrySet()) {
            read.of(org.getKey(), org.getValue())
                    .forEach((id, value) -> found.put(new DocumentKey(org.getKey(), id), value));
        }
        return found;
    }

    @FunctionalInterface
    private interface ByDocument<T> {
        Map<String, T> of(String orgId, List<String> documentIds) throws SQLException;
    }

    private record DocumentKey(String orgId, String documentId) {
        static DocumentKey of(DocumentEvent event) {
            return new DocumentKey(event.orgId(), event.documentId());
        }
    }

    private void fail(Work work, StageFailure failure, List<Uni<Void>> pending) {
        DocumentEvent event = work.event();
        LOG.warnf("document failed in %s: %s", failure.stage(), failure.reason());
        stats.failed();
        pending.add(status(
                event,
                DocumentStatus.FAILED,
                failure.stage().wireName() + " failed: " + failure.reason(),
                null,
                null,
                null,
                failure.stage().wireName()));
        pending.add(now(deadLetters.send(work.item.source(), failure.stage(), failure.reason(), failure.causeClass())));
    }

    /** A stage starting: the status alone. */
    private Uni<Void> status(DocumentEvent event, DocumentStatus status) {
        return status(event, status, null, null, null, null, null);
    }

    private Uni<Void> status(
            DocumentEvent event,
            DocumentStatus status,
            String reason,
            String title,
            String type,
            Integer chunkCount,
            String failedStage) {
        return publish(new ProcessingStatusEvent(
                UUID.randomUUID().toString(),
                clock.instant(),
                ProcessingStatusEvent.SCHEMA_VERSION,
                event.containerTag(),
                event.orgId(),
                event.documentId(),
                event.revision(),
                status,
                reason,
                title,
                type,
                chunkCount,
                failedStage));
    }

    private Uni<Void> publish(ProcessingStatusEvent event) {
        return now(statusPublisher.publish(event));
    }

    /**
     * Starts a send at once (emitter Unis are lazy) and returns something to await at the end of the batch; the
     * producer keeps the sends of one partition in order.
     */
    private static Uni<Void> now(Uni<Void> send) {
        return Uni.createFrom().completionStage(send.subscribeAsCompletionStage());
    }

    private static void await(List<Uni<Void>> pending) {
        if (pending.isEmpty()) {
            return;
        }
        Uni.join().all(pending).andFailFast().await().atMost(PUBLISH_TIMEOUT);
    }

    /**
     * A stage's span for one document, child of the document's consume span (so each document's trace shows every
     * stage, also when the stage works on the whole batch at once). Attributes: ids and counts, never content.
     */
    private Span span(Work work, Stage stage, int batchDocuments) {
        DocumentEvent event = work.event();
        return tracer.spanBuilder("DocumentPipeline." + SPAN_NAMES.get(stage))
                .setParent(work.item.trace())
                .setAttribute("engram.org.id", event.orgId())
                .setAttribute("engram.document.id", event.documentId())
                .setAttribute("engram.document.revision", event.revision())
                .setAttribute("engram.batch.documents", batchDocuments)
                .startSpan();
    }

    private static final Map<Stage, String> SPAN_NAMES = Map.of(
            Stage.EXTRACTING, "extract",
            Stage.CHUNKING, "chunk",
            Stage.EMBEDDING, "embed",
            Stage.INDEXING, "index");

    /** One span per document for a stage that works on the batch at once. */
    private Map<Work, Span> spans(List<Work> live, Stage stage) {
        Map<Work, Span> spans = new HashMap<>();
        live.forEach(work -> spans.put(work, span(work, stage, live.size())));
        return spans;
    }

    /** Ends the stage's spans: those of documents no longer live failed in it. */
    private static void endSpans(Map<Work, Span> spans, List<Work> live) {
        spans.forEach((work, span) -> {
            if (work.vectors != null) {
                span.setAttribute("engram.chunk.count", work.vectors.length);
            }
            if (!live.contains(work)) {
                span.setStatus(StatusCode.ERROR, "failed");
            }
            span.end();
        });
    }

    private static void failed(Span span, StageFailure failure) {
        span.setStatus(StatusCode.ERROR, failure.stage().wireName() + " failed");
        if (failure.causeClass() != null) {
            span.setAttribute("engram.failure.class", failure.causeClass());
        }
    }

    /** A document moving through the stages. */
    private static final class Work {
        final Item item;
        ContentPreparation.Prepared prepared;
        List<ChunkPlanner.PlannedChunk> planned;
        float[][] vectors;
        /** The chunks as they are to be stored, once the document's points are upserted. */
        List<StoredChunk> stored;

        Work(Item item) {
            this.item = item;
        }

        DocumentEvent event() {
            return item.event();
        }
    }

    @FunctionalInterface
    private interface StageStep {
        void run(Work work) throws Exception;
    }
}
