package dev.engram.router.api;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.messagesPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedHistory;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code x-sm-conversation-id} and only the new turn, the router puts the conversation's stored turns (from
 * ingest-service, scripted here) before the client's, and publishes the whole conversation so it keeps growing; a
 * client that resends its history gets nothing twice; without the stored turns the request goes on unchanged.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class ConversationBackfillTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "backfill_user";
    private static final String STORED = """
            [{"role":"user","content":"I am planning a trip to Japan.","name":"Ana","createdAt":"2026-11-28T10:00:00Z"},
             {"role":"assistant","content":"Lovely! When are you going?"},
             {"role":"tool","content":"weather: sunny"},
             {"role":"user","content":"In April."},
             {"role":"assistant","content":"Cherry blossom season, then."}]""";

    private ScriptedUpstream upstream;
    private ScriptedHistory history;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        upstream.reset();
        RouterTestServers.search().reset();
        history = RouterTestServers.history();
        history.reset();
    }

    @Test
    void onlyTheNewTurnReachesTheProviderAfterTheStoredTurnsAndTheWholeConversationIsPublished() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);

        HttpResponse<String> response = chat(conversation, """
                {"model":"m","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Which city first?"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-supermemory-turns-backfilled"))
                .hasValue("4");
        assertThat(response.headers().firstValue("x-supermemory-context-modified"))
                .hasValue("true");
        assertThat(response.headers().firstValue("x-supermemory-error")).isEmpty();
        assertThat(history.received())
                .containsExactly(new ScriptedHistory.Received(conversation, USER, "Bearer " + ENGRAM_KEY));
        JsonNode messages = JSON.readTree(upstream.only().body()).get("messages");
        // system first, then the stored user and assistant turns (the tool result has lost its call), then the new one
        assertThat(roleAndContent(messages))
                .containsExactly(
                        "system: Be brief.",
                        "user: I am planning a trip to Japan.",
                        "assistant: Lovely! When are you going?",
                        "user: In April.",
                        "assistant: Cherry blossom season, then.",
                        "user: Which city first?");
        assertThat(messages.get(1).get("name").asText()).isEqualTo("Ana");

        ConversationEvent event = EventJson.read(awaitEvent(conversation).value(), ConversationEvent.class);
        assertThat(event.messages())
                .extracting(ConversationMessage::role, ConversationMessage::content)
                .containsExactly(
                        tuple("user", "I am planning a trip to Japan."),
                        tuple("assistant", "Lovely! When are you going?"),
                        tuple("tool", "weather: sunny"),
                        tuple("user", "In April."),
                        tuple("assistant", "Cherry blossom season, then."),
                        tuple("user", "Which city first?"),
                        tuple("assistant", ScriptedUpstream.DEFAULT_ANSWER));
        assertThat(event.messages().getFirst().name()).isEqualTo("Ana");
        assertThat(event.messages().getFirst().createdAt()).hasToString("2026-11-28T10:00:00Z");
    }

    @Test
    void anthropicMessagesGetTheStoredTurnsBeforeTheNewOne() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);
        String body = """
                {"model":"claude","max_tokens":50,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Which city first?"}]}""";

        HttpResponse<String> response = post(
                messagesPath(upstream.url() + "/v1"),
                body,
                "x-api-key",
                PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                USER,
                "x-sm-conversation-id",
                conversation);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-supermemory-turns-backfilled"))
                .hasValue("4");
        JsonNode sent = JSON.readTree(upstream.only().body());
        assertThat(sent.get("system").asText()).isEqualTo("Be brief.");
        assertThat(roleAndContent(sent.get("messages")))
                .containsExactly(
                        "user: I am planning a trip to Japan.",
                        "assistant: Lovely! When are you going?",
                        "user: In April.",
                        "assistant: Cherry blossom season, then.",
                        "user: Which city first?");
        // Anthropic's messages have no name
        assertThat(sent.get("messages").get(0).has("name")).isFalse();
    }

    @Test
    void aClientThatResendsItsHistoryGetsNothingTwice() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);
        String body = """
                {"model":"m","messages":[{"role":"user","content":"I am planning a trip to Japan."},
                 {"role":"assistant","content":"Lovely! When are you going?"},
                 {"role":"user","content":"In April."},
                 {"role":"assistant","content":"Cherry blossom season, then."},
                 {"role":"user","content":"Which city first?"}]}""";

        HttpResponse<String> response = chat(conversation, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-supermemory-turns-backfilled"))
                .hasValue("0");
        assertThat(response.headers().firstValue("x-supermemory-context-modified"))
                .hasValue("false");
        assertThat(upstream.only().body()).isEqualTo(body);
    }

    @Test
    void aClientThatRepeatsTheLastExchangeGetsOnlyTheTurnsBeforeIt() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);

        chat(conversation, """
                {"model":"m","messages":[{"role":"user","content":"In April."},
                 {"role":"assistant","content":"Cherry blossom season, then."},
                 {"role":"user","content":"Which city first?"}]}""");

        assertThat(roleAndContent(JSON.readTree(upstream.only().body()).get("messages")))
                .containsExactly(
                        "user: I am planning a trip to Japan.",
                        "assistant: Lovely! When are you going?",
                        "user: In April.",
                        "assistant: Cherry blossom season, then.",
                        "user: Which city first?");
    }

    @Test
    void anUnknownConversationIsForwardedAsSentWithoutAnError() {
        String conversation = "conv-" + UUID.randomUUID();
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}";

        HttpResponse<String> response = chat(conversation, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(history.received()).hasSize(1);
        assertThat(response.headers().firstValue("x-supermemory-turns-backfilled"))
                .hasValue("0");
        assertThat(response.headers().firstValue("x-supermemory-error")).isEmpty();
        assertThat(upstream.only().body()).isEqualTo(body);
        awaitEvent(conversation); // a new conversation is stored
    }

    @Test
    void withoutAConversationIdNoHistoryIsAskedFor() {
        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}",
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                USER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(history.received()).isEmpty();
    }

    @Test
    void whenTheHistoryIsDownTheRequestGoesOnUnchangedAndSaysSo() {
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);
        history.failsWith(503);
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Which city first?\"}]}";

        HttpResponse<String> response = chat(conversation, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(ScriptedUpstream.DEFAULT_ANSWER);
        assertThat(upstream.only().body()).isEqualTo(body);
        assertThat(response.headers().firstValue("x-supermemory-turns-backfilled"))
                .hasValue("0");
        assertThat(response.headers().firstValue("x-supermemory-error"))
                .hasValueSatisfying(error -> assertThat(error)
                        .startsWith("history-error: ingest answered 503")
                        .contains("not stored"));

        // A lone new turn must not replace the stored conversation: nothing is published. Once a later exchange's
        // event is on the topic, this one's would have been too.
        history.reset();
        String later = "conv-" + UUID.randomUUID();
        chat(later, body);
        awaitEvent(later);
        assertThat(KafkaProbe.onTestBroker()
                        .read(
                                Topics.CONVERSATIONS,
                                record -> record.value().contains("\"conversationId\":\"" + conversation + "\""),
                                found -> false,
                                Duration.ofSeconds(2)))
                .isEmpty();
    }

    @Test
    void whenTheHistoryIsSlowTheRequestGoesOnAfterTheTimeout() {
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);
        history.slow(3000);
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Which city first?\"}]}";

        long start = System.nanoTime();
        HttpResponse<String> response = chat(conversation, body);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tookMillis).isLessThan(2500);
        assertThat(upstream.only().body()).isEqualTo(body);
        assertThat(response.headers().firstValue("x-supermemory-error"))
                .hasValueSatisfying(error -> assertThat(error).startsWith("history-timeout: "));
    }

    @Test
    void theHistoryIsReadWhileMemoriesAreRetrievedNotAfter() throws Exception {
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Kyoto?\"}]}";
        chat("conv-" + UUID.randomUUID(), body); // warm: the timing below is of the waits, not of a first request
        upstream.reset();
        String conversation = "conv-" + UUID.randomUUID();
        history.stores(USER, conversation, STORED);
        history.slow(300);
        RouterTestServers.search().returns("The user likes temples");
        RouterTestServers.search().slow(300);

        long start = System.nanoTime();
        HttpResponse<String> response = chat(conversation, body);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        // both arrived (each within its 400 ms timeout), and the waits overlapped: one after the other is 600 ms
        assertThat(response.headers().firstValue("x-supermemory-error")).isEmpty();
        assertThat(response.headers().firstValue("x-supermemory-chunks-retrieved"))
                .hasValue("1");
        assertThat(response.headers().firstValue("x-supermemory-turns-backfilled"))
                .hasValue("4");
        assertThat(tookMillis).isLessThan(580);
    }

    private HttpResponse<String> chat(String conversation, String body) {
        return post(
                chatPath(upstream.url() + "/v1"),
                body,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                USER,
                "x-sm-conversation-id",
                conversation);
    }

    private static List<String> roleAndContent(JsonNode messages) {
        return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
                .map(message -> message.get("role").asText() + ": "
                        + message.get("content").asText())
                .toList();
    }

    private static ConsumerRecord<String, String> awaitEvent(String conversationId) {
        List<ConsumerRecord<String, String>> records = KafkaProbe.onTestBroker()
                .awaitAny(
                        Topics.CONVERSATIONS,
                        record -> record.value().contains("\"conversationId\":\"" + conversationId + "\""),
                        Duration.ofSeconds(30));
        assertThat(records).as("conversation event of " + conversationId).hasSize(1);
        return records.getFirst();
    }
}
