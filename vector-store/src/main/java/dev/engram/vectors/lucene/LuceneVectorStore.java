package dev.engram.vectors.lucene;

import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.vectors.EnglishTerms;
import dev.engram.vectors.PointKeys;
import dev.engram.vectors.UnitVectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded {@link VectorStore}: Lucene on local disk, one index directory per {@link VectorKind} under a root
 * ({@code <root>/chunks}, {@code <root>/memories}). Vectors are HNSW-indexed (dot product of unit vectors, i.e.
 * cosine), the text is indexed for BM25 ({@link #searchText}: English analysis, see
 * {@link dev.engram.vectors.EnglishTerms}), and metadata and boolean and numeric attributes are indexed so that every
 * filter and attribute condition runs inside the index as a pre-filter of the nearest-neighbour search.
 *
 * <p>Two modes share one directory across processes:
 *
 * <ul>
 *   <li>{@link #openWriter(Path)} (memory-writer): owns the Lucene {@code IndexWriter} and its lock; writes become
 *       durable and visible to its own searches at {@link #commit()}. {@link #close()} drops uncommitted writes.
 *   <li>{@link #openReader(Path)} (search-service): never writes; before every search or count it checks for a newer
 *       commit and reopens if there is one, so a commit is visible to the next search that starts after
 *       {@code commit()} returned. An index not created yet reads as empty.
 * </ul>
 *
 * Thread-safe. Writes in read-only mode throw {@link UnsupportedOperationException}.
 */
public final class LuceneVectorStore implements VectorStore {

    private static final Logger LOG = Logger.getLogger(LuceneVectorStore.class.getName());

    private final Path root;
    private final boolean readOnly;
    private final Map<VectorKind, LuceneIndex> indexes = new EnumMap<>(VectorKind.class);
    private boolean closed;

    private LuceneVectorStore(Path root, boolean readOnly) {
        this.root = root;
        this.readOnly = readOnly;
    }

    /**
     * Opens the store as the single writer of the indexes under {@code root}; call
     * {@link #ensureCollection(VectorKind, int)} for each kind before writing to it.
     */
    public static LuceneVectorStore openWriter(Path root) {
        return new LuceneVectorStore(Objects.requireNonNull(root, "root"), false);
    }

    /** Opens a read-only view of the indexes another process writes under {@code root} (they need not exist yet). */
    public static LuceneVectorStore openReader(Path root) {
        LuceneVectorStore store = new LuceneVectorStore(Objects.requireNonNull(root, "root"), true);
        for (VectorKind kind : VectorKind.values()) {
            store.indexes.put(kind, LuceneIndex.openReader(kind, store.directoryOf(kind)));
        }
        return store;
    }

    /** Whether this store was opened with {@link #openReader(Path)}. */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * Writer: opens (creating if needed) the index of {@code kind}. Reader: checks the dimension if the index exists.
     *
     * @throws IllegalArgumentException if the index exists with another dimension
     * @throws IllegalStateException if another process holds the writer lock
     */
    @Override
    public synchronized void ensureCollection(VectorKind kind, int dimension) {
        LuceneIndex index = index(kind);
        if (index == null) {
            indexes.put(kind, LuceneIndex.openWriter(kind, directoryOf(kind), dimension));
            return;
        }
        int existing = index.dimension();
        if (existing != 0 && existing != dimension) {
            throw new IllegalArgumentException("the " + kind.collectionSuffix() + " index holds vectors of dimension "
                    + existing + ", not " + dimension);
        }
    }

    @Override
    public void upsert(VectorKind kind, Collection<VectorPoint> points) {
        LuceneIndex index = writable(kind);
        List<Term> keys = new ArrayList<>(points.size());
        List<Document> documents = new ArrayList<>(points.size());
        for (VectorPoint point : points) { // convert all first: a bad point fails the batch before anything is written
            float[] unit = UnitVectors.normalized(point.vector(), index.dimension());
            keys.add(LuceneDocuments.keyTerm(point.orgId(), point.id()));
            documents.add(LuceneDocuments.toDocument(point, unit));
        }
        index.update(keys, documents);
        LOG.fine(() -> "upserted " + keys.size() + " " + kind.collectionSuffix() + " point(s)");
    }

    @Override
    public void delete(VectorKind kind, String orgId, Collection<String> ids) {
        Objects.requireNonNull(orgId, "orgId");
        LuceneIndex index = writable(kind);
        if (ids.isEmpty()) {
            return;
        }
        index.delete(ids.stream().map(id -> LuceneDocuments.keyTerm(orgId, id)).toList());
        LOG.fine(() -> "deleted up to " + ids.size() + " " + kind.collectionSuffix() + " point(s) by id");
    }

    @Override
    public void deleteDocument(VectorKind kind, String orgId, String documentId) {
        writable(kind).delete(LuceneQueries.document(orgId, documentId));
    }

    /** Commits every index and refreshes this writer's searches. */
    @Override
    public void commit() {
        requireWritable();
        List<LuceneIndex> open;
        synchronized (this) {
            open = List.copyOf(indexes.values());
        }
        open.forEach(LuceneIndex::commit);
    }

    /** Commits the index of {@code kind} only (if it is open) and refreshes this writer's searches of it. */
    @Override
    public void commit(VectorKind kind) {
        requireWritable();
        LuceneIndex index = index(kind);
        if (index != null) {
            index.commit();
        }
    }

    @Override
    public List<VectorHit> search(VectorKind kind, VectorQuery query) {
        LuceneIndex index = index(kind);
        if (index == null) {
            return List.of();
        }
        List<VectorHit> hits = index.search(searcher -> nearest(searcher, index, query), List.of());
        LOG.fine(() -> "searched " + kind.collectionSuffix() + ": " + hits.size() + " hit(s)");
        return hits;
    }

    /**
     * BM25 over the English-analysed text ({@link LuceneQueries#lexical}); scores are Lucene's BM25 scores (k1 1.2,
     * b 0.75, statistics of the whole index of {@code kind}, every organisation included). Points written to an index
     * of layout 2 or older lack the analysed text and are never found here: such an index needs a reindex.
     */
    @Override
    public List<VectorHit> searchText(VectorKind kind, TextQuery query) {
        Objects.requireNonNull(query, "query");
        LuceneIndex index = index(kind);
        List<String> terms = EnglishTerms.ofQuery(query.text());
        if (index == null || terms.isEmpty()) {
            return List.of();
        }
        List<VectorHit> hits = index.search(searcher -> bestMatches(searcher, query, terms), List.of());
        LOG.fine(() ->
                "searched " + kind.collectionSuffix() + " by " + terms.size() + " term(s): " + hits.size() + " hit(s)");
        return hits;
    }

    /**
     * Looks each id's key term up in every segment and reads the live document's indexed (unit) vector; one searcher,
     * no stored-field reads.
     */
    @Override
    public Map<String, float[]> vectorsOf(VectorKind kind, String orgId, Collection<String> ids) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(ids, "ids");
        LuceneIndex index = index(kind);
        if (index == null || ids.isEmpty()) {
            return Map.of();
        }
        Map<String, float[]> vectors = index.search(searcher -> storedVectors(searcher, orgId, ids), Map.of());
        LOG.fine(() -> "read " + vectors.size() + " of " + ids.size() + " " + kind.collectionSuffix() + " vector(s)");
        return vectors;
    }

    @Override
    public long count(VectorKind kind, String orgId) {
        LuceneIndex index = index(kind);
        if (index == null) {
            return 0;
        }
        return index.search(searcher -> (long) searcher.count(LuceneQueries.organisation(orgId)), 0L);
    }

    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException failure = null;
        for (LuceneIndex index : indexes.values()) {
            try {
                index.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        indexes.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private static List<VectorHit> nearest(IndexSearcher searcher, LuceneIndex index, VectorQuery query)
            throws java.io.IOException {
        float[] unit = UnitVectors.normalized(query.vector(), index.dimension());
        TopDocs top = searcher.search(LuceneQueries.nearest(query, unit), query.limit());
        StoredFields stored = searcher.storedFields();
        List<VectorHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            // DOT_PRODUCT scores are (1 + cosine) / 2
            double cosine = UnitVectors.clampCosine(2.0 * scoreDoc.score - 1.0);
            hits.add(new VectorHit(LuceneDocuments.toPoint(stored.document(scoreDoc.doc)), cosine));
        }
        return hits;
    }

    private static List<VectorHit> bestMatches(IndexSearcher searcher, TextQuery query, List<String> terms)
            throws java.io.IOException {
        TopDocs top = searcher.search(LuceneQueries.lexical(query, terms), query.limit());
        StoredFields stored = searcher.storedFields();
        List<VectorHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scoreDoc : top.scoreDocs) {
            hits.add(new VectorHit(LuceneDocuments.toPoint(stored.document(scoreDoc.doc)), scoreDoc.score));
        }
        return hits;
    }

    private static Map<String, float[]> storedVectors(IndexSearcher searcher, String orgId, Collection<String> ids)
            throws java.io.IOException {
        Map<String, float[]> vectors = new HashMap<>();
        LinkedHashSet<String> wanted = new LinkedHashSet<>(ids);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            LeafReader reader = leaf.reader();
            Terms keys = reader.terms(LuceneFields.KEY);
            FloatVectorValues values = reader.getFloatVectorValues(LuceneFields.VECTOR);
            if (keys == null || values == null) {
                continue;
            }
            // the live document of each wanted key in this segment, in doc order (vector iterators only go forward)
            TreeMap<Integer, String> docs = new TreeMap<>();
            TermsEnum terms = keys.iterator();
            Bits live = reader.getLiveDocs();
            PostingsEnum postings = null;
            for (String id : wanted) {
                if (!terms.seekExact(new BytesRef(PointKeys.of(orgId, id)))) {
                    continue;
                }
                postings = terms.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        docs.put(doc, id);
                        break;
                    }
                }
            }
            KnnVectorValues.DocIndexIterator iterator = values.iterator();
            for (Map.Entry<Integer, String> entry : docs.entrySet()) {
                int doc = entry.getKey();
                int at = iterator.docID() < doc ? iterator.advance(doc) : iterator.docID();
                if (at == doc) {
                    // the values object reuses its array
                    vectors.put(
                            entry.getValue(),
                            values.vectorValue(iterator.index()).clone());
                }
            }
            wanted.removeAll(docs.values());
            if (wanted.isEmpty()) {
                break;
            }
        }
        return vectors;
    }

    private synchronized LuceneIndex index(VectorKind kind) {
        if (closed) {
            throw new IllegalStateException("the vector store is closed");
        }
        return indexes.get(Objects.requireNonNull(kind, "kind"));
    }

    private LuceneIndex writable(VectorKind kind) {
        requireWritable();
        LuceneIndex index = index(kind);
        if (index == null) {
            throw new IllegalStateException(
                    "call ensureCollection(" + kind + ", dimension) before writing " + kind.collectionSuffix());
        }
        return index;
    }

    private void requireWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("this Lucene vector store is read-only (opened with openReader)");
        }
    }

    private Path directoryOf(VectorKind kind) {
        return root.resolve(kind.collectionSuffix());
    }
}
