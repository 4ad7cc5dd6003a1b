package dev.engram.vectors.lucene;

import static dev.engram.core.vectors.VectorKind.CHUNKS;
import static dev.engram.core.vectors.VectorKind.MEMORIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.core.filters.FilterType;
import dev.engram.core.filters.NumericOperator;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorStore;
import dev.engram.vectors.contract.VectorStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on a Lucene index in a temporary directory, plus the read-only mode and disk behaviour. */
class LuceneVectorStoreTest extends VectorStoreContract {

    @TempDir
    Path root;

    @Override
    protected VectorStore createStore() {
        return LuceneVectorStore.openWriter(root);
    }

    @Test
    void aReadOnlyStoreSeesTheWritersCommitsOnItsNextSearch() {
        try (LuceneVectorStore reader = LuceneVectorStore.openReader(root)) {
            store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "first")));
            store.commit();
            assertThat(ids(reader.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                    .containsExactly("p1");

            store.upsert(CHUNKS, List.of(point("p2", ORG, "t", "d", axis(1), Map.of(), "second")));
            store.deleteDocument(CHUNKS, ORG, "nothing");
            store.commit();
            assertThat(reader.count(CHUNKS, ORG)).isEqualTo(2);

            store.delete(CHUNKS, ORG, List.of("p1"));
            store.commit();
            assertThat(ids(reader.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                    .containsExactly("p2");
        }
    }

    @Test
    void aReadOnlyStoreSearchesTheWritersCommittedTextToo() {
        try (LuceneVectorStore reader = LuceneVectorStore.openReader(root)) {
            assertThat(reader.searchText(CHUNKS, text(ORG, List.of(), "harbour", 10, null)))
                    .isEmpty();
            store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "the harbours at dawn")));
            assertThat(reader.searchText(CHUNKS, text(ORG, List.of(), "harbour", 10, null)))
                    .isEmpty();
            store.commit();
            assertThat(ids(reader.searchText(CHUNKS, text(ORG, List.of(), "harbour", 10, null))))
                    .containsExactly("p1");
        }
    }

    @Test
    void aReadOnlyStoreRefusesEveryWrite() {
        try (LuceneVectorStore reader = LuceneVectorStore.openReader(root)) {
            VectorPoint point = point("p1", ORG, "t", "d", axis(0), Map.of(), "x");
            assertThat(reader.readOnly()).isTrue();
            assertThatThrownBy(() -> reader.upsert(CHUNKS, List.of(point)))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("read-only");
            assertThatThrownBy(() -> reader.delete(CHUNKS, ORG, List.of("p1")))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> reader.deleteDocument(CHUNKS, ORG, "d"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(reader::commit).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aReadOnlyStoreOpenedBeforeTheIndexExistsReadsEmptyThenSeesTheFirstCommit() throws Exception {
        Path fresh = Files.createTempDirectory(root, "fresh");
        try (LuceneVectorStore reader = LuceneVectorStore.openReader(fresh.resolve("not-yet"))) {
            assertThat(reader.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null)))
                    .isEmpty();
            assertThat(reader.count(MEMORIES, ORG)).isZero();
            reader.ensureCollection(CHUNKS, DIMENSION); // a check only; creates nothing
            assertThat(fresh.resolve("not-yet")).doesNotExist();

            try (LuceneVectorStore writer = LuceneVectorStore.openWriter(fresh.resolve("not-yet"))) {
                writer.ensureCollection(CHUNKS, DIMENSION);
                writer.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "x")));
                writer.commit();
            }
            assertThat(ids(reader.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                    .containsExactly("p1");
            assertThatThrownBy(() -> reader.ensureCollection(CHUNKS, DIMENSION * 2))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSecondWriterOnTheSameIndexIsRefused() {
        try (LuceneVectorStore second = LuceneVectorStore.openWriter(root)) {
            assertThatThrownBy(() -> second.ensureCollection(CHUNKS, DIMENSION))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another writer");
        }
    }

    @Test
    void committingOneKindLeavesTheOtherKindsWritesPending() {
        store.upsert(CHUNKS, List.of(point("chunk", ORG, "t", "d", axis(0), Map.of(), "a chunk")));
        store.upsert(MEMORIES, List.of(point("memory", ORG, "t", "d", axis(0), Map.of(), "a memory")));

        store.commit(MEMORIES);
        assertThat(ids(store.search(MEMORIES, query(ORG, List.of(), axis(0), 10, null))))
                .containsExactly("memory");
        assertThat(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null)))
                .isEmpty();

        store.commit(CHUNKS);
        assertThat(ids(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                .containsExactly("chunk");
    }

    @Test
    void reopeningKeepsCommittedPointsAndDropsUncommittedOnes() {
        store.upsert(CHUNKS, List.of(point("kept", ORG, "t", "d", axis(0), Map.of("k", "v"), "kept")));
        store.commit();
        store.upsert(CHUNKS, List.of(point("dropped", ORG, "t", "d", axis(1), Map.of(), "dropped")));
        store.close();

        store = LuceneVectorStore.openWriter(root);
        store.ensureCollection(CHUNKS, DIMENSION);
        Filter kv = parse("{\"AND\":[{\"key\":\"k\",\"value\":\"v\"}]}");
        assertThat(ids(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, kv))))
                .containsExactly("kept");
        assertThat(store.count(CHUNKS, ORG)).isEqualTo(1);
    }

    @Test
    void writesToACollectionNotEnsuredAreRefused() throws Exception {
        try (LuceneVectorStore writer = LuceneVectorStore.openWriter(Files.createTempDirectory(root, "other"))) {
            assertThatThrownBy(() -> writer.upsert(CHUNKS, List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ensureCollection");
            assertThat(writer.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null)))
                    .isEmpty();
        }
    }

    @Test
    void aClosedStoreRefusesCalls() {
        store.close();
        assertThatThrownBy(() -> store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        store = null;
    }

    @Test
    void veryLongStringValuesStayFilterableBySubstringAndTheirCopiesBySearch() {
        String filler = "lorem ipsum ".repeat(10_000); // ~120k characters, far beyond one Lucene term
        String needle = "needle-" + "x".repeat(900);
        String value = filler + needle + filler;
        store.upsert(
                CHUNKS,
                List.of(
                        point("long", ORG, "t", "d", axis(0), Map.of("body", value), "long"),
                        point("short", ORG, "t", "d", axis(1), Map.of("body", "short"), "short")));
        store.commit();

        Filter contains = parse("{\"AND\":[{\"key\":\"body\",\"value\":\"" + needle.toUpperCase()
                + "\",\"filterType\":\"string_contains\",\"ignoreCase\":true}]}");
        Filter equalsShort = parse("{\"AND\":[{\"key\":\"body\",\"value\":\"short\"}]}");
        List<VectorHit> hits = store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, contains));

        assertThat(ids(hits)).containsExactly("long");
        assertThat(hits.getFirst().point().metadata()).containsEntry("body", value);
        assertThat(ids(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, equalsShort))))
                .containsExactly("short");
        assertThat(LuceneDocuments.windows(value))
                .allSatisfy(w -> assertThat(w.length()).isLessThanOrEqualTo(LuceneDocuments.WINDOW_CHARS));
    }

    @Test
    void substringFiltersAcceptTheLongestValueTheParserAllows() {
        String periodic = "ab".repeat(FilterParser.MAX_TEXT / 2);
        StringBuilder random = new StringBuilder();
        Random letters = new Random(7);
        while (random.length() < FilterParser.MAX_TEXT) {
            random.append((char) ('a' + letters.nextInt(3)));
        }
        store.upsert(CHUNKS, List.of(point("p", ORG, "t", "d", axis(0), Map.of("s", "x" + periodic + "y"), "p")));
        store.commit();

        for (String value : List.of(periodic, random.toString())) {
            Filter contains = new Filter.Condition(
                    "s", value, FilterType.STRING_CONTAINS, true, false, NumericOperator.EQ, Double.NaN);
            assertThat(ids(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, contains))))
                    .isEqualTo(value.equals(periodic) ? List.of("p") : List.of());
        }
    }

    @Test
    void concurrentWritersAndSearchersDoNotInterfere() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (LuceneVectorStore reader = LuceneVectorStore.openReader(root)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                tasks.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    for (int i = 0; i < 100; i++) {
                        store.upsert(
                                CHUNKS,
                                List.of(point(
                                        "w" + thread + "_" + i, ORG, "t", "d", randomVector(random), Map.of(), "w")));
                        if (i % 25 == 24) {
                            store.commit();
                        }
                    }
                }));
                tasks.add(pool.submit(() -> {
                    Random random = new Random(100 + thread);
                    for (int i = 0; i < 100; i++) {
                        assertThat(reader.search(CHUNKS, query(ORG, List.of(), randomVector(random), 5, null)))
                                .hasSizeLessThanOrEqualTo(5);
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            store.commit();
            assertThat(reader.count(CHUNKS, ORG)).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }
}
