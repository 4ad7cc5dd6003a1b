package dev.engram.core.vectors;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one port to the vector index. Two adapters implement it: embedded Lucene (one machine) and Qdrant
 * (production); both pass the same contract test suite. Calls block; callers run them off event loops.
 *
 * <p>Writes are idempotent by point id. A write is searchable after {@link #commit()} returns, and not necessarily
 * before; memory-writer reports a document {@code done} only after that commit.
 *
 * <p>Failures of the store itself are thrown as {@link VectorStoreException}, which says whether a retry may help;
 * bad arguments (e.g. a vector of the wrong dimension) as {@link IllegalArgumentException}.
 */
public interface VectorStore extends AutoCloseable {

    /** Creates the collection for {@code kind} if it does not exist, with vectors of {@code dimension}. */
    void ensureCollection(VectorKind kind, int dimension);

    /** Inserts or replaces points (by id). */
    void upsert(VectorKind kind, Collection<VectorPoint> points);

    /** Deletes the given points of one organisation; unknown ids are ignored. */
    void delete(VectorKind kind, String orgId, Collection<String> ids);

    /** Deletes every point of one document of one organisation. */
    void deleteDocument(VectorKind kind, String orgId, String documentId);

    /** Makes every write so far durable and visible to searches. */
    void commit();

    /**
     * Makes every write so far to the points of {@code kind} durable and visible to searches; writes of other kinds may
     * stay pending until their own commit. A writer that only touched one kind commits that kind, so it does not flush
     * another writer's half-done batch (with an embedded index each flush is a new segment, to be merged later). The
     * default commits everything.
     */
    default void commit(VectorKind kind) {
        commit();
    }

    /** The nearest points, best first, within the query's organisation, tags, documents and filter. */
    List<VectorHit> search(VectorKind kind, VectorQuery query);

    /**
     * The best lexical (BM25) matches of the query's text, best first, within the query's organisation, tags,
     * documents, filter and conditions (applied inside the index, so {@code limit} hits come back whenever that many
     * in-scope points contain a query term). Each {@link VectorHit#score()} is the adapter's raw lexical score (&gt; 0).
     * A text none of whose terms occurs in scope, or that has no terms at all (only stop words or punctuation), finds
     * nothing: the result is empty, never an error.
     */
    List<VectorHit> searchText(VectorKind kind, TextQuery query);

    /**
     * The stored vectors of the given points of one organisation, by point id, each normalised to unit length (so the
     * dot product with a unit query vector is the cosine {@link #search} reports). Ids not stored for that organisation
     * (never written, deleted, or another organisation's) are absent from the map. One round trip whatever the number of
     * ids: for scoring lexical hits on the dense scale without a call per hit. The returned arrays are the caller's.
     *
     * @param ids point ids; empty gives an empty map
     */
    Map<String, float[]> vectorsOf(VectorKind kind, String orgId, Collection<String> ids);

    /** Number of points of one organisation (for tests and statistics). */
    long count(VectorKind kind, String orgId);

    @Override
    void close();
}
