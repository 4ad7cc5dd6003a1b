package dev.engram.vectors.contract;

import static dev.engram.core.vectors.VectorKind.CHUNKS;
import static dev.engram.core.vectors.VectorKind.MEMORIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.engram.core.filters.Filter;
import dev.engram.core.filters.FilterParser;
import dev.engram.core.vectors.AttributeCondition;
import dev.engram.core.vectors.TextQuery;
import dev.engram.core.vectors.VectorHit;
import dev.engram.core.vectors.VectorPoint;
import dev.engram.core.vectors.VectorQuery;
import dev.engram.core.vectors.VectorStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VectorStore} adapter must show. A subclass supplies a fresh, empty store per test; the
 * suite ensures both collections with dimension {@value #DIMENSION} and closes the store afterwards.
 *
 * <p>Filtering is checked against the reference evaluator {@link Filter#matches}: hand-picked cases for every
 * filter type, and a seeded property test over random nested filters. Published in this module's test-jar so other
 * modules can run it against their wiring of a store.
 */
public abstract class VectorStoreContract {

    /** Dimension of the test collections. */
    protected static final int DIMENSION = 16;

    /** The organisation most tests write and search. */
    protected static final String ORG = "org_a";
    /** Another organisation, which must never see {@link #ORG}'s points nor be seen by it. */
    protected static final String OTHER_ORG = "org_b";

    /** The store under test, fresh for each test. */
    protected VectorStore store;

    /** A new, empty store. */
    protected abstract VectorStore createStore() throws Exception;

    /** Releases a store made by {@link #createStore()} (by default: closes it). */
    protected void destroyStore(VectorStore used) throws Exception {
        used.close();
    }

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
        store.ensureCollection(CHUNKS, DIMENSION);
        store.ensureCollection(MEMORIES, DIMENSION);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            destroyStore(store);
        }
    }

    // ---------------------------------------------------------------- writes and reads

    @Test
    void upsertedPointIsFoundAfterCommitWithEverythingItStored() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("source", "slack");
        metadata.put("count", 3L);
        metadata.put("ratio", 2.5);
        metadata.put("pinned", true);
        metadata.put("labels", List.of("a", "b"));
        VectorPoint point =
                new VectorPoint("p1", ORG, "user_1", "doc_1", axis(0), "the text", metadata, Map.of("position", 4L));

        store.upsert(CHUNKS, List.of(point));
        store.commit();

        List<VectorHit> hits = store.search(CHUNKS, query(ORG, List.of("user_1"), axis(0), 10, null));
        assertThat(hits).hasSize(1);
        VectorPoint found = hits.getFirst().point();
        assertThat(found.id()).isEqualTo("p1");
        assertThat(found.orgId()).isEqualTo(ORG);
        assertThat(found.containerTag()).isEqualTo("user_1");
        assertThat(found.documentId()).isEqualTo("doc_1");
        assertThat(found.text()).isEqualTo("the text");
        assertThat(found.metadata()).isEqualTo(metadata);
        assertThat(found.attributes()).isEqualTo(Map.of("position", 4L));
        assertThat(hits.getFirst().score()).isCloseTo(1.0, within(1e-4));
        assertThat(store.count(CHUNKS, ORG)).isEqualTo(1);
    }

    @Test
    void redeliveredUpsertOfTheSameIdReplacesThePointInsteadOfDuplicatingIt() {
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "first")));
        store.commit();
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(1), Map.of(), "second")));
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(1), Map.of(), "second")));
        store.commit();

        assertThat(store.count(CHUNKS, ORG)).isEqualTo(1);
        List<VectorHit> hits = store.search(CHUNKS, query(ORG, List.of(), axis(1), 10, null));
        assertThat(hits).singleElement().satisfies(hit -> {
            assertThat(hit.point().text()).isEqualTo("second");
            assertThat(hit.score()).isCloseTo(1.0, within(1e-4));
        });
    }

    @Test
    void theSamePointIdInTwoOrganisationsIsTwoSeparatePoints() {
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "mine")));
        store.upsert(CHUNKS, List.of(point("p1", OTHER_ORG, "t", "d", axis(0), Map.of(), "theirs")));
        store.commit();

        assertThat(store.count(CHUNKS, ORG)).isEqualTo(1);
        assertThat(store.count(CHUNKS, OTHER_ORG)).isEqualTo(1);
        assertThat(texts(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                .containsExactly("mine");
    }

    @Test
    void organisationsNeverSeeEachOthersPointsEvenUnderTheSameTag() {
        Random random = new Random(1);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            points.add(point("a" + i, ORG, "shared", "d", randomVector(random), Map.of("k", "v"), "a"));
            points.add(point("b" + i, OTHER_ORG, "shared", "d", randomVector(random), Map.of("k", "v"), "b"));
        }
        store.upsert(CHUNKS, points);
        store.commit();

        Filter anything =
                parse("{\"OR\":[{\"key\":\"k\",\"value\":\"v\"},{\"key\":\"k\",\"value\":\"v\",\"negate\":true}]}");
        assertThat(store.search(CHUNKS, query(ORG, List.of("shared"), axis(0), 100, anything)))
                .hasSize(10)
                .allSatisfy(hit -> assertThat(hit.point().orgId()).isEqualTo(ORG));
        assertThat(store.search(CHUNKS, query(OTHER_ORG, List.of(), axis(0), 100, null)))
                .hasSize(10)
                .allSatisfy(hit -> assertThat(hit.point().orgId()).isEqualTo(OTHER_ORG));
        assertThat(store.search(CHUNKS, query("org_nobody", List.of("shared"), axis(0), 100, null)))
                .isEmpty();
        assertThat(store.count(CHUNKS, ORG)).isEqualTo(10);
    }

    @Test
    void containerTagsRestrictTheSearchAndNoTagsMeansEveryTagOfTheOrganisation() {
        Random random = new Random(2);
        List<VectorPoint> points = new ArrayList<>();
        for (String tag : List.of("t1", "t2", "t3")) {
            for (int i = 0; i < 4; i++) {
                points.add(point(tag + "_" + i, ORG, tag, "d", randomVector(random), Map.of(), tag));
            }
        }
        store.upsert(CHUNKS, points);
        store.commit();

        assertThat(tags(store.search(CHUNKS, query(ORG, List.of("t1"), axis(0), 100, null))))
                .containsExactly("t1");
        assertThat(store.search(CHUNKS, query(ORG, List.of("t1", "t3"), axis(0), 100, null)))
                .hasSize(8);
        assertThat(tags(store.search(CHUNKS, query(ORG, List.of("t1", "t3"), axis(0), 100, null))))
                .containsExactly("t1", "t3");
        assertThat(store.search(CHUNKS, query(ORG, List.of(), axis(0), 100, null)))
                .hasSize(12);
        assertThat(store.search(CHUNKS, query(ORG, List.of("t9"), axis(0), 100, null)))
                .isEmpty();
    }

    @Test
    void documentIdsRestrictTheSearch() {
        Random random = new Random(3);
        List<VectorPoint> points = new ArrayList<>();
        for (String doc : List.of("d1", "d2", "d3")) {
            for (int i = 0; i < 3; i++) {
                points.add(point(doc + "_" + i, ORG, "t", doc, randomVector(random), Map.of(), doc));
            }
        }
        store.upsert(CHUNKS, points);
        store.commit();

        VectorQuery onlyD1AndD3 = new VectorQuery(ORG, List.of("t"), axis(0), 100, null, List.of("d1", "d3"));
        assertThat(store.search(CHUNKS, onlyD1AndD3))
                .hasSize(6)
                .extracting(hit -> hit.point().documentId())
                .containsOnly("d1", "d3");
    }

    @Test
    void deleteDocumentRemovesOnlyThatDocumentOfThatOrganisation() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("a1", ORG, "t", "d1", axis(0), Map.of(), "a1"),
                        point("a2", ORG, "t", "d1", axis(1), Map.of(), "a2"),
                        point("a3", ORG, "t", "d2", axis(2), Map.of(), "a3"),
                        point("b1", OTHER_ORG, "t", "d1", axis(0), Map.of(), "b1")));
        store.commit();

        store.deleteDocument(CHUNKS, ORG, "d1");
        store.commit();

        assertThat(ids(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                .containsExactly("a3");
        assertThat(ids(store.search(CHUNKS, query(OTHER_ORG, List.of(), axis(0), 10, null))))
                .containsExactly("b1");
    }

    @Test
    void deleteByIdsRemovesThosePointsOfThatOrganisationAndIgnoresUnknownIds() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("p1", ORG, "t", "d", axis(0), Map.of(), "p1"),
                        point("p2", ORG, "t", "d", axis(1), Map.of(), "p2"),
                        point("p1", OTHER_ORG, "t", "d", axis(0), Map.of(), "their p1")));
        store.commit();

        store.delete(CHUNKS, ORG, List.of("p1", "never-stored"));
        store.delete(CHUNKS, ORG, List.of());
        store.commit();

        assertThat(ids(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null))))
                .containsExactly("p2");
        assertThat(store.count(CHUNKS, OTHER_ORG)).isEqualTo(1);
    }

    @Test
    void vectorsOfReturnsTheStoredUnitVectorsOfOneOrganisationAndLeavesUnknownIdsOut() {
        float[] scaled = axis(2);
        scaled[2] = 3; // stored normalised
        float[] mixed = new float[DIMENSION];
        mixed[0] = 3;
        mixed[1] = 4;
        store.upsert(
                CHUNKS,
                List.of(
                        point("p1", ORG, "t", "d", scaled, Map.of(), "p1"),
                        point("p2", ORG, "t2", "d2", mixed, Map.of(), "p2"),
                        point("theirs", OTHER_ORG, "t", "d", axis(5), Map.of(), "theirs"),
                        point("shared", OTHER_ORG, "t", "d", axis(6), Map.of(), "their shared")));
        store.upsert(CHUNKS, List.of(point("shared", ORG, "t", "d", axis(7), Map.of(), "my shared")));
        store.commit();

        Map<String, float[]> vectors =
                store.vectorsOf(CHUNKS, ORG, List.of("p1", "p2", "theirs", "shared", "never-stored", "p1"));

        assertThat(vectors).containsOnlyKeys("p1", "p2", "shared");
        assertThat(vectors.get("p1")).containsExactly(axis(2), within(1e-5f));
        assertThat(vectors.get("p2")[0]).isCloseTo(0.6f, within(1e-5f));
        assertThat(vectors.get("p2")[1]).isCloseTo(0.8f, within(1e-5f));
        assertThat(vectors.get("shared")).containsExactly(axis(7), within(1e-5f));
        assertThat(store.vectorsOf(CHUNKS, OTHER_ORG, List.of("p1", "shared")))
                .containsOnlyKeys("shared")
                .hasEntrySatisfying("shared", v -> assertThat(v).containsExactly(axis(6), within(1e-5f)));
        assertThat(store.vectorsOf(CHUNKS, ORG, List.of())).isEmpty();
        assertThat(store.vectorsOf(MEMORIES, ORG, List.of("p1"))).isEmpty();
    }

    @Test
    void vectorsOfLeavesDeletedPointsOutAndReturnsTheLatestVectorOfAReplacedOne() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("byId", ORG, "t", "d1", axis(0), Map.of(), "a"),
                        point("byDocument", ORG, "t", "d2", axis(1), Map.of(), "b"),
                        point("replaced", ORG, "t", "d3", axis(2), Map.of(), "c")));
        store.commit();
        store.delete(CHUNKS, ORG, List.of("byId"));
        store.deleteDocument(CHUNKS, ORG, "d2");
        store.upsert(CHUNKS, List.of(point("replaced", ORG, "t", "d3", axis(3), Map.of(), "c2")));
        store.commit();

        Map<String, float[]> vectors = store.vectorsOf(CHUNKS, ORG, List.of("byId", "byDocument", "replaced"));

        assertThat(vectors).containsOnlyKeys("replaced");
        assertThat(vectors.get("replaced")).containsExactly(axis(3), within(1e-5f));
    }

    @Test
    void vectorsOfManyPointsMatchTheCosinesTheSearchReports() {
        Random random = new Random(7);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            points.add(point("p" + i, ORG, "t", "d", randomVector(random), Map.of(), "text " + i));
        }
        store.upsert(MEMORIES, points);
        store.commit();
        float[] q = randomVector(random);

        List<VectorHit> hits = store.search(MEMORIES, query(ORG, List.of(), q, 20, null));
        Map<String, float[]> vectors = store.vectorsOf(MEMORIES, ORG, ids(hits));

        assertThat(vectors).hasSize(20);
        double norm = Math.sqrt(dot(q, q));
        for (VectorHit hit : hits) {
            assertThat(dot(vectors.get(hit.point().id()), q) / norm).isCloseTo(hit.score(), within(1e-4));
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    @Test
    void kindsAreSeparateCollections() {
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "chunk")));
        store.commit();

        assertThat(store.search(MEMORIES, query(ORG, List.of(), axis(0), 10, null)))
                .isEmpty();
        assertThat(store.count(MEMORIES, ORG)).isZero();
        assertThat(store.count(CHUNKS, ORG)).isEqualTo(1);
    }

    @Test
    void anEmptyCollectionFindsNothing() {
        assertThat(store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null)))
                .isEmpty();
        assertThat(store.count(CHUNKS, ORG)).isZero();
    }

    @Test
    void ensureCollectionIsIdempotentButRefusesAnotherDimension() {
        store.ensureCollection(CHUNKS, DIMENSION);
        assertThatThrownBy(() -> store.ensureCollection(CHUNKS, DIMENSION + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
    }

    @Test
    void vectorsOfTheWrongDimensionAreRejected() {
        VectorPoint wrong = new VectorPoint("p1", ORG, "t", "d", new float[DIMENSION - 1], "x", Map.of(), Map.of());
        assertThatThrownBy(() -> store.upsert(CHUNKS, List.of(wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "x")));
        store.commit();
        assertThatThrownBy(() -> store.search(CHUNKS, query(ORG, List.of(), new float[DIMENSION + 1], 10, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> store.search(CHUNKS, query(ORG, List.of(), new float[DIMENSION], 10, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero length");
    }

    // ---------------------------------------------------------------- ranking

    @Test
    void limitIsRespected() {
        Random random = new Random(4);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            points.add(point("p" + i, ORG, "t", "d", randomVector(random), Map.of(), "p"));
        }
        store.upsert(CHUNKS, points);
        store.commit();

        assertThat(store.search(CHUNKS, query(ORG, List.of(), axis(0), 7, null)))
                .hasSize(7);
        assertThat(store.search(CHUNKS, query(ORG, List.of(), axis(0), 1, null)))
                .hasSize(1);
        assertThat(store.search(CHUNKS, query(ORG, List.of(), axis(0), 100, null)))
                .hasSize(30);
    }

    @Test
    void scoresAreCosineSimilaritiesBestFirst() {
        float[] diagonal = new float[DIMENSION];
        diagonal[0] = 3;
        diagonal[1] = 3; // not normalised: the store normalises
        float[] opposite = axis(0);
        opposite[0] = -1;
        store.upsert(
                CHUNKS,
                List.of(
                        point("same", ORG, "t", "d", axis(0), Map.of(), "same"),
                        point("diagonal", ORG, "t", "d", diagonal, Map.of(), "diagonal"),
                        point("orthogonal", ORG, "t", "d", axis(1), Map.of(), "orthogonal"),
                        point("opposite", ORG, "t", "d", opposite, Map.of(), "opposite")));
        store.commit();

        List<VectorHit> hits = store.search(CHUNKS, query(ORG, List.of(), axis(0), 10, null));

        assertThat(ids(hits)).containsExactly("same", "diagonal", "orthogonal", "opposite");
        assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-4));
        assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-4));
        assertThat(hits.get(2).score()).isCloseTo(0.0, within(1e-4));
        assertThat(hits.get(3).score()).isCloseTo(-1.0, within(1e-4));
        assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isBetween(-1.0, 1.0));
    }

    @Test
    void randomSearchesReturnHitsOrderedByCosineWithinRange() {
        Random random = new Random(5);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            points.add(point("p" + i, ORG, "t", "d", randomVector(random), Map.of(), "p"));
        }
        store.upsert(CHUNKS, points);
        store.commit();

        for (int i = 0; i < 5; i++) {
            List<VectorHit> hits = store.search(CHUNKS, query(ORG, List.of(), randomVector(random), 10, null));
            assertThat(hits).hasSize(10);
            assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isBetween(-1.0, 1.0));
            for (int j = 1; j < hits.size(); j++) {
                assertThat(hits.get(j).score())
                        .isLessThanOrEqualTo(hits.get(j - 1).score());
            }
        }
    }

    // ---------------------------------------------------------------- filters

    @Test
    void everyFilterTypeAndNegationFollowsTheReferenceSemantics() {
        Map<String, Map<String, Object>> data = new LinkedHashMap<>();
        data.put(
                "p1",
                Map.of("color", "Red", "n", 5L, "tags", List.of("News", "tech"), "title", "Hello World", "flag", true));
        data.put("p2", Map.of("color", "red", "n", 2.5, "tags", List.of("sports"), "title", "hello there"));
        data.put("p3", Map.of("color", "blue", "n", "5", "tags", "News", "title", "Goodbye"));
        data.put("p4", Map.of("n", -0.0, "tags", List.of(), "title", 42L, "flag", "true"));
        data.put("p5", Map.of());
        data.put("p6", Map.of("color", 5.0, "n", 5.0, "tags", List.of(5L, "x"), "flag", false));
        store.upsert(
                CHUNKS,
                data.entrySet().stream()
                        .map(e -> point(e.getKey(), ORG, "t", "d", axis(0), e.getValue(), e.getKey()))
                        .toList());
        store.commit();

        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("{\"AND\":[{\"key\":\"color\",\"value\":\"red\"}]}", List.of("p2"));
        cases.put("{\"AND\":[{\"key\":\"color\",\"value\":\"red\",\"ignoreCase\":true}]}", List.of("p1", "p2"));
        cases.put(
                "{\"AND\":[{\"key\":\"color\",\"value\":\"red\",\"negate\":true}]}",
                List.of("p1", "p3", "p4", "p5", "p6"));
        cases.put("{\"AND\":[{\"key\":\"color\",\"value\":\"5\"}]}", List.of("p6"));
        cases.put("{\"AND\":[{\"key\":\"flag\",\"value\":\"true\"}]}", List.of("p1", "p4"));
        cases.put(
                "{\"AND\":[{\"key\":\"n\",\"value\":\"3\",\"filterType\":\"numeric\",\"numericOperator\":\">\"}]}",
                List.of("p1", "p6"));
        cases.put(
                "{\"AND\":[{\"key\":\"n\",\"value\":\"3\",\"filterType\":\"numeric\",\"numericOperator\":\">\","
                        + "\"negate\":true}]}",
                List.of("p2", "p4"));
        cases.put("{\"AND\":[{\"key\":\"n\",\"value\":\"0\",\"filterType\":\"numeric\"}]}", List.of("p4"));
        cases.put(
                "{\"AND\":[{\"key\":\"n\",\"value\":\"5\",\"filterType\":\"numeric\",\"negate\":true}]}",
                List.of("p2", "p4"));
        cases.put(
                "{\"AND\":[{\"key\":\"n\",\"value\":\"2.5\",\"filterType\":\"numeric\",\"numericOperator\":\"<=\"}]}",
                List.of("p2", "p4"));
        cases.put("{\"AND\":[{\"key\":\"tags\",\"value\":\"news\",\"filterType\":\"array_contains\"}]}", List.of());
        cases.put(
                "{\"AND\":[{\"key\":\"tags\",\"value\":\"news\",\"filterType\":\"array_contains\","
                        + "\"ignoreCase\":true}]}",
                List.of("p1"));
        cases.put("{\"AND\":[{\"key\":\"tags\",\"value\":\"5\",\"filterType\":\"array_contains\"}]}", List.of("p6"));
        cases.put(
                "{\"AND\":[{\"key\":\"tags\",\"value\":\"news\",\"filterType\":\"array_contains\","
                        + "\"ignoreCase\":true,\"negate\":true}]}",
                List.of("p2", "p3", "p4", "p5", "p6"));
        cases.put(
                "{\"AND\":[{\"key\":\"title\",\"value\":\"ello\",\"filterType\":\"string_contains\"}]}",
                List.of("p1", "p2"));
        cases.put(
                "{\"AND\":[{\"key\":\"title\",\"value\":\"HELLO\",\"filterType\":\"string_contains\","
                        + "\"ignoreCase\":true}]}",
                List.of("p1", "p2"));
        cases.put("{\"AND\":[{\"key\":\"title\",\"value\":\"4\",\"filterType\":\"string_contains\"}]}", List.of());
        cases.put(
                "{\"AND\":[{\"key\":\"title\",\"value\":\"\",\"filterType\":\"string_contains\"}]}",
                List.of("p1", "p2", "p3"));
        cases.put(
                "{\"AND\":[{\"key\":\"title\",\"value\":\"o\",\"filterType\":\"string_contains\","
                        + "\"negate\":true}]}",
                List.of("p4", "p5", "p6"));
        cases.put(
                "{\"OR\":[{\"AND\":[{\"key\":\"color\",\"value\":\"red\",\"ignoreCase\":true},"
                        + "{\"key\":\"n\",\"value\":\"3\",\"filterType\":\"numeric\",\"numericOperator\":\">\"}]},"
                        + "{\"key\":\"tags\",\"value\":\"sports\",\"filterType\":\"array_contains\"}]}",
                List.of("p1", "p2"));
        cases.put(
                "{\"AND\":[{\"OR\":[{\"key\":\"color\",\"value\":\"blue\"},{\"key\":\"color\",\"value\":\"5\"}]},"
                        + "{\"key\":\"flag\",\"value\":\"false\",\"negate\":true}]}",
                List.of("p3"));

        cases.forEach((json, expected) -> {
            Filter filter = parse(json);
            List<String> reference = data.entrySet().stream()
                    .filter(e -> filter.matches(e.getValue()))
                    .map(Map.Entry::getKey)
                    .toList();
            assertThat(reference).as("reference evaluator for %s", json).containsExactlyElementsOf(expected);
            assertThat(new TreeSet<>(ids(store.search(CHUNKS, query(ORG, List.of("t"), axis(0), 100, filter)))))
                    .as("store for %s", json)
                    .containsExactlyElementsOf(expected);
        });
    }

    @Test
    void randomNestedFiltersSelectExactlyWhatTheReferenceEvaluatorAccepts() {
        long seed = 20_261_128L;
        Random random = new Random(seed);
        Map<String, Map<String, Object>> inScope = new LinkedHashMap<>();
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Map<String, Object> metadata = FilterFixtures.randomMetadata(random);
            inScope.put("p" + i, metadata);
            points.add(point("p" + i, ORG, "t1", "d", randomVector(random), metadata, "p"));
        }
        for (int i = 0; i < 30; i++) { // same metadata shapes, out of scope by organisation or tag
            points.add(point(
                    "x" + i, OTHER_ORG, "t1", "d", randomVector(random), FilterFixtures.randomMetadata(random), "x"));
            points.add(
                    point("y" + i, ORG, "t2", "d", randomVector(random), FilterFixtures.randomMetadata(random), "y"));
        }
        store.upsert(CHUNKS, points);
        store.commit();

        int selective = 0;
        for (int i = 0; i < filterRounds(); i++) {
            Filter filter = FilterFixtures.randomFilter(random);
            Set<String> expected = inScope.entrySet().stream()
                    .filter(e -> filter.matches(e.getValue()))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> actual = new TreeSet<>(
                    ids(store.search(CHUNKS, query(ORG, List.of("t1"), randomVector(random), 1000, filter))));
            assertThat(actual)
                    .as("seed %d, round %d, filter %s", seed, i, filter)
                    .isEqualTo(expected);
            if (!expected.isEmpty() && expected.size() < inScope.size()) {
                selective++;
            }
        }
        assertThat(selective).as("filters that select some but not all points").isGreaterThan(filterRounds() / 3);
    }

    @Test
    void aFilteredQueryReturnsLimitHitsEvenWhenTheMatchesAreFarFromTheQuery() {
        Random random = new Random(6);
        float[] target = axis(0);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            points.add(point("near" + i, ORG, "t", "d", near(target, random), Map.of("color", "red"), "near"));
        }
        float[] away = axis(0);
        away[0] = -1;
        for (int i = 0; i < 15; i++) {
            points.add(point("far" + i, ORG, "t", "d", near(away, random), Map.of("color", "blue"), "far"));
        }
        store.upsert(CHUNKS, points);
        store.commit();

        Filter blue = parse("{\"AND\":[{\"key\":\"color\",\"value\":\"blue\"}]}");
        List<VectorHit> hits = store.search(CHUNKS, query(ORG, List.of("t"), target, 10, blue));

        assertThat(hits)
                .hasSize(10)
                .allSatisfy(hit -> assertThat(hit.point().text()).isEqualTo("far"));
        assertThat(store.search(CHUNKS, query(ORG, List.of("t"), target, 10, null)))
                .allSatisfy(hit -> assertThat(hit.point().text()).isEqualTo("near"));
    }

    // ---------------------------------------------------------------- attribute conditions

    /** A fixed "now" for expiry conditions. */
    private static final long NOW = 1_750_000_000_000L;

    private static final AttributeCondition LATEST = new AttributeCondition.Equals("isLatest", true);
    private static final AttributeCondition NOT_FORGOTTEN = new AttributeCondition.Equals("isForgotten", false);
    private static final AttributeCondition NOT_EXPIRED = new AttributeCondition.NotExpired("forgetAfter", NOW);

    @Test
    void latestOnlyReturnsLimitLatestPointsEvenWhenTheNearestAreNotLatest() {
        Random random = new Random(7);
        float[] target = axis(0);
        float[] away = axis(0);
        away[0] = -1;
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            points.add(memory("old" + i, "t", near(target, random), Map.of(), memoryState(false, false, null)));
        }
        for (int i = 0; i < 15; i++) {
            points.add(memory("new" + i, "t", near(away, random), Map.of(), memoryState(true, false, null)));
        }
        store.upsert(MEMORIES, points);
        store.commit();

        List<VectorHit> hits = store.search(MEMORIES, conditioned(List.of("t"), target, 10, null, LATEST));
        assertThat(hits)
                .hasSize(10)
                .allSatisfy(hit -> assertThat(hit.point().attributes()).containsEntry("isLatest", true));
        assertThat(store.search(MEMORIES, conditioned(List.of("t"), target, 100, null, LATEST)))
                .extracting(hit -> hit.point().id())
                .hasSize(15)
                .allSatisfy(id -> assertThat(id).startsWith("new"));
        assertThat(store.search(MEMORIES, query(ORG, List.of("t"), target, 10, null)))
                .allSatisfy(hit -> assertThat(hit.point().id()).startsWith("old"));
    }

    @Test
    void forgottenPointsAndPointsWithoutTheAttributeAreExcludedByAnEqualityCondition() {
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        attributes.put("kept", memoryState(true, false, null));
        attributes.put("forgotten", memoryState(true, true, null));
        attributes.put("unset", Map.of("isLatest", true));
        attributes.put("text", Map.of("isLatest", true, "isForgotten", "false"));
        storeMemories(attributes, Map.of());

        assertConditionsSelect(attributes, List.of(NOT_FORGOTTEN), List.of("kept"));
        assertConditionsSelect(
                attributes, List.of(new AttributeCondition.Equals("isForgotten", true)), List.of("forgotten"));
    }

    @Test
    void notExpiredKeepsPointsWithoutExpiryOrWithAFutureOneAndDropsExpiredOnes() {
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        attributes.put("never", memoryState(true, false, null));
        attributes.put("future", memoryState(true, false, NOW + 1));
        attributes.put("farFuture", memoryState(true, false, NOW + 365L * 24 * 3600 * 1000));
        attributes.put("exactlyNow", memoryState(true, false, NOW));
        attributes.put("past", memoryState(true, false, NOW - 1));
        attributes.put("longAgo", memoryState(true, false, 0L));
        attributes.put("notANumber", Map.of("isLatest", true, "forgetAfter", "tomorrow"));
        storeMemories(attributes, Map.of());

        assertConditionsSelect(attributes, List.of(NOT_EXPIRED), List.of("farFuture", "future", "never"));
        assertConditionsSelect(
                attributes,
                List.of(new AttributeCondition.NotExpired("forgetAfter", NOW - 1)),
                List.of("exactlyNow", "farFuture", "future", "never"));
    }

    @Test
    void conditionsCombineWithTagsMetadataFiltersAndEachOther() {
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        Map<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        attributes.put("match", memoryState(true, false, NOW + 1000));
        metadata.put("match", Map.of("color", "red"));
        attributes.put("matchNoExpiry", memoryState(true, false, null));
        metadata.put("matchNoExpiry", Map.of("color", "red"));
        attributes.put("blue", memoryState(true, false, null));
        metadata.put("blue", Map.of("color", "blue"));
        attributes.put("superseded", memoryState(false, false, null));
        metadata.put("superseded", Map.of("color", "red"));
        attributes.put("forgotten", memoryState(true, true, null));
        metadata.put("forgotten", Map.of("color", "red"));
        attributes.put("expired", memoryState(true, false, NOW - 1000));
        metadata.put("expired", Map.of("color", "red"));
        // metadata of the same name as an attribute is not an attribute
        attributes.put("metadataOnly", Map.of());
        metadata.put("metadataOnly", Map.of("color", "red", "isLatest", true, "isForgotten", false));
        storeMemories(attributes, metadata);
        store.upsert(
                MEMORIES,
                List.of(memory("otherTag", "t2", axis(0), Map.of("color", "red"), memoryState(true, false, null))));
        store.commit();

        Filter red = parse("{\"AND\":[{\"key\":\"color\",\"value\":\"red\"}]}");
        VectorQuery current = conditioned(List.of("t"), axis(0), 100, red, LATEST, NOT_FORGOTTEN, NOT_EXPIRED);
        assertThat(new TreeSet<>(ids(store.search(MEMORIES, current)))).containsExactly("match", "matchNoExpiry");
        VectorQuery onlyMatchDocument = new VectorQuery(
                ORG, List.of(), axis(0), 100, red, List.of("doc_match"), List.of(LATEST, NOT_FORGOTTEN, NOT_EXPIRED));
        assertThat(ids(store.search(MEMORIES, onlyMatchDocument))).containsExactly("match");
        assertThat(new TreeSet<>(ids(store.search(MEMORIES, conditioned(List.of(), axis(0), 100, red, LATEST)))))
                .containsExactly("expired", "forgotten", "match", "matchNoExpiry", "otherTag");
        assertThat(store.search(
                        MEMORIES,
                        new VectorQuery(OTHER_ORG, List.of(), axis(0), 100, null, List.of(), List.of(LATEST))))
                .isEmpty();
    }

    @Test
    void aPointReUpsertedAsNotLatestStopsMatchingAfterCommit() {
        store.upsert(
                MEMORIES,
                List.of(
                        memory("v1", "t", axis(0), Map.of(), memoryState(true, false, null)),
                        memory("other", "t", axis(1), Map.of(), memoryState(true, false, null))));
        store.commit();
        assertThat(new TreeSet<>(ids(store.search(MEMORIES, conditioned(List.of("t"), axis(0), 10, null, LATEST)))))
                .containsExactly("other", "v1");

        store.upsert(MEMORIES, List.of(memory("v1", "t", axis(0), Map.of(), memoryState(false, false, null))));
        store.upsert(MEMORIES, List.of(memory("v2", "t", axis(0), Map.of(), memoryState(true, false, null))));
        store.commit();

        assertThat(ids(store.search(MEMORIES, conditioned(List.of("t"), axis(0), 10, null, LATEST))))
                .containsExactly("v2", "other");
        assertThat(store.search(MEMORIES, conditioned(List.of("t"), axis(0), 10, null)))
                .hasSize(3);
    }

    /** Memory attributes: {@code isLatest}, {@code isForgotten} and, unless {@code null}, {@code forgetAfter}. */
    private static Map<String, Object> memoryState(boolean latest, boolean forgotten, Long forgetAfter) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("isLatest", latest);
        attributes.put("isForgotten", forgotten);
        attributes.put("isStatic", false);
        attributes.put("version", 1L);
        if (forgetAfter != null) {
            attributes.put("forgetAfter", forgetAfter);
        }
        return attributes;
    }

    /** A memory point of {@link #ORG} in document {@code doc_<id>}. */
    private static VectorPoint memory(
            String id, String tag, float[] vector, Map<String, Object> metadata, Map<String, Object> attributes) {
        return new VectorPoint(id, ORG, tag, "doc_" + id, vector, id, metadata, attributes);
    }

    /** Stores one memory per entry of {@code attributes} under tag {@code t}, with its metadata if given. */
    private void storeMemories(Map<String, Map<String, Object>> attributes, Map<String, Map<String, Object>> metadata) {
        Random random = new Random(8);
        store.upsert(
                MEMORIES,
                attributes.entrySet().stream()
                        .map(e -> memory(
                                e.getKey(),
                                "t",
                                randomVector(random),
                                metadata.getOrDefault(e.getKey(), Map.of()),
                                e.getValue()))
                        .toList());
        store.commit();
    }

    /** Checks the reference evaluator and the store against {@code expected} (sorted ids). */
    private void assertConditionsSelect(
            Map<String, Map<String, Object>> attributes, List<AttributeCondition> conditions, List<String> expected) {
        List<String> reference = attributes.entrySet().stream()
                .filter(e -> conditions.stream().allMatch(c -> c.matches(e.getValue())))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        assertThat(reference).as("reference evaluator for %s", conditions).containsExactlyElementsOf(expected);
        VectorQuery query = new VectorQuery(ORG, List.of("t"), axis(0), 100, null, List.of(), conditions);
        assertThat(new TreeSet<>(ids(store.search(MEMORIES, query))))
                .as("store for %s", conditions)
                .containsExactlyElementsOf(expected);
    }

    /** A query of {@link #ORG} over all documents with attribute conditions. */
    private static VectorQuery conditioned(
            List<String> tags, float[] vector, int limit, Filter filter, AttributeCondition... conditions) {
        return new VectorQuery(ORG, tags, vector, limit, filter, List.of(), List.of(conditions));
    }

    /** Random filters tried by the property test (a remote store may want fewer). */
    protected int filterRounds() {
        return 300;
    }

    // ---------------------------------------------------------------- lexical search

    @Test
    void anExactRareTermRanksItsPointFirstAndScoresArePositiveBestFirst() {
        Random random = new Random(9);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            points.add(
                    point("common" + i, ORG, "t", "d", randomVector(random), Map.of(), "budget review meeting " + i));
        }
        points.add(point("rare", ORG, "t", "d", randomVector(random), Map.of(), "the budget mentions a xylophone"));
        points.add(point("unrelated", ORG, "t", "d", randomVector(random), Map.of(), "lunch with the design team"));
        store.upsert(CHUNKS, points);
        store.commit();

        List<VectorHit> hits = store.searchText(CHUNKS, text(ORG, List.of(), "Xylophone budget?", 100, null));

        assertThat(hits).hasSize(21);
        assertThat(hits.getFirst().point().id()).isEqualTo("rare");
        assertThat(hits.getFirst().point().text()).isEqualTo("the budget mentions a xylophone");
        assertThat(ids(hits)).doesNotContain("unrelated");
        assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isPositive());
        for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
        }
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), "xylophone", 10, null))))
                .containsExactly("rare");
    }

    @Test
    void lexicalSearchMatchesWordFormsAndIgnoresCase() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("runs", ORG, "t", "d", axis(0), Map.of(), "She runs every morning"),
                        point("run", ORG, "t", "d", axis(1), Map.of(), "a RUN before work"),
                        point("walk", ORG, "t", "d", axis(2), Map.of(), "walking the dog"),
                        point("possessive", ORG, "t", "d", axis(3), Map.of(), "Alice's garden")));
        store.commit();

        assertThat(new TreeSet<>(ids(store.searchText(CHUNKS, text(ORG, List.of(), "Running", 10, null)))))
                .containsExactly("run", "runs");
        assertThat(new TreeSet<>(ids(store.searchText(CHUNKS, text(ORG, List.of(), "RUNS", 10, null)))))
                .containsExactly("run", "runs");
        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), "walks", 10, null))))
                .containsExactly("walk");
        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), "alice", 10, null))))
                .containsExactly("possessive");
    }

    @Test
    void aQueryOfOnlyStopWordsOrPunctuationFindsNothing() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("p1", ORG, "t", "d", axis(0), Map.of(), "to be or not to be, that is the question"),
                        point("p2", ORG, "t", "d", axis(1), Map.of(), "?! ... --")));
        store.commit();

        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "to be or not to be", 10, null)))
                .isEmpty();
        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "the", 10, null)))
                .isEmpty();
        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "?! ... --", 10, null)))
                .isEmpty();
        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), "the question?", 10, null))))
                .containsExactly("p1");
    }

    @Test
    void aTextThatMatchesNothingFindsNothing() {
        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "anything", 10, null)))
                .isEmpty();
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "apples and pears")));
        store.commit();

        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "unicorn", 10, null)))
                .isEmpty();
        assertThat(store.searchText(MEMORIES, text(ORG, List.of(), "apples", 10, null)))
                .isEmpty();
        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "AND (apples) OR \"pears\" NOT: *", 10, null)))
                .extracting(hit -> hit.point().id())
                .containsExactly("p1");
    }

    @Test
    void lexicalSearchKeepsOrganisationsTagsAndDocumentsApart() {
        Random random = new Random(10);
        List<VectorPoint> points = new ArrayList<>();
        for (String tag : List.of("t1", "t2")) {
            for (String doc : List.of("d1", "d2")) {
                points.add(point(tag + doc, ORG, tag, doc, randomVector(random), Map.of(), "quarterly revenue"));
                points.add(point(
                        "other" + tag + doc, OTHER_ORG, tag, doc, randomVector(random), Map.of(), "quarterly revenue"));
            }
        }
        store.upsert(CHUNKS, points);
        store.commit();

        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "revenue", 100, null)))
                .hasSize(4)
                .allSatisfy(hit -> assertThat(hit.point().orgId()).isEqualTo(ORG));
        assertThat(new TreeSet<>(ids(store.searchText(CHUNKS, text(ORG, List.of("t1"), "revenue", 100, null)))))
                .containsExactly("t1d1", "t1d2");
        TextQuery onlyD2 = new TextQuery(ORG, List.of("t1", "t2"), "revenue", 100, null, List.of("d2"), List.of());
        assertThat(new TreeSet<>(ids(store.searchText(CHUNKS, onlyD2)))).containsExactly("t1d2", "t2d2");
        assertThat(store.searchText(CHUNKS, text("org_nobody", List.of(), "revenue", 100, null)))
                .isEmpty();
        assertThat(store.searchText(CHUNKS, text(ORG, List.of("t9"), "revenue", 100, null)))
                .isEmpty();
    }

    @Test
    void lexicalSearchAppliesMetadataFiltersAndAttributeConditions() {
        Random random = new Random(11);
        Map<String, Map<String, Object>> attributes = new LinkedHashMap<>();
        attributes.put("match", memoryState(true, false, NOW + 1000));
        attributes.put("blue", memoryState(true, false, null));
        attributes.put("superseded", memoryState(false, false, null));
        attributes.put("forgotten", memoryState(true, true, null));
        attributes.put("expired", memoryState(true, false, NOW - 1000));
        store.upsert(
                MEMORIES,
                attributes.entrySet().stream()
                        .map(e -> new VectorPoint(
                                e.getKey(),
                                ORG,
                                "t",
                                "doc_" + e.getKey(),
                                randomVector(random),
                                "prefers green tea in the morning",
                                Map.of("color", e.getKey().equals("blue") ? "blue" : "red"),
                                e.getValue()))
                        .toList());
        store.commit();

        Filter red = parse("{\"AND\":[{\"key\":\"color\",\"value\":\"red\"}]}");
        TextQuery current = new TextQuery(
                ORG, List.of("t"), "tea", 100, red, List.of(), List.of(LATEST, NOT_FORGOTTEN, NOT_EXPIRED));
        assertThat(ids(store.searchText(MEMORIES, current))).containsExactly("match");
        assertThat(new TreeSet<>(ids(store.searchText(MEMORIES, text(ORG, List.of("t"), "tea", 100, red)))))
                .containsExactly("expired", "forgotten", "match", "superseded");
        assertThat(new TreeSet<>(ids(store.searchText(MEMORIES, current.withConditions(List.of(LATEST))))))
                .containsExactly("expired", "forgotten", "match");
    }

    @Test
    void lexicalSearchReturnsLimitHitsEvenWhenTheFilterKeepsOnlyAFewOfManyMatches() {
        Random random = new Random(12);
        List<VectorPoint> points = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            points.add(
                    point("red" + i, ORG, "t", "d", randomVector(random), Map.of("color", "red"), "apple apple apple"));
        }
        for (int i = 0; i < 15; i++) {
            points.add(point(
                    "blue" + i,
                    ORG,
                    "t",
                    "d",
                    randomVector(random),
                    Map.of("color", "blue"),
                    "an apple pie recipe with cinnamon, sugar, butter and flour"));
        }
        store.upsert(CHUNKS, points);
        store.commit();

        Filter blue = parse("{\"AND\":[{\"key\":\"color\",\"value\":\"blue\"}]}");
        assertThat(store.searchText(CHUNKS, text(ORG, List.of("t"), "apple", 10, blue)))
                .hasSize(10)
                .allSatisfy(hit -> assertThat(hit.point().id()).startsWith("blue"));
        assertThat(store.searchText(CHUNKS, text(ORG, List.of("t"), "apple", 100, blue)))
                .hasSize(15);
        assertThat(store.searchText(CHUNKS, text(ORG, List.of("t"), "apple", 10, null)))
                .hasSize(10)
                .allSatisfy(hit -> assertThat(hit.point().id()).startsWith("red"));
        assertThat(store.searchText(CHUNKS, text(ORG, List.of("t"), "apple", 1000, null)))
                .hasSize(415);
        assertThat(store.searchText(CHUNKS, text(ORG, List.of("t"), "apple", 1, null)))
                .hasSize(1);
    }

    @Test
    void deletedAndReplacedPointsAreNotFoundByTheirOldText() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("byId", ORG, "t", "d1", axis(0), Map.of(), "giraffe one"),
                        point("byDocument", ORG, "t", "d2", axis(1), Map.of(), "giraffe two"),
                        point("replaced", ORG, "t", "d3", axis(2), Map.of(), "giraffe three"),
                        point("kept", ORG, "t", "d3", axis(3), Map.of(), "giraffe four"),
                        point("byId", OTHER_ORG, "t", "d1", axis(0), Map.of(), "giraffe of the other org")));
        store.commit();
        assertThat(store.searchText(CHUNKS, text(ORG, List.of(), "giraffe", 10, null)))
                .hasSize(4);

        store.delete(CHUNKS, ORG, List.of("byId"));
        store.deleteDocument(CHUNKS, ORG, "d2");
        store.upsert(CHUNKS, List.of(point("replaced", ORG, "t", "d3", axis(2), Map.of(), "zebra three")));
        store.commit();

        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), "giraffe", 10, null))))
                .containsExactly("kept");
        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), "zebra", 10, null))))
                .containsExactly("replaced");
        assertThat(ids(store.searchText(CHUNKS, text(OTHER_ORG, List.of(), "giraffe", 10, null))))
                .containsExactly("byId");
    }

    @Test
    void aTextQueryCopiedFromADenseQuerySearchesTheSameScope() {
        store.upsert(
                CHUNKS,
                List.of(
                        point("in", ORG, "t1", "d1", axis(0), Map.of("color", "red"), "harbour lighthouse"),
                        point("otherTag", ORG, "t2", "d1", axis(0), Map.of("color", "red"), "harbour lighthouse"),
                        point("otherDoc", ORG, "t1", "d2", axis(0), Map.of("color", "red"), "harbour lighthouse"),
                        point("blue", ORG, "t1", "d1", axis(0), Map.of("color", "blue"), "harbour lighthouse")));
        store.commit();

        Filter red = parse("{\"AND\":[{\"key\":\"color\",\"value\":\"red\"}]}");
        VectorQuery dense = new VectorQuery(ORG, List.of("t1"), axis(0), 10, red, List.of("d1"));
        assertThat(ids(store.search(CHUNKS, dense))).containsExactly("in");
        assertThat(ids(store.searchText(CHUNKS, TextQuery.of(dense, "lighthouse"))))
                .containsExactly("in");
    }

    @Test
    void aVeryLongQueryTextIsSearchedByItsFirstTerms() {
        store.upsert(CHUNKS, List.of(point("p1", ORG, "t", "d", axis(0), Map.of(), "word7 and word5000")));
        store.commit();
        String longText = IntStream.range(0, 10_000).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));

        assertThat(ids(store.searchText(CHUNKS, text(ORG, List.of(), longText, 10, null))))
                .containsExactly("p1");
    }

    /** A lexical query over all documents, without attribute conditions. */
    protected static TextQuery text(String org, List<String> tags, String text, int limit, Filter filter) {
        return new TextQuery(org, tags, text, limit, filter, List.of(), List.of());
    }

    // ---------------------------------------------------------------- helpers

    /** A point without attributes. */
    protected static VectorPoint point(
            String id, String org, String tag, String doc, float[] vector, Map<String, Object> metadata, String text) {
        return new VectorPoint(id, org, tag, doc, vector, text, metadata, Map.of());
    }

    /** A query over all documents. */
    protected static VectorQuery query(String org, List<String> tags, float[] vector, int limit, Filter filter) {
        return new VectorQuery(org, tags, vector, limit, filter, List.of());
    }

    /** The unit vector along axis {@code i}. */
    protected static float[] axis(int i) {
        float[] vector = new float[DIMENSION];
        vector[i] = 1;
        return vector;
    }

    /** A random (not normalised) vector. */
    protected static float[] randomVector(Random random) {
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return vector;
    }

    private static float[] near(float[] target, Random random) {
        float[] vector = target.clone();
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] += (float) (0.05 * random.nextGaussian());
        }
        return vector;
    }

    /** A filter parsed from its JSON request form. */
    protected static Filter parse(String json) {
        return FilterParser.parse((Object) json, "filters");
    }

    /** The point ids of {@code hits}, in order. */
    protected static List<String> ids(List<VectorHit> hits) {
        return hits.stream().map(hit -> hit.point().id()).toList();
    }

    private static List<String> texts(List<VectorHit> hits) {
        return hits.stream().map(hit -> hit.point().text()).toList();
    }

    private static Set<String> tags(List<VectorHit> hits) {
        return hits.stream().map(hit -> hit.point().containerTag()).collect(Collectors.toCollection(TreeSet::new));
    }
}
