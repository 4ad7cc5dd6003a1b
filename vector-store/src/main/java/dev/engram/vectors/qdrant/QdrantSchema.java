package dev.engram.vectors.qdrant;

import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorStoreException;
import dev.engram.vectors.IndexedValue;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.KeywordIndexParams;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Creates collections, each with an unnamed dense vector (cosine) and the sparse vector of {@link QdrantLexical}, and
 * their payload indexes: keyword indexes on the organisation and document ids, a tenant
 * keyword index ({@code is_tenant}) on the container tag, indexes the caller asks for when ensuring a collection (the
 * memory attributes of {@link QdrantFields#MEMORY_ATTRIBUTE_INDEXES}), and, as metadata keys first appear in upserts, keyword
 * indexes on their equality projections and float indexes on their numbers, up to
 * {@link QdrantConfig#maxIndexedMetadataFields()} per collection. The substring projections are never indexed: a
 * full-text index would turn Qdrant's text match from a substring test into a token test. Unindexed fields still
 * filter exactly, by scanning the points the other conditions leave.
 *
 * <p>Creation is idempotent: an existing collection is kept as it is. A collection created by a version before
 * lexical search has no sparse vector (Qdrant cannot add one to an existing collection): it keeps working for dense
 * search, its points are written without term weights, and lexical search on it fails; it must be recreated (dropped,
 * then reindexed) to get lexical search.
 */
final class QdrantSchema {

    private static final Logger LOG = Logger.getLogger(QdrantSchema.class.getName());

    private final QdrantClient client;
    private final QdrantConfig config;
    private final QdrantCalls calls;
    private final Map<String, Layout> layouts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> indexedFields = new ConcurrentHashMap<>();

    /**
     * What this adapter needs to know of a collection.
     *
     * @param dimension the dense vectors' dimension
     * @param lexical whether it has the sparse vector {@value QdrantLexical#VECTOR} (created by a version with lexical
     *     search)
     */
    record Layout(int dimension, boolean lexical) {

        static Layout of(CollectionInfo info) {
            return new Layout(
                    (int) info.getConfig()
                            .getParams()
                            .getVectorsConfig()
                            .getParams()
                            .getSize(),
                    info.getConfig().getParams().getSparseVectorsConfig().containsMap(QdrantLexical.VECTOR));
        }
    }

    QdrantSchema(QdrantClient client, QdrantConfig config, QdrantCalls calls) {
        this.client = client;
        this.config = config;
        this.calls = calls;
    }

    /**
     * Creates {@code collection} with cosine vectors of {@code dimension} and the base payload indexes if missing,
     * plus {@code extraIndexes} (payload path to index type).
     *
     * @throws IllegalArgumentException if it exists with another dimension
     */
    void ensureCollection(String collection, int dimension, Map<String, FieldType> extraIndexes) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive: " + dimension);
        }
        if (!calls.await(client.collectionExistsAsync(collection, config.timeout()), "check " + collection)) {
            create(collection, dimension);
        }
        CollectionInfo info =
                calls.await(client.getCollectionInfoAsync(collection, config.timeout()), "describe " + collection);
        Layout layout = Layout.of(info);
        if (layout.dimension() != dimension) {
            throw new IllegalArgumentException("Qdrant collection " + collection + " holds vectors of dimension "
                    + layout.dimension() + ", not " + dimension);
        }
        if (!layout.lexical()) {
            LOG.warning(() -> "Qdrant collection " + collection + " has no sparse vector '" + QdrantLexical.VECTOR
                    + "' (created before lexical search): lexical search on it fails until it is recreated and"
                    + " reindexed");
        }
        Set<String> indexed = indexedFields.computeIfAbsent(collection, c -> ConcurrentHashMap.newKeySet());
        indexed.addAll(info.getPayloadSchemaMap().keySet());
        createIndex(collection, QdrantFields.ORG_ID, FieldType.FieldTypeKeyword, null);
        createIndex(collection, QdrantFields.DOCUMENT_ID, FieldType.FieldTypeKeyword, null);
        createIndex(
                collection,
                QdrantFields.CONTAINER_TAG,
                FieldType.FieldTypeKeyword,
                PayloadIndexParams.newBuilder()
                        .setKeywordIndexParams(KeywordIndexParams.newBuilder()
                                .setIsTenant(true)
                                .build())
                        .build());
        extraIndexes.forEach((field, type) -> createIndex(collection, field, type, null));
        layouts.put(collection, layout);
    }

    /** The layout of {@code collection}, asking Qdrant if this process has not ensured it. */
    Layout layout(String collection) {
        return layouts.computeIfAbsent(
                collection,
                c -> Layout.of(calls.await(client.getCollectionInfoAsync(c, config.timeout()), "describe " + c)));
    }

    /** Creates the payload indexes for metadata fields of {@code points} not indexed yet, within the cap. */
    void indexMetadata(String collection, Collection<VectorPoint> points) {
        if (config.maxIndexedMetadataFields() == 0) {
            return;
        }
        Map<String, FieldType> wanted = new LinkedHashMap<>();
        for (VectorPoint point : points) {
            for (IndexedValue value : IndexedValue.of(point.metadata())) {
                if (value.scalar() != null) {
                    wanted.put(QdrantFields.path(value.key(), QdrantFields.SCALAR), FieldType.FieldTypeKeyword);
                    wanted.put(QdrantFields.path(value.key(), QdrantFields.SCALAR_FOLDED), FieldType.FieldTypeKeyword);
                }
                if (!value.elements().isEmpty()) {
                    wanted.put(QdrantFields.path(value.key(), QdrantFields.ELEMENTS), FieldType.FieldTypeKeyword);
                    wanted.put(
                            QdrantFields.path(value.key(), QdrantFields.ELEMENTS_FOLDED), FieldType.FieldTypeKeyword);
                }
                if (value.number() != null) {
                    wanted.put(QdrantFields.path(value.key(), QdrantFields.NUMBER), FieldType.FieldTypeFloat);
                }
            }
        }
        Set<String> indexed = indexedFields.computeIfAbsent(collection, c -> ConcurrentHashMap.newKeySet());
        wanted.forEach((path, type) -> {
            if (indexed.contains(path)) {
                return;
            }
            if (metadataIndexCount(indexed) >= config.maxIndexedMetadataFields()) {
                LOG.fine(() -> "metadata index cap reached for " + collection + "; not indexing another field");
                return;
            }
            createIndex(collection, path, type, null);
        });
    }

    /** The request creating {@code collection}: unnamed cosine vectors of {@code dimension} and the sparse vector. */
    static CreateCollection createRequest(String collection, int dimension) {
        return CreateCollection.newBuilder()
                .setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder()
                        .setParams(VectorParams.newBuilder()
                                .setSize(dimension)
                                .setDistance(Distance.Cosine)
                                .build())
                        .build())
                .setSparseVectorsConfig(QdrantLexical.config())
                .build();
    }

    private void create(String collection, int dimension) {
        CreateCollection request = createRequest(collection, dimension);
        try {
            calls.await(client.createCollectionAsync(request, config.timeout()), "create " + collection);
            LOG.fine(() -> "created Qdrant collection " + collection + ", dimension " + dimension);
        } catch (VectorStoreException e) {
            // another process may have created it in the meantime
            if (!calls.await(client.collectionExistsAsync(collection, config.timeout()), "check " + collection)) {
                throw e;
            }
        }
    }

    private void createIndex(String collection, String field, FieldType type, PayloadIndexParams params) {
        Set<String> indexed = indexedFields.computeIfAbsent(collection, c -> ConcurrentHashMap.newKeySet());
        if (indexed.contains(field)) {
            return;
        }
        CreateFieldIndexCollection.Builder request = CreateFieldIndexCollection.newBuilder()
                .setCollectionName(collection)
                .setFieldName(field)
                .setFieldType(type)
                .setWait(true);
        if (params != null) {
            request.setFieldIndexParams(params);
        }
        calls.await(client.createPayloadIndexAsync(request.build(), config.timeout()), "index " + collection);
        indexed.add(field);
        LOG.fine(() -> "created a payload index on " + collection + " (" + indexed.size() + " indexed fields)");
    }

    private static long metadataIndexCount(Set<String> indexed) {
        return indexed.stream()
                .filter(f -> f.startsWith(QdrantFields.INDEX + "."))
                .count();
    }
}
