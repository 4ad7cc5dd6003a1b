package dev.engram.vectors.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The merge deferral on a real in-memory index, with merges run on the committing thread and a clock the test moves,
 * so each step is deterministic.
 */
class QuietMergesTest {

    private static final Duration QUIET = Duration.ofSeconds(10);

    private long now = 1_000_000_000L;
    private final AtomicInteger published = new AtomicInteger();
    private QuietMerges merges;
    private IndexWriter writer;

    @AfterEach
    void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void mergesFoundWhileWritesArriveAreHeldBack() throws IOException {
        open(48);

        commitDocuments(30, Duration.ZERO);

        assertThat(segments()).isEqualTo(30);
        assertThat(merges.holdingBack()).isTrue();
    }

    @Test
    void aQuietIndexMergesAsItsBasePolicyDoes() throws IOException {
        open(48);

        for (int i = 0; i < 30; i++) {
            now += QUIET.toNanos();
            commitDocument(); // nothing recorded as a write: the index stays quiet
        }

        assertThat(segments()).isLessThanOrEqualTo(10);
        assertThat(merges.holdingBack()).isFalse();
    }

    @Test
    void onceQuietATickMergesWhatWasHeldBackAndTheNextPublishesIt() throws IOException {
        open(48);
        commitDocuments(30, Duration.ZERO);

        now += QUIET.toNanos() - 1;
        tick();
        assertThat(segments()).isEqualTo(30);

        now += 1;
        tick();
        assertThat(segments()).isLessThanOrEqualTo(10);
        assertThat(published).hasValue(0);
        assertThat(merges.settled()).isFalse();

        tick();
        assertThat(published).hasValue(1);
        assertThat(merges.settled()).isTrue();

        tick();
        assertThat(published).hasValue(1);
    }

    @Test
    void aWriteAfterTheMergesPostponesTheirPublishingUntilQuietAgain() throws IOException {
        open(48);
        commitDocuments(30, Duration.ZERO);
        now += QUIET.toNanos();
        tick();

        merges.wrote();
        tick();
        assertThat(published).hasValue(0);

        now += QUIET.toNanos();
        tick();
        assertThat(published).hasValue(1);
    }

    @Test
    void fromTheSegmentCapOnMergesRunWhileWritesArrive() throws IOException {
        open(12);

        int most = 0;
        for (int i = 0; i < 40; i++) {
            commitDocuments(1, Duration.ZERO);
            most = Math.max(most, segments());
        }

        // Eleven held back (more than the base policy keeps), then the commit flushing the twelfth merges them.
        assertThat(most).isEqualTo(11);
        assertThat(segments()).isLessThan(11);
    }

    @Test
    void settingsRejectACapBelowTwoAndATickOfZero() {
        assertThatThrownBy(() -> new QuietMerges.Settings(QUIET, 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentCap");
        assertThatThrownBy(() -> new QuietMerges.Settings(QUIET, 48, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tick");
    }

    private void open(int segmentCap) throws IOException {
        merges = new QuietMerges(new QuietMerges.Settings(QUIET, segmentCap, Duration.ofSeconds(1)), () -> now, "test");
        writer = new IndexWriter(
                new ByteBuffersDirectory(),
                new IndexWriterConfig()
                        .setMergePolicy(merges.wrap(new TieredMergePolicy()))
                        .setMergeScheduler(new SerialMergeScheduler()));
    }

    /** Commits {@code count} one-document segments, each recorded as a write, the clock moving {@code apart}. */
    private void commitDocuments(int count, Duration apart) throws IOException {
        for (int i = 0; i < count; i++) {
            now += apart.toNanos();
            merges.wrote();
            commitDocument();
        }
    }

    private void commitDocument() throws IOException {
        Document document = new Document();
        document.add(new StringField("id", "d" + now, Field.Store.NO));
        writer.addDocument(document);
        writer.commit();
    }

    private void tick() {
        merges.tick(writer, published::incrementAndGet);
    }

    private int segments() throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            return reader.leaves().size();
        }
    }
}
