package dev.engram.bench;

import dev.engram.bench.CorpusGenerator.Document;
import dev.engram.bench.EngramClient.Accepted;
import dev.engram.bench.EngramClient.ApiException;
import dev.engram.bench.EngramClient.DocumentState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The end-to-end phase: posts the corpus through the Memory API while tracking every document until it is
 * {@code done} or {@code failed}.
 *
 * <p>Posting uses {@code POST /v3/documents/batch} if the first batch is accepted there, else one
 * {@code POST /v3/documents} per document; either way with a bounded number of requests in flight. Each document's
 * accept time is when the response that accepted it arrived.
 *
 * <p>Tracking polls {@code GET /v3/documents/processing} (the documents still in flight); a document's done time is
 * the arrival of the list it first no longer appeared in. Whether it ended done or failed, and its chunk count, are
 * read with one {@code GET /v3/documents/{id}} per document once the list holds none of the corpus, so those
 * requests do not load the stack while it is measured. Without the processing endpoint, pending documents are
 * polled one by one, oldest first. The pause after a poll is {@value #POLL_PAUSE_PER_LIST_TIME} times what the list
 * took (at least {@link Settings#pollInterval()}), so tracking takes at most about a tenth of the time: with ten thousand
 * documents in flight the list is 1.5 MB, and polling it every half second cost the stack (ingest-service, the gateway,
 * PostgreSQL) and this process about a fifth of a core, load the pipeline never has in use. Resolution of time-to-done
 * is therefore about one pause: a second or two while thousands are in flight, the shortest pause near the end.
 */
final class IngestRun {

    /** The pause after a poll of the processing list, as a multiple of the time the list took. */
    static final int POLL_PAUSE_PER_LIST_TIME = 10;

    /**
     * How to post and poll.
     *
     * @param batchSize documents per batch request (the API takes 1 to 600)
     * @param concurrency POST requests in flight
     * @param statusConcurrency status requests in flight while polling
     * @param pollInterval shortest pause between polls
     * @param timeout limit for the whole phase, posting included
     * @param pace pause after starting each POST request before the next one ({@link Duration#ZERO}: none), to post
     *     at a set rate rather than as fast as the stack takes them
     */
    record Settings(
            int batchSize,
            int concurrency,
            int statusConcurrency,
            Duration pollInterval,
            Duration timeout,
            Duration pace) {
        Settings {
            if (batchSize < 1 || batchSize > 600) {
                throw new IllegalArgumentException("batch size must be in 1..600");
            }
            if (concurrency < 1 || statusConcurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1");
            }
            if (pace.isNegative()) {
                throw new IllegalArgumentException("pace must not be negative");
            }
        }

        /** Posting as fast as the stack takes the requests. */
        Settings(int batchSize, int concurrency, int statusConcurrency, Duration pollInterval, Duration timeout) {
            this(batchSize, concurrency, statusConcurrency, pollInterval, timeout, Duration.ZERO);
        }

        /** The same settings, posting {@code batchSize} documents a request, one request every {@code pace}. */
        Settings paced(int batchSize, Duration pace) {
            return new Settings(batchSize, 1, statusConcurrency, pollInterval, timeout, pace);
        }
    }

    /** Where the chunk count came from. */
    enum ChunkSource {
        /** {@code chunkCount} of {@code GET /v3/documents/{id}}. */
        REPORTED,
        /** {@code GET /v3/documents/{id}/chunks}. */
        CHUNKS_ENDPOINT,
        /** Not reported by the stack: the count of the baseline's chunker. */
        ESTIMATED
    }

    /**
     * What happened.
     *
     * @param mode how documents were posted
     * @param elapsed from the first request to the last document done
     * @param timeToDone accept to done, per document done
     * @param chunks chunks of the documents done
     * @param failureSamples a few reasons for failures, rejections and time-outs
     * @param documentIds the id the stack gave each document done, by custom id
     */
    record Outcome(
            String mode,
            int documents,
            int done,
            int failed,
            int rejected,
            int timedOut,
            Duration elapsed,
            LatencyStats timeToDone,
            long chunks,
            ChunkSource chunkSource,
            List<String> failureSamples,
            Map<String, String> documentIds) {

        Outcome {
            failureSamples = List.copyOf(failureSamples);
            documentIds = Map.copyOf(documentIds);
        }

        double docsPerSecond() {
            return done / RawEmbeddingBenchmark.seconds(elapsed);
        }

        double chunksPerSecond() {
            return chunks / RawEmbeddingBenchmark.seconds(elapsed);
        }

        boolean clean() {
            return failed == 0 && rejected == 0 && timedOut == 0 && done == documents;
        }
    }

    private static final int MAX_SAMPLES = 5;
    private static final int STATUS_CHECKS_WITHOUT_LIST = 256;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** One document's progress; written by the poster and tracker threads. */
    private static final class Tracked {
        final Document document;
        volatile String id;
        volatile long acceptedAt;
        volatile long finishedAt;
        volatile boolean rejected;
        volatile boolean failed;
        volatile String reason;
        volatile Integer chunkCount;
        /** When a processing list first lacked it; its status is confirmed once the list is empty. */
        volatile long leftListAt;

        Tracked(Document document) {
            this.document = document;
        }

        boolean pending() {
            return id != null && finishedAt == 0 && !rejected && leftListAt == 0;
        }

        boolean unconfirmed() {
            return finishedAt == 0 && !rejected && leftListAt != 0;
        }
    }

    private final EngramClient client;
    private final Settings settings;
    private final Consumer<String> progress;
    private volatile boolean processingListAvailable = true;
    private volatile String mode = "";

    IngestRun(EngramClient client, Settings settings, Consumer<String> progress) {
        this.client = client;
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Posts {@code documents} and waits for them.
     *
     * @param estimatedChunks the baseline chunker's count per custom id, used if the stack reports none
     */
    Outcome run(List<Document> documents, Map<String, Integer> estimatedChunks) {
        return run(documents, estimatedChunks, () -> {});
    }

    /**
     * {@link #run(List, Map)}, calling {@code allLeft} once, on this thread, when every document has been posted and
     * the processing list first holds none of them: the moment the stack's work on them ended, before their statuses
     * are read one by one. Not called if the timeout comes first.
     */
    Outcome run(List<Document> documents, Map<String, Integer> estimatedChunks, Runnable allLeft) {
        List<Tracked> tracked = documents.stream().map(Tracked::new).toList();
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        AtomicBoolean stop = new AtomicBoolean();
        Thread poster = Thread.ofPlatform().name("bench-poster").start(() -> postAll(tracked, stop));
        long lastProgress = start;
        long pause = settings.pollInterval().toNanos();
        boolean leftCalled = false;
        try {
            while (System.nanoTime() < deadline) {
                sleepNanos(Math.min(pause, deadline - System.nanoTime()));
                long pollStarted = System.nanoTime();
                long listTook = poll(tracked);
                pause = Math.max(settings.pollInterval().toNanos(), POLL_PAUSE_PER_LIST_TIME * listTook);
                if (pollStarted - lastProgress >= PROGRESS_EVERY.toNanos()) {
                    lastProgress = pollStarted;
                    progress.accept(progressLine(tracked, start));
                }
                if (!poster.isAlive() && tracked.stream().noneMatch(Tracked::pending)) {
                    if (!leftCalled) {
                        leftCalled = true;
                        allLeft.run();
                    }
                    confirmLeftList(tracked);
                    if (tracked.stream().noneMatch(t -> t.pending() || t.unconfirmed())) {
                        break;
                    }
                }
            }
        } finally {
            stop.set(true);
        }
        joinUninterruptibly(poster);
        confirmLeftList(tracked); // those that left the list in the last poll before the deadline
        return outcome(tracked, start, estimatedChunks);
    }

    private void postAll(List<Tracked> tracked, AtomicBoolean stop) {
        try {
            postInBatchesOrSingly(tracked, stop);
        } catch (RuntimeException e) {
            tracked.stream().filter(t -> t.id == null && !t.rejected).forEach(t -> reject(t, "not posted: " + e));
        }
    }

    private void postInBatchesOrSingly(List<Tracked> tracked, AtomicBoolean stop) {
        List<List<Tracked>> batches = new ArrayList<>();
        for (int from = 0; from < tracked.size(); from += settings.batchSize()) {
            batches.add(tracked.subList(from, Math.min(tracked.size(), from + settings.batchSize())));
        }
        if (batches.isEmpty()) {
            return;
        }
        boolean batchEndpoint = postBatch(batches.getFirst());
        if (batchEndpoint) {
            mode = "POST /v3/documents/batch, " + settings.batchSize() + " per request, " + settings.concurrency()
                    + " in flight";
            inParallel(
                    batches.subList(1, batches.size()), settings.concurrency(), settings.pace(), stop, this::postBatch);
        } else {
            // One document per request: eight times the requests in flight, so the stack sees comparable load.
            int inFlight = settings.concurrency() * 8;
            mode = "POST /v3/documents (no batch endpoint), " + inFlight + " in flight";
            inParallel(tracked, inFlight, settings.pace(), stop, this::postOne);
        }
    }

    /** Posts one batch; false if the batch endpoint does not exist (nothing was posted then). */
    private boolean postBatch(List<Tracked> batch) {
        List<Document> documents = batch.stream().map(t -> t.document).toList();
        try {
            Optional<List<Accepted>> results = withRetries(() -> client.postBatch(documents));
            if (results.isEmpty()) {
                return false;
            }
            long now = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                accept(batch.get(i), results.get().get(i), now);
            }
        } catch (ApiException e) {
            batch.forEach(t -> reject(t, e.getMessage()));
        }
        return true;
    }

    private void postOne(Tracked document) {
        try {
            Accepted accepted = withRetries(() -> client.post(document.document));
            accept(document, accepted, System.nanoTime());
        } catch (ApiException e) {
            reject(document, e.getMessage());
        }
    }

    private static void accept(Tracked document, Accepted accepted, long now) {
        if (!accepted.ok()) {
            reject(document, "rejected: " + accepted.error());
            return;
        }
        document.acceptedAt = now;
        document.id = accepted.id();
        if ("done".equals(accepted.status())) {
            document.finishedAt = now;
        }
    }

    private static void reject(Tracked document, String reason) {
        document.rejected = true;
        document.reason = document.document.customId() + ": " + reason;
    }

    /** One round of tracking; returns how long the processing list took (0 without one). */
    private long poll(List<Tracked> tracked) {
        List<Tracked> pending = tracked.stream().filter(Tracked::pending).toList();
        if (pending.isEmpty()) {
            return 0;
        }
        long listStarted = System.nanoTime();
        Optional<Set<String>> inFlight = Optional.empty();
        if (processingListAvailable) {
            try {
                inFlight = client.processingIds();
                processingListAvailable = inFlight.isPresent();
            } catch (ApiException e) {
                // A failed list is retried at the next poll; meanwhile nothing is confirmed from it.
                return System.nanoTime() - listStarted;
            }
        }
        long listedAt = System.nanoTime();
        List<Tracked> candidates;
        if (inFlight.isPresent()) {
            Set<String> ids = inFlight.get();
            candidates = pending.stream().filter(t -> !ids.contains(t.id)).toList();
        } else {
            candidates = pending.stream()
                    .sorted(Comparator.comparingLong(t -> t.acceptedAt))
                    .limit(STATUS_CHECKS_WITHOUT_LIST)
                    .toList();
        }
        if (inFlight.isPresent()) {
            // Confirmed once the list is empty, so thousands of status requests do not load the stack under test.
            candidates.forEach(document -> document.leftListAt = listedAt);
            return listedAt - listStarted;
        }
        inParallel(candidates, settings.statusConcurrency(), new AtomicBoolean(), document -> confirm(document, 0));
        return 0;
    }

    /**
     * Reads the status of each document that left the processing list: done or failed as of when it left; one still
     * in the pipeline (it cannot have left the list then) is tracked again.
     */
    private void confirmLeftList(List<Tracked> tracked) {
        List<Tracked> left = tracked.stream().filter(Tracked::unconfirmed).toList();
        inParallel(left, settings.statusConcurrency(), new AtomicBoolean(), document -> {
            long leftAt = document.leftListAt;
            if (!confirm(document, leftAt)) {
                document.leftListAt = 0;
            }
        });
    }

    /**
     * Reads a document's status and records it when final, finished at {@code finishedAt} (now if 0). Returns false
     * if the document is still in the pipeline or could not be read.
     */
    private boolean confirm(Tracked document, long finishedAt) {
        try {
            DocumentState state = client.get(document.id);
            long at = finishedAt != 0 ? finishedAt : System.nanoTime();
            switch (state.status()) {
                case "done" -> {
                    document.chunkCount = state.chunkCount();
                    document.finishedAt = at;
                    return true;
                }
                case "failed" -> {
                    document.failed = true;
                    document.reason = document.document.customId() + ": failed"
                            + (state.reason() == null ? "" : " (" + state.reason() + ")");
                    document.finishedAt = at;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        } catch (ApiException e) {
            if (e.status() == 404) {
                document.failed = true;
                document.reason = document.document.customId() + ": 404 for an accepted document";
                document.finishedAt = System.nanoTime();
                return true;
            }
            return false; // other errors: try again at the next poll
        }
    }

    private Outcome outcome(List<Tracked> tracked, long start, Map<String, Integer> estimatedChunks) {
        List<Tracked> done = tracked.stream()
                .filter(t -> t.finishedAt != 0 && !t.failed && !t.rejected)
                .toList();
        int failed = (int) tracked.stream().filter(t -> t.failed).count();
        int rejected = (int) tracked.stream().filter(t -> t.rejected).count();
        int timedOut = tracked.size() - done.size() - failed - rejected;
        long end = done.stream().mapToLong(t -> t.finishedAt).max().orElse(System.nanoTime());
        long[] timeToDone =
                done.stream().mapToLong(t -> t.finishedAt - t.acceptedAt).toArray();
        List<String> samples = new ArrayList<>();
        tracked.stream().filter(t -> t.failed || t.rejected).limit(MAX_SAMPLES).forEach(t -> samples.add(t.reason));
        if (timedOut > 0 && samples.size() < MAX_SAMPLES) {
            tracked.stream()
                    .filter(t -> t.finishedAt == 0 && !t.rejected)
                    .limit(MAX_SAMPLES - samples.size())
                    .forEach(t -> samples.add(t.document.customId() + ": "
                            + (t.id == null ? "never accepted" : "not done") + " within " + settings.timeout()));
        }
        ChunkCounts chunks = chunkCounts(done, estimatedChunks);
        return new Outcome(
                mode,
                tracked.size(),
                done.size(),
                failed,
                rejected,
                timedOut,
                Duration.ofNanos(end - start),
                LatencyStats.ofNanos(timeToDone),
                chunks.total(),
                chunks.source(),
                samples,
                done.stream().collect(Collectors.toMap(t -> t.document.customId(), t -> t.id)));
    }

    private record ChunkCounts(long total, ChunkSource source) {}

    private ChunkCounts chunkCounts(List<Tracked> done, Map<String, Integer> estimatedChunks) {
        if (done.isEmpty()) {
            return new ChunkCounts(0, ChunkSource.ESTIMATED);
        }
        if (done.stream().allMatch(t -> t.chunkCount != null)) {
            return new ChunkCounts(done.stream().mapToLong(t -> t.chunkCount).sum(), ChunkSource.REPORTED);
        }
        OptionalInt probe = safeChunkCount(done.getFirst());
        if (probe.isPresent()) {
            inParallel(done, settings.statusConcurrency(), new AtomicBoolean(), t -> {
                if (t.chunkCount == null) {
                    safeChunkCount(t).ifPresent(count -> t.chunkCount = count);
                }
            });
            if (done.stream().allMatch(t -> t.chunkCount != null)) {
                return new ChunkCounts(
                        done.stream().mapToLong(t -> t.chunkCount).sum(), ChunkSource.CHUNKS_ENDPOINT);
            }
        }
        long estimated = done.stream()
                .mapToLong(t -> estimatedChunks.getOrDefault(t.document.customId(), 1))
                .sum();
        return new ChunkCounts(estimated, ChunkSource.ESTIMATED);
    }

    private OptionalInt safeChunkCount(Tracked document) {
        try {
            return client.chunkCount(document.id);
        } catch (ApiException e) {
            return OptionalInt.empty();
        }
    }

    private static String progressLine(List<Tracked> tracked, long start) {
        long accepted = tracked.stream().filter(t -> t.id != null).count();
        long finished = tracked.stream()
                .filter(t -> t.finishedAt != 0 || t.leftListAt != 0)
                .count();
        long failed = tracked.stream().filter(t -> t.failed || t.rejected).count();
        return String.format(
                "  … %4.0f s: %d/%d accepted, %d finished, %d failed",
                (System.nanoTime() - start) / 1e9, accepted, tracked.size(), finished, failed);
    }

    /** Retries 429, 502-504 and wire failures three times, 0.5 s, 1 s and 2 s apart. */
    private static <T> T withRetries(Supplier<T> call) {
        long backoff = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (ApiException e) {
                if (!e.retriable() || attempt > 3) {
                    throw e;
                }
                sleepNanos(Duration.ofMillis(backoff).toNanos());
                backoff *= 2;
            }
        }
    }

    /** Runs {@code action} on every item with at most {@code limit} at once; stops starting new ones on stop. */
    private static <T> void inParallel(List<T> items, int limit, AtomicBoolean stop, Consumer<T> action) {
        inParallel(items, limit, Duration.ZERO, stop, action);
    }

    /** Runs {@code action} on each item, at most {@code limit} at once, starting one at most every {@code pace}. */
    private static <T> void inParallel(
            List<T> items, int limit, Duration pace, AtomicBoolean stop, Consumer<T> action) {
        Semaphore slots = new Semaphore(limit);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                if (stop.get()) {
                    break;
                }
                if (pace.isPositive()) {
                    sleepNanos(pace.toNanos());
                }
                slots.acquireUninterruptibly();
                executor.execute(() -> {
                    try {
                        action.accept(item);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
