package dev.engram.router.api;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.messagesPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedSearch;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v3/{provider-url}/messages}: Anthropic Messages, whose system prompt is a top-level field. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class MessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String ANSWER = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"Try the bakery.\"}],\"stop_reason\":\"end_turn\"}";

    private ScriptedUpstream upstream;
    private ScriptedSearch search;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        search = RouterTestServers.search();
        upstream.reset();
        search.reset();
        upstream.answerWith(ScriptedUpstream.json(200, ANSWER));
    }

    @Test
    void appendsMemoriesToTheSystemFieldAndPassesTheProviderKeyThrough() throws Exception {
        search.returns("The user is gluten intolerant");
        String body = """
                {"model":"claude-sonnet-4-5","max_tokens":256,"system":"You are a concierge.",
                 "messages":[{"role":"user","content":"Breakfast ideas?"}]}""";

        HttpResponse<String> response = post(
                messagesPath(upstream.url() + "/v1"),
                body,
                "x-api-key",
                PROVIDER_KEY,
                "anthropic-version",
                "2023-06-01",
                "Authorization",
                "Bearer " + ENGRAM_KEY,
                "x-sm-user-id",
                "guest_9");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(ANSWER);
        assertThat(response.headers().firstValue("x-supermemory-chunks-retrieved"))
                .hasValue("1");

        ScriptedUpstream.Received received = upstream.only();
        assertThat(received.path()).isEqualTo("/v1/messages");
        assertThat(received.header("x-api-key")).isEqualTo(PROVIDER_KEY);
        assertThat(received.header("anthropic-version")).isEqualTo("2023-06-01");
        // Authorization carried the Engram key: it stays with the router.
        assertThat(received.headers()).doesNotContainKey("authorization");
        JsonNode sent = JSON.readTree(received.body());
        assertThat(sent.get("system").asText())
                .startsWith("You are a concierge.\n\n<user-memories>")
                .contains("- The user is gluten intolerant");
        assertThat(sent.get("messages")).isEqualTo(JSON.readTree(body).get("messages"));
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void theEngramKeyNeverReachesTheProviderEvenWhenSentTwice() {
        HttpResponse<String> response = post(
                messagesPath(upstream.url() + "/v1"),
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                "x-api-key",
                PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "Authorization",
                "Bearer " + ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.only().headers()).doesNotContainKeys("authorization", "x-supermemory-api-key");
        assertThat(upstream.only().header("x-api-key")).isEqualTo(PROVIDER_KEY);
    }

    @Test
    void addsATextBlockToASystemGivenAsBlocks() throws Exception {
        search.returns("The user is left-handed");
        String body = """
                {"model":"m","max_tokens":10,"system":[{"type":"text","text":"Be kind.","cache_control":{"type":"ephemeral"}}],
                 "metadata":{"user_id":"lefty"},"messages":[{"role":"user","content":"Scissors?"}]}""";

        HttpResponse<String> response = post(
                messagesPath(upstream.url() + "/v1"),
                body,
                "x-api-key",
                PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode system = JSON.readTree(upstream.only().body()).get("system");
        assertThat(system).hasSize(2);
        assertThat(system.get(0)).isEqualTo(JSON.readTree(body).get("system").get(0));
        assertThat(system.get(1).get("type").asText()).isEqualTo("text");
        assertThat(system.get(1).get("text").asText()).contains("- The user is left-handed");
        assertThat(JSON.readTree(search.received().getFirst().body())
                        .get("containerTag")
                        .asText())
                .isEqualTo("lefty");
    }
}
