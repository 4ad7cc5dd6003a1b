package dev.engram.router.api;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.router.support.RouterCalls;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedSearch;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v3/{provider-url}/chat/completions} and {@code /v1/chat/completions}, non-streaming. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class ChatCompletionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BODY = """
            {"model":"gpt-4o-mini","messages":[
              {"role":"system","content":"You are a helpful assistant."},
              {"role":"user","content":"Hi, I'm planning a trip."},
              {"role":"assistant","content":"Where to?"},
              {"role":"user","content":"Where should I eat tonight?"}]}""";

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private ScriptedUpstream upstream;
    private ScriptedSearch search;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        search = RouterTestServers.search();
        upstream.reset();
        search.reset();
    }

    @Test
    void injectsMemoriesIntoTheSystemMessageAndLeavesUserTurnsUntouched() throws Exception {
        search.returns("The user is vegetarian", "The user lives in Lisbon", "the user is  VEGETARIAN");

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "user_42",
                "x-sm-conversation-id",
                "conv-7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())
                        .at("/choices/0/message/content")
                        .asText())
                .isEqualTo(ScriptedUpstream.DEFAULT_ANSWER);
        assertThat(response.headers().firstValue("x-supermemory-conversation-id"))
                .hasValue("conv-7");
        assertThat(response.headers().firstValue("x-supermemory-context-modified"))
                .hasValue("true");
        assertThat(response.headers().firstValue("x-supermemory-chunks-retrieved"))
                .hasValue("2");
        assertThat(Integer.parseInt(response.headers()
                        .firstValue("x-supermemory-tokens-processed")
                        .orElseThrow()))
                .isGreaterThan(30);
        assertThat(response.headers().firstValue("x-supermemory-error")).isEmpty();

        ScriptedUpstream.Received received = upstream.only();
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        JsonNode sent = JSON.readTree(received.body());
        JsonNode original = JSON.readTree(BODY);
        String system = sent.at("/messages/0/content").asText();
        assertThat(system)
                .startsWith("You are a helpful assistant.\n\n<user-memories>")
                .contains("- The user is vegetarian\n- The user lives in Lisbon\n</user-memories>");
        assertThat(system.toLowerCase()).containsOnlyOnce("vegetarian");
        assertThat(sent.get("messages")).hasSize(4);
        for (int i = 1; i < 4; i++) {
            assertThat(sent.get("messages").get(i))
                    .isEqualTo(original.get("messages").get(i));
        }
        assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");

        assertThat(received.header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
        assertThat(received.headers())
                .doesNotContainKeys("x-supermemory-api-key", "x-sm-user-id", "x-sm-conversation-id");

        ScriptedSearch.Received query = search.received().getFirst();
        assertThat(query.path()).isEqualTo("/v4/profile");
        assertThat(query.authorization()).isEqualTo("Bearer " + ENGRAM_KEY);
        JsonNode asked = JSON.readTree(query.body());
        assertThat(asked.get("containerTag").asText()).isEqualTo("user_42");
        assertThat(asked.get("q").asText()).isEqualTo("Where should I eat tonight?");
    }

    @Test
    void staticProfileFactsFollowTheRelevantMemoriesWithinTheBudget() throws Exception {
        search.returns("The user is vegetarian");
        search.staticFacts("The user is called Ana", "The user is vegetarian");

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"), BODY, "x-supermemory-api-key", ENGRAM_KEY, "x-sm-user-id", "user_42");

        assertThat(response.headers().firstValue("x-supermemory-chunks-retrieved"))
                .hasValue("2");
        String system =
                JSON.readTree(upstream.only().body()).at("/messages/0/content").asText();
        assertThat(system).contains("- The user is vegetarian\n- The user is called Ana\n</user-memories>");
        assertThat(system).doesNotContain("passing remark");
    }

    @Test
    void addsASystemMessageWhenTheClientSentNone() throws Exception {
        search.returns("The user's name is Ada");

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                """
                {"model":"m","user":"ada","messages":[{"role":"user","content":[{"type":"text","text":"Who am I?"}]}]}""",
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode messages = JSON.readTree(upstream.only().body()).get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).get("content").asText()).contains("- The user's name is Ada");
        assertThat(messages.get(1).toString())
                .isEqualTo("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Who am I?\"}]}");
        // the body's user is the scope when no header names one
        assertThat(JSON.readTree(search.received().getFirst().body())
                        .get("containerTag")
                        .asText())
                .isEqualTo("ada");
        assertThat(response.headers()
                        .firstValue("x-supermemory-conversation-id")
                        .orElseThrow())
                .startsWith("conv_");
    }

    @Test
    void theDefaultUpstreamServesV1ChatCompletionsAndQueryUserIdIsTheScope() throws Exception {
        search.returns("The user likes tea");

        HttpResponse<String> response = post(
                "/v1/chat/completions?userId=tea_drinker&api-version=2",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Drink?\"}]}",
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.only().path()).isEqualTo("/v1/chat/completions?api-version=2");
        assertThat(JSON.readTree(search.received().getFirst().body())
                        .get("containerTag")
                        .asText())
                .isEqualTo("tea_drinker");
    }

    @Test
    void passesProviderErrorsThroughWithTheirStatusAndBody() {
        String error = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit\"}}";
        upstream.answerWith(ScriptedUpstream.json(429, error, Map.of("retry-after", "7")));

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "user_42");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo(error);
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
    }

    @Test
    void failsOpenWhenSearchIsTooSlow() throws Exception {
        search.returns("never injected");
        search.slow(2000);

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "user_42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-supermemory-error").orElseThrow())
                .startsWith("memory-timeout");
        assertThat(response.headers().firstValue("x-supermemory-context-modified"))
                .hasValue("false");
        assertThat(response.headers().firstValue("x-supermemory-chunks-retrieved"))
                .hasValue("0");
        assertThat(upstream.only().body()).isEqualTo(BODY);
    }

    @Test
    void failsOpenWhenSearchAnswersAnError() {
        search.returns("never injected");
        search.failsWith(500);

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "user_42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-supermemory-error")).hasValue("memory-error: search answered 500");
        assertThat(upstream.only().body()).isEqualTo(BODY);
    }

    @Test
    void forwardsUnchangedWithoutAUserScope() {
        search.returns("never injected");

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.only().body()).isEqualTo(BODY);
        assertThat(search.received()).isEmpty();
    }

    @Test
    void dropsTheOldestTurnsOfAThreadOverTheBudget() throws Exception {
        search.returns("The user counts turns for fun");
        StringBuilder body =
                new StringBuilder("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"}");
        for (int turn = 0; turn < 40; turn++) {
            String filler = ("turn " + turn + " ").repeat(110); // over 16 KB in all: prepared on a worker
            body.append(",{\"role\":\"user\",\"content\":\"").append(filler).append("\"}");
            body.append(",{\"role\":\"assistant\",\"content\":\"")
                    .append(filler)
                    .append("\"}");
        }
        body.append(",{\"role\":\"user\",\"content\":\"And now?\"}]}");

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                body.toString(),
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "counter");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-supermemory-context-modified"))
                .hasValue("true");
        assertThat(response.headers().firstValue("x-supermemory-chunks-retrieved"))
                .hasValue("1");
        int tokens = Integer.parseInt(
                response.headers().firstValue("x-supermemory-tokens-processed").orElseThrow());
        // turns go in user/assistant pairs of about 800 tokens here: at most one pair more than needed is dropped
        assertThat(tokens)
                .isLessThanOrEqualTo(RouterTestServers.THREAD_BUDGET)
                .isGreaterThan(RouterTestServers.THREAD_BUDGET - 1000);
        JsonNode messages = JSON.readTree(upstream.only().body()).get("messages");
        assertThat(messages.size()).isLessThan(82).isGreaterThan(3);
        assertThat(messages.get(0).get("content").asText()).startsWith("Be brief.\n\n<user-memories>");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(messages.size() - 1).get("content").asText()).isEqualTo("And now?");
        assertThat(messages.get(messages.size() - 2).get("content").asText()).startsWith("turn 39 ");
    }

    @Test
    void refusesAMissingOrWrongEngramKeyWithAnOpenAiError() throws Exception {
        HttpResponse<String> missing =
                post(chatPath(upstream.url() + "/v1"), BODY, "Authorization", "Bearer " + PROVIDER_KEY);
        HttpResponse<String> wrong = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                "not-the-key");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        JsonNode error = JSON.readTree(wrong.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("authentication_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error.get("message").asText()).contains("not valid");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void refusesABodyThatIsNotAChatRequest() throws Exception {
        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                "{\"model\":\"m\",\"messages\":\"hello\"}",
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText())
                .isEqualTo("messages: must be an array");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aBodyUserThatIsNotAContainerTagBecomesAStableHashedScope() throws Exception {
        String body =
                "{\"model\":\"m\",\"user\":\"ada@example.com\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        HttpResponse<String> first = post(chatPath(upstream.url() + "/v1"), body, "x-supermemory-api-key", ENGRAM_KEY);
        HttpResponse<String> second = post(chatPath(upstream.url() + "/v1"), body, "x-supermemory-api-key", ENGRAM_KEY);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        List<String> scopes = search.received().stream()
                .map(received -> readTree(received.body()).get("containerTag").asText())
                .toList();
        assertThat(scopes).hasSize(2).containsOnly(scopes.getFirst());
        assertThat(scopes.getFirst()).startsWith("user_").doesNotContain("@").hasSize(27);
    }

    @Test
    void answersExpectContinueSoTheClientSendsItsBodyAtOnce() {
        long start = System.nanoTime();
        HttpResponse<String> response = RouterCalls.postExpectingContinue(
                chatPath(upstream.url() + "/v1"), BODY, "x-supermemory-api-key", ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.only().body()).isEqualTo(BODY);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void refusesAnInvalidUserScope() throws Exception {
        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "not a tag!");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("invalid_user_id");
        assertThat(upstream.received()).isEmpty();
    }
}
