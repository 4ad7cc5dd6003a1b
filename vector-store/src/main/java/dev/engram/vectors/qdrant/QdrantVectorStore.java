package dev.engram.vectors.qdrant;

import static io.qdrant.client.QueryFactory.nearest;

import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import dev.engram.core.vectors.VectorStoreException;
import dev.engram.vectors.UnitVectors;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.Vectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The production {@link VectorStore}: Qdrant over gRPC with the official client. One collection per
 * {@link VectorKind} ({@link QdrantConfig#collectionName}) with an unnamed dense vector (cosine distance) for
 * {@link #search} and a sparse vector of BM25 term weights for {@link #searchText} ({@link QdrantLexical}), payload
 * indexes as described in {@link QdrantSchema}. Point ids are {@link PointIds} UUIDs of (organisation, id).
 * Collections created before lexical search lack the sparse vector and must be recreated for it (see
 * {@link QdrantSchema}).
 *
 * <p>Every write waits until Qdrant has applied it ({@code wait=true}), so a write is searchable when the call
 * returns and {@link #commit()} has nothing left to do. Filters run inside Qdrant's filtered HNSW search (a
 * pre-filter), with the reference semantics of {@link dev.engram.core.filters.Filter#matches} and
 * {@link dev.engram.core.vectors.AttributeCondition#matches}; the known
 * differences are:
 *
 * <ul>
 *   <li>non-finite numbers (which JSON cannot hold) are stored as null, so they never match a {@code numeric}
 *       condition, where the reference compares them as numbers;
 *   <li>{@code NotExpired} holds for an attribute that is null-like to Qdrant (a non-finite number, an empty list),
 *       which the reference counts as present and not a future instant;
 *   <li>{@code string_contains} relies on the substring projections never getting a full-text index (this class never
 *       creates one; an operator must not either).
 * </ul>
 *
 * Searches and counts of a collection that does not exist yet return nothing. Thread-safe.
 */
public final class QdrantVectorStore implements VectorStore {

    /** Points per upsert request, to stay well below gRPC message limits. */
    static final int UPSERT_BATCH = 128;

    /** Qdrant's name of a collection's unnamed dense vector, for writing it beside a named one. */
    static final String DENSE_VECTOR = "";

    private static final Logger LOG = Logger.getLogger(QdrantVectorStore.class.getName());

    private final QdrantClient client;
    private final QdrantConfig config;
    private final QdrantCalls calls;
    private final QdrantSchema schema;

    private QdrantVectorStore(QdrantClient client, QdrantConfig config) {
        this.client = client;
        this.config = config;
        this.calls = new QdrantCalls(config.timeout());
        this.schema = new QdrantSchema(client, config, calls);
    }

    /** Connects to the Qdrant described by {@code config} (the connection is made lazily, on the first call). */
    public static QdrantVectorStore connect(QdrantConfig config) {
        Objects.requireNonNull(config, "config");
        // no version check: it would make a blocking call without a deadline here, before any call of ours
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(
                        config.host(), config.port(), config.useTls(), false)
                .withTimeout(config.timeout());
        if (config.apiKey() != null) {
            grpc.withApiKey(config.apiKey());
        }
        return new QdrantVectorStore(new QdrantClient(grpc.build()), config);
    }

    /** The configuration this store uses. */
    public QdrantConfig config() {
        return config;
    }

    /**
     * Creates the collection of {@code kind} if missing, with its payload indexes (for memories also on the
     * attributes that searches for current memories test).
     *
     * @throws IllegalArgumentException if it exists with another dimension
     */
    @Override
    public void ensureCollection(VectorKind kind, int dimension) {
        schema.ensureCollection(
                config.collectionName(kind),
                dimension,
                kind == VectorKind.MEMORIES ? QdrantFields.MEMORY_ATTRIBUTE_INDEXES : Map.of());
    }

    @Override
    public void upsert(VectorKind kind, Collection<VectorPoint> points) {
        String collection = config.collectionName(kind);
        if (points.isEmpty()) {
            return;
        }
        QdrantSchema.Layout layout = schema.layout(collection);
        double averageLength = QdrantLexical.averageLength(kind);
        List<PointStruct> structs = new ArrayList<>(points.size());
        for (VectorPoint point : points) { // convert all first: a bad point fails the batch before anything is written
            structs.add(pointStruct(point, layout, averageLength));
        }
        schema.indexMetadata(collection, points);
        for (int from = 0; from < structs.size(); from += UPSERT_BATCH) {
            List<PointStruct> batch = structs.subList(from, Math.min(structs.size(), from + UPSERT_BATCH));
            UpsertPoints request = UpsertPoints.newBuilder()
                    .setCollectionName(collection)
                    .setWait(true)
                    .addAllPoints(batch)
                    .build();
            calls.await(client.upsertAsync(request, config.timeout()), "upsert into " + collection);
        }
        LOG.fine(() -> "upserted " + structs.size() + " point(s) into " + collection);
    }

    @Override
    public void delete(VectorKind kind, String orgId, Collection<String> ids) {
        Objects.requireNonNull(orgId, "orgId");
        if (ids.isEmpty()) {
            return;
        }
        String collection = config.collectionName(kind);
        PointsIdsList.Builder list = PointsIdsList.newBuilder();
        ids.forEach(id -> list.addIds(PointIdFactory.id(PointIds.of(orgId, id))));
        delete(collection, PointsSelector.newBuilder().setPoints(list).build());
        LOG.fine(() -> "deleted up to " + ids.size() + " point(s) by id from " + collection);
    }

    @Override
    public void deleteDocument(VectorKind kind, String orgId, String documentId) {
        String collection = config.collectionName(kind);
        delete(
                collection,
                PointsSelector.newBuilder()
                        .setFilter(QdrantFilterTranslator.document(orgId, documentId))
                        .build());
    }

    /** Nothing to do: every write already waited until Qdrant applied it. */
    @Override
    public void commit() {}

    @Override
    public List<VectorHit> search(VectorKind kind, VectorQuery query) {
        String collection = config.collectionName(kind);
        List<ScoredPoint> points;
        try {
            float[] unit = UnitVectors.normalized(
                    query.vector(), schema.layout(collection).dimension());
            QueryPoints request = QueryPoints.newBuilder()
                    .setCollectionName(collection)
                    .setQuery(nearest(unit))
                    .setFilter(QdrantFilterTranslator.scope(query))
                    .setLimit(query.limit())
                    .setWithPayload(WithPayloadSelectorFactory.exclude(List.of(QdrantFields.INDEX)))
                    .setWithVectors(WithVectorsSelectorFactory.enable(false))
                    .build();
            points = calls.await(client.queryAsync(request, config.timeout()), "search " + collection);
        } catch (VectorStoreException e) {
            if (QdrantCalls.isNotFound(e)) {
                return List.of();
            }
            throw e;
        }
        List<VectorHit> hits = new ArrayList<>(points.size());
        for (ScoredPoint point : points) {
            hits.add(new VectorHit(
                    QdrantPayloads.toPoint(point.getPayloadMap()), UnitVectors.clampCosine(point.getScore())));
        }
        LOG.fine(() -> "searched " + collection + ": " + hits.size() + " hit(s)");
        return hits;
    }

    /**
     * BM25 through the sparse vector of {@link QdrantLexical}, with the same payload filter as {@link #search}; scores
     * are Qdrant's (IDF over the whole collection times the stored term weights).
     *
     * @throws VectorStoreException (not retriable) if the collection was created before lexical search and so has no
     *     sparse vector: recreate it and reindex
     */
    @Override
    public List<VectorHit> searchText(VectorKind kind, TextQuery query) {
        Objects.requireNonNull(query, "query");
        String collection = config.collectionName(kind);
        QdrantLexical.Terms terms = QdrantLexical.query(query.text());
        if (terms.isEmpty()) {
            return List.of();
        }
        List<ScoredPoint> points;
        try {
            if (!schema.layout(collection).lexical()) {
                throw new VectorStoreException(
                        "Qdrant collection " + collection + " has no sparse vector '" + QdrantLexical.VECTOR
                                + "' (created before lexical search): recreate it and reindex",
                        false,
                        null);
            }
            points = calls.await(
                    client.queryAsync(textRequest(collection, query, terms), config.timeout()),
                    "search " + collection + " by text");
        } catch (VectorStoreException e) {
            if (QdrantCalls.isNotFound(e)) {
                return List.of();
            }
            throw e;
        }
        List<VectorHit> hits = new ArrayList<>(points.size());
        for (ScoredPoint point : points) {
            hits.add(new VectorHit(QdrantPayloads.toPoint(point.getPayloadMap()), point.getScore()));
        }
        LOG.fine(() -> "searched " + collection + " by " + terms.ids().size() + " term(s): " + hits.size() + " hit(s)");
        return hits;
    }

    /**
     * The point written for {@code point}: its normalised vector as the unnamed dense vector, its term weights as the
     * sparse vector if the collection has one and the text has terms, and its payload.
     */
    static PointStruct pointStruct(VectorPoint point, QdrantSchema.Layout layout, double averageLength) {
        Vector dense = VectorFactory.vector(UnitVectors.normalized(point.vector(), layout.dimension()));
        QdrantLexical.Terms terms = layout.lexical() ? QdrantLexical.document(point.text(), averageLength) : null;
        Vectors vectors = terms == null || terms.isEmpty()
                ? VectorsFactory.vectors(dense)
                : VectorsFactory.namedVectors(
                        Map.of(DENSE_VECTOR, dense, QdrantLexical.VECTOR, QdrantLexical.vector(terms)));
        return PointStruct.newBuilder()
                .setId(PointIdFactory.id(PointIds.of(point.orgId(), point.id())))
                .setVectors(vectors)
                .putAllPayload(QdrantPayloads.toPayload(point))
                .build();
    }

    /** The lexical query: the sparse {@code terms} against {@value QdrantLexical#VECTOR}, within the query's scope. */
    static QueryPoints textRequest(String collection, TextQuery query, QdrantLexical.Terms terms) {
        return QueryPoints.newBuilder()
                .setCollectionName(collection)
                .setQuery(nearest(QdrantLexical.input(terms)))
                .setUsing(QdrantLexical.VECTOR)
                .setFilter(QdrantFilterTranslator.scope(query))
                .setLimit(query.limit())
                .setWithPayload(WithPayloadSelectorFactory.exclude(List.of(QdrantFields.INDEX)))
                .setWithVectors(WithVectorsSelectorFactory.enable(false))
                .build();
    }

    /**
     * One retrieve request for the points' UUIDs ({@link PointIds} of the organisation and id, so another
     * organisation's points cannot be addressed), with vectors and without payload; the dense vector is normalised
     * again in case the collection did not store it normalised.
     */
    @Override
    public Map<String, float[]> vectorsOf(VectorKind kind, String orgId, Collection<String> ids) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return Map.of();
        }
        String collection = config.collectionName(kind);
        Map<String, String> idsByUuid = new HashMap<>();
        List<PointId> pointIds = new ArrayList<>(ids.size());
        for (String id : new LinkedHashSet<>(ids)) {
            UUID uuid = PointIds.of(orgId, id);
            idsByUuid.put(uuid.toString(), id);
            pointIds.add(PointIdFactory.id(uuid));
        }
        List<RetrievedPoint> points;
        try {
            GetPoints request = GetPoints.newBuilder()
                    .setCollectionName(collection)
                    .addAllIds(pointIds)
                    .setWithPayload(WithPayloadSelectorFactory.enable(false))
                    .setWithVectors(WithVectorsSelectorFactory.enable(true))
                    .build();
            points = calls.await(client.retrieveAsync(request, config.timeout()), "read vectors of " + collection);
        } catch (VectorStoreException e) {
            if (QdrantCalls.isNotFound(e)) {
                return Map.of();
            }
            throw e;
        }
        Map<String, float[]> vectors = new HashMap<>();
        for (RetrievedPoint point : points) {
            String id = idsByUuid.get(point.getId().getUuid());
            float[] dense = denseVector(point);
            if (id != null && dense != null) {
                vectors.put(id, UnitVectors.normalized(dense, dense.length));
            }
        }
        LOG.fine(() -> "read " + vectors.size() + " of " + ids.size() + " vector(s) from " + collection);
        return vectors;
    }

    /** The unnamed dense vector of a retrieved point (stored alone or beside the sparse one), or {@code null}. */
    private static float[] denseVector(RetrievedPoint point) {
        VectorOutput output;
        if (point.getVectors().hasVector()) {
            output = point.getVectors().getVector();
        } else if (point.getVectors().hasVectors()
                && point.getVectors().getVectors().containsVectors(DENSE_VECTOR)) {
            output = point.getVectors().getVectors().getVectorsOrThrow(DENSE_VECTOR);
        } else {
            return null;
        }
        @SuppressWarnings("deprecation") // older servers fill the flat data field instead of 'dense'
        List<Float> data = output.hasDense() ? output.getDense().getDataList() : output.getDataList();
        if (data.isEmpty()) {
            return null;
        }
        float[] vector = new float[data.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = data.get(i);
        }
        return vector;
    }

    @Override
    public long count(VectorKind kind, String orgId) {
        String collection = config.collectionName(kind);
        try {
            return calls.await(
                    client.countAsync(collection, QdrantFilterTranslator.organisation(orgId), true, config.timeout()),
                    "count " + collection);
        } catch (VectorStoreException e) {
            if (QdrantCalls.isNotFound(e)) {
                return 0;
            }
            throw e;
        }
    }

    /** Closes the gRPC channel. */
    @Override
    public void close() {
        client.close();
    }

    private void delete(String collection, PointsSelector selector) {
        DeletePoints request = DeletePoints.newBuilder()
                .setCollectionName(collection)
                .setWait(true)
                .setPoints(selector)
                .build();
        calls.await(client.deleteAsync(request, config.timeout()), "delete from " + collection);
    }

    /** Only for tests that must drop what they created. */
    void deleteCollection(VectorKind kind) {
        String collection = config.collectionName(kind);
        try {
            calls.await(client.deleteCollectionAsync(collection, config.timeout()), "drop " + collection);
        } catch (VectorStoreException e) {
            if (!QdrantCalls.isNotFound(e)) {
                throw e;
            }
        }
    }
}
