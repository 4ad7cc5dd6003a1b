package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.core.embedding.TextEmbedder;
import dev.engram.search.support.SearchFixtures;
import dev.engram.search.support.SearchFixtures.MemorySpec;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code retrieval} modes over the real model and index: hybrid (the default) ranks a text holding the query's exact
 * rare term first where dense search alone does not; {@code dense} is plain cosine search; {@code lexical} only
 * returns texts with a query term; {@code threshold} cuts the calibrated similarity.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class HybridRetrievalTest {

    private static final String QUESTION = "Has parcel ZX-4471 arrived yet?";

    @Inject
    SearchFixtures fixtures;

    @Inject
    TextEmbedder embedder;

    private static String newTag() {
        return "user_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ValidatableResponse post(String path, Map<String, Object> body) {
        return given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then();
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /**
     * Memories about deliveries, only one of which names the parcel's number; the others share no word with
     * {@link #QUESTION}, and with the default model two of them are closer to it than the one with the number (cosines
     * about 0.44 and 0.40 against 0.41).
     */
    private record Corpus(String tag, MemorySpec rare, List<MemorySpec> all) {}

    private Corpus deliveries() {
        String tag = newTag();
        MemorySpec rare = MemorySpec.of(tag, "Kitchen knives were bought online under reference ZX-4471.");
        List<MemorySpec> all = List.of(
                MemorySpec.of(tag, "Sam is waiting for his package to be delivered this week."),
                MemorySpec.of(tag, "The courier said Sam's delivery comes tomorrow."),
                rare,
                MemorySpec.of(tag, "Sam's new headphones were delivered on Monday."),
                MemorySpec.of(tag, "Sam enjoys cooking pasta on weekends."));
        fixtures.memories(all.toArray(MemorySpec[]::new));
        return new Corpus(tag, rare, all);
    }

    @Test
    void anExactRareTermRanksItsMemoryFirstInHybridWhereDenseAloneDoesNot() {
        Corpus corpus = deliveries();

        List<String> dense = post(
                        "/v4/search",
                        body("q", QUESTION, "containerTag", corpus.tag(), "threshold", 0, "retrieval", "dense"))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(dense).contains(corpus.rare().id());
        assertThat(dense.getFirst()).isNotEqualTo(corpus.rare().id());

        List<String> hybrid = post("/v4/search", body("q", QUESTION, "containerTag", corpus.tag(), "threshold", 0))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(hybrid.getFirst()).isEqualTo(corpus.rare().id());
        assertThat(hybrid).containsExactlyInAnyOrderElementsOf(dense);
        assertThat(post(
                                "/v4/search",
                                body(
                                        "q",
                                        QUESTION,
                                        "containerTag",
                                        corpus.tag(),
                                        "threshold",
                                        0,
                                        "retrieval",
                                        "hybrid"))
                        .statusCode(200)
                        .extract()
                        .<List<String>>path("results.id"))
                .isEqualTo(hybrid);
    }

    @Test
    void denseRetrievalIsPlainCosineSearchWithTheCosinesAsSimilarities() {
        Corpus corpus = deliveries();
        float[] query = embedder.embed(List.of(QUESTION)).getFirst();
        List<float[]> vectors =
                embedder.embed(corpus.all().stream().map(MemorySpec::text).toList());
        List<Map.Entry<String, Double>> expected = new ArrayList<>();
        for (int i = 0; i < corpus.all().size(); i++) {
            double cosine = cosine(query, vectors.get(i));
            if (Math.max(0, cosine) >= 0.2) {
                expected.add(Map.entry(corpus.all().get(i).id(), cosine));
            }
        }
        expected.sort(Map.Entry.<String, Double>comparingByValue().reversed());

        ValidatableResponse response = post(
                        "/v4/search",
                        body("q", QUESTION, "containerTag", corpus.tag(), "threshold", 0.2, "retrieval", "dense"))
                .statusCode(200);

        List<String> ids = response.extract().path("results.id");
        List<Float> similarities = response.extract().path("results.similarity");
        assertThat(ids)
                .containsExactlyElementsOf(
                        expected.stream().map(Map.Entry::getKey).toList());
        for (int i = 0; i < ids.size(); i++) {
            assertThat(similarities.get(i).doubleValue())
                    .isCloseTo(expected.get(i).getValue(), within(1e-3));
        }
    }

    @Test
    void lexicalRetrievalReturnsOnlyMemoriesWithAQueryTermBestMatchFirst() {
        Corpus corpus = deliveries();

        List<Map<String, Object>> results = post(
                        "/v4/search",
                        body(
                                "q",
                                "ZX-4471 knives",
                                "containerTag",
                                corpus.tag(),
                                "threshold",
                                0,
                                "retrieval",
                                "lexical"))
                .statusCode(200)
                .extract()
                .path("results");
        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.get("id")).isEqualTo(corpus.rare().id());
            assertThat(((Number) result.get("similarity")).doubleValue()).isBetween(0.5, 1.0);
        });

        List<String> deliveries = post(
                        "/v4/search",
                        body("q", "delivered", "containerTag", corpus.tag(), "threshold", 0, "retrieval", "lexical"))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(deliveries)
                .containsExactlyInAnyOrder(
                        corpus.all().get(0).id(), corpus.all().get(3).id());
    }

    @Test
    void theThresholdCutsTheCalibratedSimilarity() {
        Corpus corpus = deliveries();
        List<Map<String, Object>> all = post(
                        "/v4/search", body("q", QUESTION, "containerTag", corpus.tag(), "threshold", 0))
                .statusCode(200)
                .extract()
                .path("results");
        assertThat(all).hasSize(corpus.all().size());
        assertThat(all)
                .extracting(result -> ((Number) result.get("similarity")).doubleValue())
                .isSortedAccordingTo(Comparator.reverseOrder());
        double rare = ((Number) all.getFirst().get("similarity")).doubleValue();
        double second = ((Number) all.get(1).get("similarity")).doubleValue();
        assertThat(rare).isGreaterThan(second);

        List<String> atRare = post("/v4/search", body("q", QUESTION, "containerTag", corpus.tag(), "threshold", rare))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(atRare).containsExactly(corpus.rare().id());
        List<String> aboveRare = post(
                        "/v4/search",
                        body("q", QUESTION, "containerTag", corpus.tag(), "threshold", Math.min(1.0, rare + 0.001)))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(aboveRare).isEmpty();
        // the default threshold 0.6 keeps the exact match and drops memories that are only about the same topic
        List<String> byDefault = post("/v4/search", body("q", QUESTION, "containerTag", corpus.tag()))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(byDefault).containsExactly(corpus.rare().id());
    }

    @Test
    void documentSearchFindsTheChunkWithTheRareTermFirstInHybridAndItsDocumentFirst() {
        String tag = newTag();
        String shipping = "doc_" + UUID.randomUUID();
        String invoice = "doc_" + UUID.randomUUID();
        fixtures.document(shipping, tag, "Shipping", "text", "…", Map.of());
        fixtures.document(invoice, tag, "Invoice", "text", "…", Map.of());
        fixtures.chunks(
                shipping,
                tag,
                Map.of(),
                "Packages are usually delivered within three working days.",
                "A package that is a week late can be traced by the courier.");
        fixtures.chunks(invoice, tag, Map.of(), "Kitchen knives were bought online under reference ZX-4471.");

        List<String> dense = post("/v3/search", body("q", QUESTION, "containerTag", tag, "retrieval", "dense"))
                .statusCode(200)
                .extract()
                .path("results.documentId");
        assertThat(dense.getFirst()).isEqualTo(shipping);

        List<String> hybrid = post("/v3/search", body("q", QUESTION, "containerTag", tag))
                .statusCode(200)
                .extract()
                .path("results.documentId");
        assertThat(hybrid).containsExactly(invoice, shipping);

        List<String> lexical = post("/v3/search", body("q", "ZX-4471", "containerTag", tag, "retrieval", "lexical"))
                .statusCode(200)
                .extract()
                .path("results.documentId");
        assertThat(lexical).containsExactly(invoice);

        List<String> chunks = post(
                        "/v4/search",
                        body("q", QUESTION, "containerTag", tag, "threshold", 0, "searchMode", "documents"))
                .statusCode(200)
                .extract()
                .path("results.id");
        assertThat(chunks.getFirst()).isEqualTo(invoice + "_0");
    }

    @Test
    void theProfileSearchUsesTheRetrievalMode() {
        Corpus corpus = deliveries();

        List<String> hybrid = post("/v4/profile", body("containerTag", corpus.tag(), "q", QUESTION, "threshold", 0))
                .statusCode(200)
                .extract()
                .path("searchResults.results.id");
        assertThat(hybrid.getFirst()).isEqualTo(corpus.rare().id());
        List<String> dense = post(
                        "/v4/profile",
                        body("containerTag", corpus.tag(), "q", QUESTION, "threshold", 0, "retrieval", "dense"))
                .statusCode(200)
                .extract()
                .path("searchResults.results.id");
        assertThat(dense.getFirst()).isNotEqualTo(corpus.rare().id());
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
