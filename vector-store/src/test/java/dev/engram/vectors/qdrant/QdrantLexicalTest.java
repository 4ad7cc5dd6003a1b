package dev.engram.vectors.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.core.filters.FilterParser;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorKind;
import dev.engram.core.vectors.VectorPoint;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client-side half of Qdrant's BM25: terms, term ids, weights and the requests, checked without a server. */
class QdrantLexicalTest {

    private static final double AVG = 12;

    @Test
    void termIdsAreMurmur3OfTheUtf8BytesWithTheSignBitCleared() {
        // pinned: stored vectors depend on these ids, so they must never change (values of the reference murmur3)
        assertThat(QdrantLexical.termId("run")).isEqualTo(1_903_578_184);
        assertThat(QdrantLexical.termId("xylophon")).isEqualTo(1_053_503_837);
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            String term = Long.toString(random.nextLong(), 36) + "é€";
            assertThat(QdrantLexical.termId(term)).isNotNegative().isEqualTo(QdrantLexical.termId(term));
        }
    }

    @Test
    void weightsSaturateWithTermFrequencyAndShrinkWithLength() {
        assertThat(QdrantLexical.weight(1, 12, AVG)).isCloseTo(1.0, within(1e-9)); // average length, one occurrence
        assertThat(QdrantLexical.weight(2, 12, AVG)).isGreaterThan(QdrantLexical.weight(1, 12, AVG));
        assertThat(QdrantLexical.weight(1000, 12, AVG)).isLessThan(QdrantLexical.K1 + 1);
        assertThat(QdrantLexical.weight(1, 48, AVG)).isLessThan(QdrantLexical.weight(1, 12, AVG));
        assertThat(QdrantLexical.weight(1, 3, AVG)).isGreaterThan(QdrantLexical.weight(1, 12, AVG));
    }

    @Test
    void aDocumentGetsOneBm25WeightPerDistinctAnalysedTerm() {
        // terms: cat, sat, cat, mat ("the" and "on" are stop words), so len = 4
        QdrantLexical.Terms terms = QdrantLexical.document("The cat sat on the CAT's mat", AVG);

        double norm = 1.2 * (1 - 0.75 + 0.75 * 4 / AVG);
        Map<Integer, Double> expected = Map.of(
                QdrantLexical.termId("cat"), 2 * 2.2 / (2 + norm),
                QdrantLexical.termId("sat"), 2.2 / (1 + norm),
                QdrantLexical.termId("mat"), 2.2 / (1 + norm));
        assertThat(terms.ids())
                .containsExactlyElementsOf(expected.keySet().stream().sorted().toList());
        for (int i = 0; i < terms.ids().size(); i++) {
            assertThat((double) terms.weights().get(i))
                    .isCloseTo(expected.get(terms.ids().get(i)), within(1e-6));
        }
        assertThat(QdrantLexical.document("to be or not to be", AVG).isEmpty()).isTrue();
        assertThat(QdrantLexical.document("", AVG).isEmpty()).isTrue();
    }

    @Test
    void aQueryHasWeightOnePerDistinctTermAndNothingForStopWords() {
        QdrantLexical.Terms running = QdrantLexical.query("Running runs, the RUN!");
        assertThat(running.ids()).containsExactly(QdrantLexical.termId("run"));
        assertThat(running.weights()).containsExactly(1f);

        QdrantLexical.Terms two = QdrantLexical.query("xylophone and running");
        assertThat(two.ids())
                .containsExactlyInAnyOrder(QdrantLexical.termId("xylophon"), QdrantLexical.termId("run"))
                .isSorted();
        assertThat(two.weights()).containsExactly(1f, 1f);
        assertThat(QdrantLexical.query("the ?! of").isEmpty()).isTrue();
    }

    @Test
    void averageLengthsArePerKind() {
        assertThat(QdrantLexical.averageLength(VectorKind.CHUNKS)).isEqualTo(QdrantLexical.CHUNK_AVERAGE_LENGTH);
        assertThat(QdrantLexical.averageLength(VectorKind.MEMORIES)).isEqualTo(QdrantLexical.MEMORY_AVERAGE_LENGTH);
    }

    @Test
    void newCollectionsGetTheSparseVectorWithIdfComputedByQdrant() {
        CreateCollection request = QdrantSchema.createRequest("engram_chunks", 384);

        assertThat(request.getVectorsConfig().getParams().getSize()).isEqualTo(384);
        assertThat(request.getVectorsConfig().getParams().getDistance()).isEqualTo(Distance.Cosine);
        assertThat(request.getSparseVectorsConfig().getMapMap()).containsOnlyKeys(QdrantLexical.VECTOR);
        assertThat(request.getSparseVectorsConfig()
                        .getMapMap()
                        .get(QdrantLexical.VECTOR)
                        .getModifier())
                .isEqualTo(Modifier.Idf);
    }

    @Test
    void aCollectionWithoutTheSparseVectorIsRecognisedAsCreatedBeforeLexicalSearch() {
        CollectionParams.Builder params = CollectionParams.newBuilder()
                .setVectorsConfig(VectorsConfig.newBuilder()
                        .setParams(VectorParams.newBuilder().setSize(16).setDistance(Distance.Cosine)));
        CollectionInfo old = CollectionInfo.newBuilder()
                .setConfig(CollectionConfig.newBuilder().setParams(params))
                .build();
        CollectionInfo current = CollectionInfo.newBuilder()
                .setConfig(CollectionConfig.newBuilder()
                        .setParams(params.clone().setSparseVectorsConfig(QdrantLexical.config())))
                .build();

        assertThat(QdrantSchema.Layout.of(old)).isEqualTo(new QdrantSchema.Layout(16, false));
        assertThat(QdrantSchema.Layout.of(current)).isEqualTo(new QdrantSchema.Layout(16, true));
    }

    @Test
    void aPointCarriesItsDenseVectorUnnamedAndItsTermWeightsAsTheSparseVector() {
        VectorPoint point =
                new VectorPoint("p1", "org", "t", "d", new float[] {3, 4}, "giraffes running", Map.of(), Map.of());

        PointStruct struct = QdrantVectorStore.pointStruct(point, new QdrantSchema.Layout(2, true), AVG);

        Map<String, Vector> named = struct.getVectors().getVectors().getVectorsMap();
        assertThat(named).containsOnlyKeys(QdrantVectorStore.DENSE_VECTOR, QdrantLexical.VECTOR);
        assertThat(named.get(QdrantVectorStore.DENSE_VECTOR).getDense().getDataList())
                .containsExactly(0.6f, 0.8f);
        SparseVector sparse = named.get(QdrantLexical.VECTOR).getSparse();
        QdrantLexical.Terms expected = QdrantLexical.document("giraffes running", AVG);
        assertThat(sparse.getIndicesList()).containsExactlyElementsOf(expected.ids());
        assertThat(sparse.getValuesList()).containsExactlyElementsOf(expected.weights());
        assertThat(struct.getPayloadMap().get(QdrantFields.TEXT).getStringValue())
                .isEqualTo("giraffes running");
    }

    @Test
    void aPointWithoutTermsOrInAnOldCollectionCarriesOnlyItsDenseVector() {
        VectorPoint stopWords = new VectorPoint("p1", "org", "t", "d", new float[] {1, 0}, "the", Map.of(), Map.of());
        VectorPoint words = new VectorPoint("p2", "org", "t", "d", new float[] {1, 0}, "words", Map.of(), Map.of());

        for (PointStruct struct : List.of(
                QdrantVectorStore.pointStruct(stopWords, new QdrantSchema.Layout(2, true), AVG),
                QdrantVectorStore.pointStruct(words, new QdrantSchema.Layout(2, false), AVG))) {
            assertThat(struct.getVectors().getVectorsOptionsCase()).isEqualTo(Vectors.VectorsOptionsCase.VECTOR);
            assertThat(struct.getVectors().getVector().getDense().getDataList()).containsExactly(1f, 0f);
        }
    }

    @Test
    void theTextRequestSearchesTheSparseVectorWithinTheScopeOfTheQuery() {
        TextQuery query = new TextQuery(
                "org",
                List.of("t1"),
                "Running giraffes",
                7,
                FilterParser.parse((Object) "{\"AND\":[{\"key\":\"color\",\"value\":\"red\"}]}", "filters"),
                List.of("d1"),
                List.of(new AttributeCondition.Equals("isLatest", true)));
        QdrantLexical.Terms terms = QdrantLexical.query(query.text());

        QueryPoints request = QdrantVectorStore.textRequest("engram_memories", query, terms);

        assertThat(request.getCollectionName()).isEqualTo("engram_memories");
        assertThat(request.getUsing()).isEqualTo(QdrantLexical.VECTOR);
        SparseVector sparse = request.getQuery().getNearest().getSparse();
        assertThat(sparse.getIndicesList())
                .containsExactlyInAnyOrder(QdrantLexical.termId("run"), QdrantLexical.termId("giraff"));
        assertThat(sparse.getValuesList()).containsExactly(1f, 1f);
        assertThat(request.getFilter()).isEqualTo(QdrantFilterTranslator.scope(query));
        assertThat(request.getFilter().getMustCount()).isEqualTo(5); // org, tags, documents, filter, condition
        assertThat(request.getLimit()).isEqualTo(7);
        assertThat(request.getWithPayload().getExclude().getFieldsList()).containsExactly(QdrantFields.INDEX);
    }
}
