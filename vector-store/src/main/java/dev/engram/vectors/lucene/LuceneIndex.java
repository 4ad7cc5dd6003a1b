package dev.engram.vectors.lucene;

import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorStoreException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * The index of one {@link VectorKind} in its own directory, opened either as the single writer (owns the
 * {@link IndexWriter}; searches see what the last {@link #commit()} made visible) or read-only (searches see the
 * latest commit on disk: before each search the reader checks for a newer commit and reopens if there is one, which
 * costs one directory listing when nothing changed). Thread-safe.
 */
final class LuceneIndex implements Closeable {

    /** Commit user-data key holding the vector dimension, so readers and reopened writers know it. */
    static final String DIMENSION_KEY = "engram.dimension";
    /** Commit user-data key holding the version of the field layout, for a future reindex decision. */
    static final String LAYOUT_KEY = "engram.layout";

    /**
     * 1: the first layout; 2: adds the attribute fields that attribute conditions search; 3: adds the English-analysed
     * text that lexical search ranks ({@link LuceneFields#TEXT_ENGLISH}).
     */
    static final String LAYOUT_VERSION = "3";

    private static final Logger LOG = Logger.getLogger(LuceneIndex.class.getName());

    /** A computation over a searcher that may fail with an {@link IOException}. */
    interface SearcherCall<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private final VectorKind kind;
    private final Path path;
    private final IndexWriter writer;
    private Directory directory;
    private volatile SearcherManager searchers;
    private volatile int dimension;
    private volatile boolean closed;

    private LuceneIndex(VectorKind kind, Path path, Directory directory, IndexWriter writer, int dimension)
            throws IOException {
        this.kind = kind;
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.dimension = dimension;
        this.searchers = writer == null ? null : new SearcherManager(writer, true, false, null);
    }

    /**
     * Opens (creating if needed) the writable index of {@code kind} at {@code path} for vectors of {@code dimension}.
     *
     * @throws IllegalStateException if another writer holds the index
     * @throws IllegalArgumentException if the index exists with another dimension
     */
    static LuceneIndex openWriter(VectorKind kind, Path path, int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        Directory directory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(path);
            directory = FSDirectory.open(path);
            IndexWriterConfig config = new IndexWriterConfig(LuceneDocuments.analyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCommitOnClose(false);
            writer = new IndexWriter(directory, config);
            Map<String, String> data = new HashMap<>();
            if (writer.getLiveCommitData() != null) {
                writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
            }
            String existing = data.get(DIMENSION_KEY);
            if (existing != null && Integer.parseInt(existing) != dimension) {
                throw new IllegalArgumentException("the " + kind.collectionSuffix() + " index at " + path
                        + " holds vectors of dimension " + existing + ", not " + dimension);
            }
            if (existing != null && !LAYOUT_VERSION.equals(data.get(LAYOUT_KEY))) {
                LOG.warning(() -> "the " + kind.collectionSuffix() + " index at " + path + " has field layout "
                        + data.get(LAYOUT_KEY) + ", not " + LAYOUT_VERSION
                        + ": attribute conditions (layout 2) or lexical search (layout 3) do not see points"
                        + " written before; reindex to fix");
            }
            if (existing == null) {
                data.put(DIMENSION_KEY, Integer.toString(dimension));
                data.put(LAYOUT_KEY, LAYOUT_VERSION);
                writer.setLiveCommitData(data.entrySet());
                writer.commit(); // so that readers can open the index before the first write
                LOG.fine(() -> "created the " + kind.collectionSuffix() + " index, dimension " + dimension);
            }
            return new LuceneIndex(kind, path, directory, writer, dimension);
        } catch (LockObtainFailedException e) {
            IOUtils.closeWhileHandlingException(writer, directory);
            throw new IllegalStateException("another writer holds the index at " + path, e);
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(writer, directory);
            throw failure("open the " + kind.collectionSuffix() + " index at " + path, e);
        } catch (RuntimeException e) {
            IOUtils.closeWhileHandlingException(writer, directory);
            throw e;
        }
    }

    /** The read-only view of the index of {@code kind} at {@code path}; the index need not exist yet. */
    static LuceneIndex openReader(VectorKind kind, Path path) {
        try {
            return new LuceneIndex(kind, path, null, null, 0);
        } catch (IOException e) {
            throw failure("open the " + kind.collectionSuffix() + " index at " + path, e);
        }
    }

    /** Whether this is a read-only view. */
    boolean readOnly() {
        return writer == null;
    }

    /** Dimension of the vectors, or 0 if not known yet (a reader before the index exists). */
    int dimension() {
        if (dimension == 0 && readOnly()) {
            searchers();
        }
        return dimension;
    }

    /** Adds or replaces each document by its term (a point key). */
    void update(List<Term> keys, List<Document> documents) {
        try {
            for (int i = 0; i < keys.size(); i++) {
                writer.updateDocument(keys.get(i), documents.get(i));
            }
        } catch (AlreadyClosedException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw failure("write to the " + kind.collectionSuffix() + " index", e);
        }
    }

    /** Deletes the documents with these terms. */
    void delete(List<Term> keys) {
        try {
            writer.deleteDocuments(keys.toArray(Term[]::new));
        } catch (AlreadyClosedException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw failure("delete from the " + kind.collectionSuffix() + " index", e);
        }
    }

    /** Deletes the documents matching {@code query}. */
    void delete(Query query) {
        try {
            writer.deleteDocuments(query);
        } catch (AlreadyClosedException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw failure("delete from the " + kind.collectionSuffix() + " index", e);
        }
    }

    /** Commits and makes the commit visible to this writer's searches. */
    void commit() {
        try {
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (AlreadyClosedException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw failure("commit the " + kind.collectionSuffix() + " index", e);
        }
    }

    /** Runs {@code call} on a current searcher, or returns {@code empty} if the index does not exist yet. */
    <T> T search(SearcherCall<T> call, T empty) {
        SearcherManager manager = searchers();
        if (manager == null) {
            return empty;
        }
        try {
            IndexSearcher searcher = manager.acquire();
            try {
                return call.apply(searcher);
            } finally {
                manager.release(searcher);
            }
        } catch (AlreadyClosedException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw failure("search the " + kind.collectionSuffix() + " index", e);
        }
    }

    /** The searcher manager, refreshed to the latest commit in read-only mode; {@code null} if no index exists. */
    private SearcherManager searchers() {
        if (closed) {
            throw new IllegalStateException("the vector store is closed");
        }
        SearcherManager manager = searchers;
        try {
            if (manager == null) {
                return openSearchersIfIndexExists();
            }
            if (readOnly()) {
                manager.maybeRefreshBlocking();
            }
            return manager;
        } catch (AlreadyClosedException e) {
            throw closedError(e);
        } catch (IOException e) {
            throw failure("refresh the " + kind.collectionSuffix() + " index", e);
        }
    }

    private synchronized SearcherManager openSearchersIfIndexExists() throws IOException {
        if (searchers != null || closed) {
            return searchers;
        }
        if (!Files.isDirectory(path)) {
            return null;
        }
        if (directory == null) {
            directory = FSDirectory.open(path);
        }
        if (!DirectoryReader.indexExists(directory)) {
            return null;
        }
        DirectoryReader reader = DirectoryReader.open(directory);
        String stored = reader.getIndexCommit().getUserData().get(DIMENSION_KEY);
        dimension = stored == null ? 0 : Integer.parseInt(stored);
        searchers = new SearcherManager(reader, null);
        LOG.fine(() -> "opened the " + kind.collectionSuffix() + " index read-only, dimension " + dimension);
        return searchers;
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            IOUtils.close(searchers, writer, directory); // writer: commitOnClose=false, uncommitted writes are dropped
        } catch (IOException e) {
            throw failure("close the " + kind.collectionSuffix() + " index", e);
        } finally {
            searchers = null;
            directory = null;
        }
    }

    private static IllegalStateException closedError(AlreadyClosedException e) {
        return new IllegalStateException("the vector store is closed", e);
    }

    private static VectorStoreException failure(String what, IOException e) {
        boolean retriable = !(e instanceof CorruptIndexException);
        return new VectorStoreException("could not " + what + ": " + e.getMessage(), retriable, e);
    }
}
