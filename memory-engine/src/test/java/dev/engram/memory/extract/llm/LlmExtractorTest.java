package dev.engram.memory.extract.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.engram.memory.extract.ExtractionFailedException;
import dev.engram.memory.extract.ExtractionFailedException.Reason;
import dev.engram.memory.extract.ExtractionRequest;
import dev.engram.memory.extract.ExtractionResult;
import dev.engram.memory.extract.KnownMemory;
import dev.engram.memory.extract.MemoryOperation;
import dev.engram.memory.extract.SourceTurn;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a scripted OpenAI-compatible chat completions server on 127.0.0.1. */
class LlmExtractorTest {

    private static final String KEY = "sk-test-secret-key";
    private static final Instant MAY_8 = Instant.parse("2023-05-08T13:56:00Z");
    private static final String CAROLINE_SAYS = "I went to a support group yesterday and it was so powerful.";
    private static final String MELANIE_SAYS = "I moved to Berlin last month!";

    private static final ExtractionRequest REQUEST = new ExtractionRequest(
            "conv-26",
            "Memories about Caroline and Melanie, two friends.",
            MAY_8,
            List.of(
                    SourceTurn.turn("msg-17", "Caroline", "user", MAY_8, CAROLINE_SAYS),
                    SourceTurn.turn("msg-18", "Melanie", "user", MAY_8, MELANIE_SAYS)),
            List.of(
                    new KnownMemory("mem-a1", "Melanie lives in Paris.", true, Instant.parse("2023-04-01T00:00:00Z")),
                    new KnownMemory("mem-b2", "Caroline likes hiking.", true, null)));

    private static final String GOOD_ANSWER = """
            {"memories":[
              {"action":"add","memory":"Caroline went to a support group on 7 May 2023.","static":false,
               "eventDates":["2023-05-07"],"sources":["t1"]},
              {"action":"update","memory":"Melanie lives in Berlin.","target":"m1","static":true,
               "eventDates":["2023-04"],"sources":["t2"]},
              {"action":"duplicate","target":"m2","sources":["t1"]}
            ]}""";

    private final StubChatServer stub = new StubChatServer();

    @AfterEach
    void stopStub() {
        stub.close();
    }

    private LlmExtractor extractor() {
        return extractor(LlmExtractorConfig.of(stub.baseUrl(), "gpt-test"));
    }

    private static LlmExtractor extractor(LlmExtractorConfig config) {
        return new LlmExtractor(config);
    }

    @Test
    void aWellFormedAnswerBecomesOperationsOnTheCallersRefs() throws Exception {
        stub.thenAnswer(GOOD_ANSWER);

        ExtractionResult result;
        try (LlmExtractor extractor = extractor()) {
            result = extractor.extract(REQUEST);
        }

        assertThat(result.operations())
                .containsExactly(
                        new MemoryOperation.Add(
                                "Caroline went to a support group on 7 May 2023.",
                                false,
                                List.of(LocalDate.of(2023, 5, 7)),
                                List.of("msg-17")),
                        new MemoryOperation.Update(
                                "mem-a1",
                                "Melanie lives in Berlin.",
                                true,
                                List.of(LocalDate.of(2023, 4, 1)),
                                List.of("msg-18")),
                        new MemoryOperation.Duplicate("mem-b2", List.of("msg-17")));
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void postsTheModelInJsonModeWithShortIdsAndNoAuthorizationWithoutAKey() throws Exception {
        stub.thenAnswer("{\"memories\":[]}");

        try (LlmExtractor extractor = extractor()) {
            extractor.extract(REQUEST);
        }

        StubChatServer.Recorded request = stub.requests().get(0);
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.authorization()).isNull();
        assertThat(request.body().path("model").asText()).isEqualTo("gpt-test");
        assertThat(request.body().path("temperature").asDouble()).isZero();
        assertThat(request.body().path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(request.message("system")).contains("\"memories\"", "\"target\"", "\"sources\"");
        assertThat(request.message("user"))
                .contains("Entity context: Memories about Caroline and Melanie, two friends.")
                .contains("Document date: 2023-05-08")
                .contains("m1: Melanie lives in Paris. (static; updated 2023-04-01)")
                .contains("m2: Caroline likes hiking. (static)")
                .contains("t1 [2023-05-08] Caroline (user): " + CAROLINE_SAYS)
                .contains("t2 [2023-05-08] Melanie (user): " + MELANIE_SAYS)
                .doesNotContain("mem-a1", "msg-17");
    }

    @Test
    void sendsTheKeyAsABearerToken() throws Exception {
        stub.thenAnswer("{\"memories\":[]}");

        try (LlmExtractor extractor =
                extractor(LlmExtractorConfig.of(stub.baseUrl(), "gpt-test").withApiKey(KEY))) {
            extractor.extract(REQUEST);
        }

        assertThat(stub.requests().get(0).authorization()).isEqualTo("Bearer " + KEY);
    }

    @Test
    void leavesTheTemperatureOutWhenItIsNotANumber() throws Exception {
        stub.thenAnswer("{\"memories\":[]}");

        try (LlmExtractor extractor =
                extractor(LlmExtractorConfig.of(stub.baseUrl(), "gpt-test").withTemperature(Double.NaN))) {
            extractor.extract(REQUEST);
        }

        assertThat(stub.requests().get(0).body().has("temperature")).isFalse();
    }

    @Test
    void readsAnAnswerInACodeFenceWithProseAroundIt() throws Exception {
        stub.thenAnswer("Sure! Here are the memories I found:\n```json\n" + GOOD_ANSWER
                + "\n```\nLet me know if you need anything else.");

        ExtractionResult result;
        try (LlmExtractor extractor = extractor()) {
            result = extractor.extract(REQUEST);
        }

        assertThat(result.operations()).hasSize(3);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void keepsTheCompleteMemoriesOfATruncatedAnswer() throws Exception {
        stub.thenAnswer("{\"memories\":[{\"action\":\"add\",\"memory\":\"Caroline went to a support group.\","
                + "\"sources\":[\"t1\"]},{\"action\":\"update\",\"memory\":\"Melanie lives in Ber");

        ExtractionResult result;
        try (LlmExtractor extractor = extractor()) {
            result = extractor.extract(REQUEST);
        }

        assertThat(result.operations())
                .singleElement()
                .isEqualTo(new MemoryOperation.Add(
                        "Caroline went to a support group.", false, List.of(), List.of("msg-17")));
    }

    @Test
    void aGenuinelyEmptyAnswerIsAnEmptyResult() throws Exception {
        stub.thenAnswer("{\"memories\": []}");

        ExtractionResult result;
        try (LlmExtractor extractor = extractor()) {
            result = extractor.extract(REQUEST);
        }

        assertThat(result.operations()).isEmpty();
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void asksAgainNamingTheProblemWhenTheAnswerTargetsAnUnknownMemory() throws Exception {
        stub.thenAnswer("{\"memories\":[{\"action\":\"update\",\"memory\":\"Melanie lives in Berlin.\","
                        + "\"target\":\"m9\",\"sources\":[\"t2\"]}]}")
                .thenAnswer(GOOD_ANSWER);

        ExtractionResult result;
        try (LlmExtractor extractor = extractor()) {
            result = extractor.extract(REQUEST);
        }

        assertThat(result.operations()).hasSize(3);
        assertThat(stub.requests()).hasSize(2);
        assertThat(stub.requests().get(1).allMessages()).contains("unknown memory 'm9'");
    }

    @Test
    void failsNotRetriablyWhenTheModelKeepsCitingUnknownTurns() {
        stub.thenAnswer("{\"memories\":[{\"action\":\"add\",\"memory\":\"Melanie lives in Berlin.\","
                + "\"sources\":[\"t7\"]}]}");

        try (LlmExtractor extractor = extractor()) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ANSWER);
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.getMessage()).contains("unknown turn 't7'").doesNotContain("Berlin");
                    });
        }
        assertThat(stub.requests()).hasSize(LlmExtractor.MAX_ATTEMPTS);
    }

    @Test
    void anAnswerWithoutChoicesIsMalformedNotEmpty() {
        stub.thenRaw(200, "{\"id\":\"x\",\"choices\":[]}");

        try (LlmExtractor extractor = extractor()) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ANSWER);
                        assertThat(e.retriable()).isFalse();
                    });
        }
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void aServerErrorIsRetriableAndNotRetriedInside() {
        stub.thenFail(500, "upstream exploded").thenAnswer(GOOD_ANSWER);

        try (LlmExtractor extractor = extractor()) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.getMessage()).contains("HTTP 500", "upstream exploded");
                    });
            assertThat(stub.requests()).hasSize(1);
        }
    }

    @Test
    void theSameRequestSucceedsWhenRetriedAfterAServerError() throws Exception {
        stub.thenFail(503, "overloaded").thenAnswer(GOOD_ANSWER);

        try (LlmExtractor extractor = extractor()) {
            assertThatThrownBy(() -> extractor.extract(REQUEST)).isInstanceOf(ExtractionFailedException.class);
            assertThat(extractor.extract(REQUEST).operations()).hasSize(3);
        }
    }

    @Test
    void aRateLimitIsRetriableAndQuotesRetryAfter() {
        stub.thenRaw(429, "{\"error\":{\"message\":\"slow down\"}}");

        try (LlmExtractor extractor = extractor()) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
                        assertThat(e.retriable()).isTrue();
                    });
        }
    }

    @Test
    void anUnauthorizedAnswerIsNotRetriableAndDoesNotQuoteTheKey() {
        stub.thenFail(401, "Incorrect API key provided");

        try (LlmExtractor extractor =
                extractor(LlmExtractorConfig.of(stub.baseUrl(), "gpt-test").withApiKey(KEY))) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.REJECTED);
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.getMessage()).contains("HTTP 401").doesNotContain(KEY);
                    });
            assertThat(extractor.toString()).doesNotContain(KEY);
        }
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void anUnknownModelIsNotRetriable() {
        stub.thenFail(404, "The model does not exist");

        try (LlmExtractor extractor = extractor()) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> assertThat(e.retriable()).isFalse());
        }
    }

    @Test
    void aTimeoutIsRetriable() {
        stub.thenHang();

        try (LlmExtractor extractor =
                extractor(LlmExtractorConfig.of(stub.baseUrl(), "gpt-test").withTimeout(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                        assertThat(e.retriable()).isTrue();
                    });
        }
    }

    @Test
    void aRefusedConnectionIsRetriable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        try (LlmExtractor extractor =
                extractor(LlmExtractorConfig.of(URI.create("http://127.0.0.1:" + port + "/v1"), "gpt-test"))) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(Reason.TRANSPORT);
                        assertThat(e.retriable()).isTrue();
                    });
        }
    }

    @Test
    void showsAtMostMaxKnownMemoriesAndRejectsTargetsBeyondThem() {
        stub.thenAnswer("{\"memories\":[{\"action\":\"duplicate\",\"target\":\"m2\",\"sources\":[\"t1\"]}]}");

        try (LlmExtractor extractor =
                extractor(LlmExtractorConfig.of(stub.baseUrl(), "gpt-test").withMaxKnown(1))) {
            assertThatThrownBy(() -> extractor.extract(REQUEST))
                    .asInstanceOf(type(ExtractionFailedException.class))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ANSWER));
        }
        assertThat(stub.requests().get(0).message("user"))
                .contains("m1: Melanie lives in Paris.")
                .doesNotContain("m2:", "Caroline likes hiking");
    }

    @Test
    void debugLogsCountButNeverQuoteTheText() throws Exception {
        stub.thenAnswer("{\"memories\":[{\"action\":\"add\",\"memory\":\"Melanie lives in Berlin.\","
                        + "\"target\":\"m1\",\"sources\":[\"t9\"]}]}")
                .thenAnswer(GOOD_ANSWER);
        Logger logger = Logger.getLogger(LlmExtractor.class.getName());
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level previous = logger.getLevel();
        logger.setLevel(Level.FINE);
        logger.addHandler(capture);
        try (LlmExtractor extractor = extractor()) {
            extractor.extract(REQUEST);
        } finally {
            logger.removeHandler(capture);
            logger.setLevel(previous);
        }

        assertThat(logged)
                .hasSize(2)
                .allSatisfy(
                        message -> assertThat(message).doesNotContain("support group", "Berlin", "Paris", "hiking"));
        assertThat(logged.get(1)).contains("3 operations");
    }
}
