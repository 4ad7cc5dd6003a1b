package dev.engram.vectors.lucene;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * Holds an index's natural segment merges back while writes keep arriving, and runs them once the writes stop.
 *
 * <p>During an import every commit flushes a small segment, and the merge policy merges ten of them at a time,
 * then ten of those, rebuilding their HNSW graphs each time: CPU taken from embedding, on a machine where embedding
 * is what the documents wait for, spent on segments the next commits merge again. Search engines defer merging during
 * bulk loads for this reason. Here a merge the policy finds while a write came less than {@link Settings#quiet()} ago
 * is held back, unless the index already has {@link Settings#segmentCap()} segments (so searches during a long
 * import cross a bounded number). A ticker checks every {@link Settings#tick()}; once the index has been quiet that
 * long it asks the writer to merge what was held back and, when those merges finished, hands over to
 * {@link Publisher} to commit them (so that read-only views, which see commits only, search the merged segments).
 *
 * <p>Forced merges are not held back. Thread-safe.
 */
final class QuietMerges implements Closeable {

    private static final Logger LOG = Logger.getLogger(QuietMerges.class.getName());

    /**
     * When held-back merges may run.
     *
     * @param quiet how long after the last write the index counts as quiet
     * @param segmentCap from this many segments on, merges are not held back
     * @param tick how often the ticker checks for quiet
     */
    record Settings(Duration quiet, int segmentCap, Duration tick) {

        /**
         * Ten seconds of quiet: memory-writer commits an index once per batch, at most a few seconds apart while
         * documents arrive. 48 segments: an import of about 50,000 chunks in batches of 1,000 before the first merge.
         */
        static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), 48, Duration.ofSeconds(1));

        Settings {
            Objects.requireNonNull(quiet, "quiet");
            Objects.requireNonNull(tick, "tick");
            if (quiet.isNegative() || tick.isNegative() || tick.isZero()) {
                throw new IllegalArgumentException("quiet must not be negative and tick must be positive");
            }
            if (segmentCap < 2) {
                throw new IllegalArgumentException("segmentCap must be at least 2: " + segmentCap);
            }
        }
    }

    /** Commits the merged segments, unless writes are pending (the next commit publishes them then). */
    interface Publisher {
        void publishMerges() throws IOException;
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final String name;
    private volatile long lastWriteNanos;
    private volatile boolean heldBack;
    private volatile boolean merging; // written by the ticker thread only
    private ScheduledExecutorService ticker;

    QuietMerges(Settings settings, LongSupplier nanoTime, String name) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.name = name;
        this.lastWriteNanos = nanoTime.getAsLong() - settings.quiet().toNanos();
    }

    /** {@code base}, holding its natural merges back while writes arrive. */
    MergePolicy wrap(MergePolicy base) {
        return new HoldingPolicy(base);
    }

    /** Records a write: merges wait {@link Settings#quiet()} from now. */
    void wrote() {
        lastWriteNanos = nanoTime.getAsLong();
    }

    /** Whether no write came for {@link Settings#quiet()}. */
    boolean quiet() {
        return nanoTime.getAsLong() - lastWriteNanos >= settings.quiet().toNanos();
    }

    /** Whether a merge was held back and has not been asked for since. */
    boolean holdingBack() {
        return heldBack;
    }

    /** Whether nothing is held back and no held-back merge awaits publishing; for tests. */
    boolean settled() {
        return !heldBack && !merging;
    }

    /** Starts the ticker for {@code writer}'s index. */
    synchronized void start(IndexWriter writer, Publisher publisher) {
        if (ticker != null) {
            throw new IllegalStateException("already started");
        }
        ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "engram-lucene-merges-" + name);
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.tick().toNanos();
        ticker.scheduleWithFixedDelay(() -> tick(writer, publisher), period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * One check: once quiet, asks {@code writer} for the merges held back; once those finished, publishes them.
     * Package-private for tests, which call it without a ticker.
     */
    void tick(IndexWriter writer, Publisher publisher) {
        try {
            if (!quiet()) {
                return;
            }
            if (heldBack) {
                heldBack = false;
                merging = true;
                writer.maybeMerge(); // the policy sees a quiet index now and lets the base policy choose
                return;
            }
            if (merging
                    && !writer.hasPendingMerges()
                    && writer.getMergingSegments().isEmpty()) {
                publisher.publishMerges(); // if it fails, the next check tries again
                merging = false;
            }
        } catch (AlreadyClosedException e) {
            LOG.fine(() -> "the " + name + " index closed; merges stop");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not run the held-back merges of the " + name + " index: " + e, e);
        }
    }

    /**
     * Stops the ticker, letting a check under way finish (not interrupting it: an interrupt inside Lucene's file
     * access would close the index's files under the writer). Merges held back stay so until the index is opened and
     * written again.
     */
    @Override
    public synchronized void close() {
        if (ticker == null) {
            return;
        }
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning(() -> "the merge check of the " + name + " index did not end within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticker = null;
    }

    private final class HoldingPolicy extends FilterMergePolicy {

        HoldingPolicy(MergePolicy in) {
            super(in);
        }

        @Override
        public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
                throws IOException {
            return holdBack(infos) ? null : super.findMerges(trigger, infos, context);
        }

        /** The merges of small segments that a commit waits for (up to half a second by default): held back too. */
        @Override
        public MergeSpecification findFullFlushMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
                throws IOException {
            return holdBack(infos) ? null : super.findFullFlushMerges(trigger, infos, context);
        }

        private boolean holdBack(SegmentInfos infos) {
            if (infos.size() < settings.segmentCap() && !quiet()) {
                heldBack = true;
                return true;
            }
            return false;
        }
    }
}
