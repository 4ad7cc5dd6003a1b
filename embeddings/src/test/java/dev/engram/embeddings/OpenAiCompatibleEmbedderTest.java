package dev.engram.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.engram.core.embedding.EmbeddingException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a local HTTP stub that speaks the OpenAI embeddings wire format. */
class OpenAiCompatibleEmbedderTest {

    private static final String KEY = "sk-test-secret-key";
    private static final String SECRET_TEXT = "my bank PIN is 4921";

    private final StubEmbeddingsServer stub = new StubEmbeddingsServer();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private OpenAiCompatibleEmbedder embedder(String key, int dimension, int batchSize, Duration timeout) {
        return new OpenAiCompatibleEmbedder(new OpenAiCompatibleEmbedder.Settings(
                stub.baseUrl(), key, "text-embedding-test", dimension, batchSize, timeout, null));
    }

    private OpenAiCompatibleEmbedder embedder() {
        return embedder(KEY, 4, 16, Duration.ofSeconds(5));
    }

    @Test
    void postsTheModelAndInputsWithTheBearerKey() {
        try (OpenAiCompatibleEmbedder embedder = embedder()) {
            embedder.embed(List.of("alpha", "beta"));
        }

        assertThat(stub.requests()).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/embeddings");
            assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
            assertThat(request.body().path("model").asText()).isEqualTo("text-embedding-test");
            assertThat(request.inputs()).containsExactly("alpha", "beta");
        });
    }

    @Test
    void sendsNoAuthorizationWithoutAKey() {
        try (OpenAiCompatibleEmbedder embedder = embedder(" ", 4, 16, Duration.ofSeconds(5))) {
            embedder.embed(List.of("alpha"));
        }

        assertThat(stub.requests())
                .singleElement()
                .satisfies(r -> assertThat(r.authorization()).isNull());
    }

    @Test
    void splitsALongListIntoRequestsOfAtMostTheBatchSizeAndKeepsTheOrder() {
        stub.vectorsOf(8);
        List<float[]> vectors;
        try (OpenAiCompatibleEmbedder embedder = embedder(KEY, 8, 2, Duration.ofSeconds(5))) {
            vectors = embedder.embed(List.of("t0", "t1", "t2", "t3", "t4"));
        }

        assertThat(stub.requests())
                .extracting(StubEmbeddingsServer.Recorded::inputs)
                .containsExactly(List.of("t0", "t1"), List.of("t2", "t3"), List.of("t4"));
        // Per request, the stub marks item i's largest component at i.
        assertThat(vectors)
                .extracting(OpenAiCompatibleEmbedderTest::largestComponent)
                .containsExactly(0, 1, 0, 1, 0);
    }

    @Test
    void placesItemsByTheirIndexWhateverTheResponseOrder() {
        stub.vectorsOf(8).reversedOrder();
        List<float[]> vectors;
        try (OpenAiCompatibleEmbedder embedder = embedder(KEY, 8, 16, Duration.ofSeconds(5))) {
            vectors = embedder.embed(List.of("a", "b", "c"));
        }

        assertThat(vectors)
                .extracting(OpenAiCompatibleEmbedderTest::largestComponent)
                .containsExactly(0, 1, 2);
    }

    @Test
    void returnsUnitLengthVectorsEvenWhenTheEndpointDoesNot() {
        List<float[]> vectors;
        try (OpenAiCompatibleEmbedder embedder = embedder()) {
            vectors = embedder.embed(List.of("a", "b"));
        }

        assertThat(vectors)
                .allSatisfy(v -> assertThat(Math.sqrt(Vectors.dot(v, v))).isCloseTo(1.0, within(1e-6)));
    }

    @Test
    void anEmptyListMakesNoRequest() {
        try (OpenAiCompatibleEmbedder embedder = embedder()) {
            assertThat(embedder.embed(List.of())).isEmpty();
        }
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void rateLimitingIsRetriableAndSaysWhenToRetry() {
        stub.failWith(429, "Rate limit reached for requests").retryAfter("7");

        EmbeddingException error = embedFailure(embedder());

        assertThat(error.retriable()).isTrue();
        assertThat(error).hasMessageContaining("HTTP 429").hasMessageContaining("rate limited; retry after 7 s");
        assertThat(error).hasMessageContaining("Rate limit reached for requests");
    }

    @Test
    void aServerErrorIsRetriable() {
        stub.failWith(500, "The server had an error while processing your request");

        EmbeddingException error = embedFailure(embedder());

        assertThat(error.retriable()).isTrue();
        assertThat(error).hasMessageContaining("HTTP 500").hasMessageContaining("server had an error");
    }

    @Test
    void aBadRequestIsNotRetriableAndQuotesTheEndpointsReason() {
        stub.failWith(400, "Unknown model text-embedding-test");

        EmbeddingException error = embedFailure(embedder());

        assertThat(error.retriable()).isFalse();
        assertThat(error)
                .hasMessageContaining(stub.baseUrl() + "/embeddings")
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("Unknown model text-embedding-test");
    }

    @Test
    void anUnauthorisedKeyIsNotRetriable() {
        stub.failWith(401, "Incorrect API key provided");

        EmbeddingException error = embedFailure(embedder());

        assertThat(error.retriable()).isFalse();
        assertThat(error).hasMessageContaining("HTTP 401");
    }

    @Test
    void vectorsOfTheWrongDimensionAreAPermanentError() {
        stub.vectorsOf(1536);

        EmbeddingException error = embedFailure(embedder(KEY, 384, 16, Duration.ofSeconds(5)));

        assertThat(error.retriable()).isFalse();
        assertThat(error)
                .hasMessageContaining("returned 1536-dimensional vectors")
                .hasMessageContaining("is 384");
    }

    @Test
    void aSlowEndpointTimesOutAsRetriable() {
        stub.hang();
        long started = System.nanoTime();

        EmbeddingException error = embedFailure(embedder(KEY, 4, 16, Duration.ofMillis(300)));

        assertThat(error.retriable()).isTrue();
        assertThat(error).hasMessageContaining("did not answer within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anUnreachableEndpointIsRetriable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OpenAiCompatibleEmbedder embedder = new OpenAiCompatibleEmbedder(new OpenAiCompatibleEmbedder.Settings(
                URI.create("http://127.0.0.1:" + closedPort + "/v1"), null, "m", 4, 16, Duration.ofSeconds(2), null));

        EmbeddingException error = embedFailure(embedder);

        assertThat(error.retriable()).isTrue();
        assertThat(error).hasMessageContaining("127.0.0.1:" + closedPort);
    }

    @Test
    void aMalformedResponseIsAPermanentError() {
        stub.answerRaw("<html>gateway</html>");

        EmbeddingException error = embedFailure(embedder());

        assertThat(error.retriable()).isFalse();
        assertThat(error).hasMessageContaining("malformed response");
    }

    @Test
    void aResponseWithTooFewEmbeddingsIsAPermanentError() {
        stub.answerRaw("{\"data\":[{\"index\":0,\"embedding\":[1,0,0,0]}]}");
        EmbeddingException error;
        try (OpenAiCompatibleEmbedder embedder = embedder()) {
            error = catchEmbedding(() -> embedder.embed(List.of("a", "b")));
        }

        assertThat(error.retriable()).isFalse();
        assertThat(error).hasMessageContaining("expected 2 embeddings");
    }

    @Test
    void errorMessagesNeverContainTheInputsOrTheKey() {
        for (int status : new int[] {400, 429, 500}) {
            stub.failWith(status, "failed");
            assertThat(embedFailure(embedder()).getMessage())
                    .doesNotContain(SECRET_TEXT)
                    .doesNotContain(KEY);
        }
        stub.hang();
        assertThat(embedFailure(embedder(KEY, 4, 16, Duration.ofMillis(200))).getMessage())
                .doesNotContain(SECRET_TEXT)
                .doesNotContain(KEY);
    }

    @Test
    void theKeyStaysOutOfToString() {
        try (OpenAiCompatibleEmbedder embedder = embedder()) {
            assertThat(embedder.toString()).doesNotContain(KEY).contains("apiKey=***");
        }
    }

    @Test
    void countsTokensApproximatelyOrWithTheGivenCounter() {
        try (OpenAiCompatibleEmbedder approximate = embedder();
                OpenAiCompatibleEmbedder exact = new OpenAiCompatibleEmbedder(new OpenAiCompatibleEmbedder.Settings(
                        stub.baseUrl(), null, "m", 4, 16, Duration.ofSeconds(1), text -> 42))) {
            assertThat(approximate.countTokens("")).isZero();
            assertThat(approximate.countTokens("abcd")).isEqualTo(1);
            assertThat(approximate.countTokens("abcde")).isEqualTo(2);
            assertThat(exact.countTokens("anything")).isEqualTo(42);
        }
    }

    @Test
    void reportsTheConfiguredModelAndDimension() {
        try (OpenAiCompatibleEmbedder embedder = embedder(KEY, 768, 16, Duration.ofSeconds(1))) {
            assertThat(embedder.modelId()).isEqualTo("text-embedding-test");
            assertThat(embedder.dimension()).isEqualTo(768);
        }
    }

    @Test
    void aClosedEmbedderRefusesToEmbed() {
        OpenAiCompatibleEmbedder embedder = embedder();
        embedder.close();

        assertThatThrownBy(() -> embedder.embed(List.of("a"))).isInstanceOf(IllegalStateException.class);
        assertThat(stub.requests()).isEmpty();
    }

    private static EmbeddingException embedFailure(OpenAiCompatibleEmbedder embedder) {
        try (embedder) {
            return catchEmbedding(() -> embedder.embed(List.of(SECRET_TEXT)));
        }
    }

    private static EmbeddingException catchEmbedding(Runnable call) {
        try {
            call.run();
        } catch (EmbeddingException e) {
            return e;
        }
        throw new AssertionError("expected an EmbeddingException");
    }

    private static int largestComponent(float[] vector) {
        int best = 0;
        for (int i = 1; i < vector.length; i++) {
            if (vector[i] > vector[best]) {
                best = i;
            }
        }
        return best;
    }
}
