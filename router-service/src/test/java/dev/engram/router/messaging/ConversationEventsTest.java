package dev.engram.router.messaging;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.messagesPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.core.tenancy.Orgs;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After an answer completed, the exchange's turns reach {@code engram.conversations.v1} on the real broker, keyed by
 * the user scope: the client's turns as sent plus the assistant's final text, streamed answers included. Failed
 * exchanges publish nothing.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class ConversationEventsTest {

    @Inject
    ConversationPublisher publisher;

    private ScriptedUpstream upstream;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        upstream.reset();
        RouterTestServers.search().reset();
        RouterTestServers.search().returns("The user has a dog named Rex");
    }

    @Test
    void publishesTheTurnsAndTheAnswerOfACompletedExchange() {
        String conversation = "conv-" + UUID.randomUUID();
        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                """
                {"model":"m","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"My dog is called Rex."},
                 {"role":"assistant","content":"Nice name!"},
                 {"role":"user","content":"What should I feed him?"}]}""",
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "dog_owner",
                "x-sm-conversation-id",
                conversation);
        assertThat(response.statusCode()).isEqualTo(200);

        ConsumerRecord<String, String> record = awaitEvent(conversation);
        assertThat(record.key()).isEqualTo("dog_owner");
        ConversationEvent event = EventJson.read(record.value(), ConversationEvent.class);
        assertThat(event.containerTag()).isEqualTo("dog_owner");
        assertThat(event.orgId()).isEqualTo(Orgs.DEFAULT);
        assertThat(event.origin()).isEqualTo("router");
        assertThat(event.documentId()).isEqualTo(DocumentIds.forConversation(Orgs.DEFAULT, "dog_owner", conversation));
        assertThat(event.schemaVersion()).isEqualTo(ConversationEvent.SCHEMA_VERSION);
        assertThat(event.revision()).isPositive();
        // the client's turns as sent (no system prompt, no injected memories) and the provider's answer
        assertThat(event.messages())
                .extracting(ConversationMessage::role, ConversationMessage::content)
                .containsExactly(
                        tuple("user", "My dog is called Rex."),
                        tuple("assistant", "Nice name!"),
                        tuple("user", "What should I feed him?"),
                        tuple("assistant", ScriptedUpstream.DEFAULT_ANSWER));
    }

    /** NUL failed the conversation downstream (PostgreSQL stores no NUL); it is dropped, half an emoji replaced. */
    @Test
    void publishesTurnsWithoutTextNoMemoryCouldStore() {
        String conversation = "conv-" + UUID.randomUUID();
        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                """
                {"model":"m","messages":[{"role":"user","content":"My dog\\u0000 is called Rex \\ud83d",
                 "name":"A\\u0000na"}]}""",
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "dog_owner",
                "x-sm-conversation-id",
                conversation);
        assertThat(response.statusCode()).isEqualTo(200);

        ConversationEvent event = EventJson.read(awaitEvent(conversation).value(), ConversationEvent.class);
        assertThat(event.messages())
                .extracting(ConversationMessage::role, ConversationMessage::content, ConversationMessage::name)
                .containsExactly(
                        tuple("user", "My dog is called Rex \ufffd", "Ana"),
                        tuple("assistant", ScriptedUpstream.DEFAULT_ANSWER, null));
    }

    @Test
    void publishesTheTextAssembledFromAStreamedAnthropicAnswer() {
        String conversation = "conv-" + UUID.randomUUID();
        CountDownLatch open = new CountDownLatch(0);
        upstream.answerWith(ScriptedUpstream.events(
                List.of(
                        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\"}}",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Rex \"}}",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"likes kibble.\"}}",
                        "{\"type\":\"message_stop\"}"),
                open));

        HttpResponse<String> response = post(
                messagesPath(upstream.url() + "/v1"),
                """
                {"model":"m","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"What does Rex eat?"}]}""",
                "x-api-key",
                PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "dog_owner",
                "x-sm-conversation-id",
                conversation);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("likes kibble.");

        ConversationEvent event = EventJson.read(awaitEvent(conversation).value(), ConversationEvent.class);
        assertThat(event.messages())
                .extracting(ConversationMessage::role, ConversationMessage::content)
                .containsExactly(tuple("user", "What does Rex eat?"), tuple("assistant", "Rex likes kibble."));
    }

    @Test
    void publishesNothingWhenTheProviderAnswersAnError() {
        String conversation = "conv-" + UUID.randomUUID();
        upstream.answerWith(ScriptedUpstream.json(500, "{\"error\":{\"message\":\"boom\"}}"));
        HttpResponse<String> failed = post(
                chatPath(upstream.url() + "/v1"),
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello?\"}]}",
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "dog_owner",
                "x-sm-conversation-id",
                conversation);
        assertThat(failed.statusCode()).isEqualTo(500);

        // A later, successful exchange of another conversation is published: once it is there, the failed one
        // would have been too.
        upstream.reset();
        String later = "conv-" + UUID.randomUUID();
        post(
                chatPath(upstream.url() + "/v1"),
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello again\"}]}",
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "dog_owner",
                "x-sm-conversation-id",
                later);
        awaitEvent(later);
        List<ConsumerRecord<String, String>> records = KafkaProbe.onTestBroker()
                .read(
                        Topics.CONVERSATIONS,
                        record -> record.value().contains(conversation),
                        found -> false,
                        Duration.ofSeconds(2));
        assertThat(records).isEmpty();
    }

    @Test
    void whenEveryPublicationSlotIsTakenTheAnswerStillComesAndSaysItsTurnsAreNotStored() {
        String conversation = "conv-" + UUID.randomUUID();
        int taken = 0;
        HttpResponse<String> response;
        try {
            while (publisher.reserve()) {
                taken++;
            }
            assertThat(taken).isEqualTo(RouterTestServers.MAX_IN_FLIGHT);
            response = post(
                    chatPath(upstream.url() + "/v1"),
                    "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Busy?\"}]}",
                    "x-supermemory-api-key",
                    ENGRAM_KEY,
                    "x-sm-user-id",
                    "dog_owner",
                    "x-sm-conversation-id",
                    conversation);
        } finally {
            for (int i = 0; i < taken; i++) {
                publisher.release();
            }
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(ScriptedUpstream.DEFAULT_ANSWER);
        assertThat(response.headers().firstValue("x-supermemory-error").orElseThrow())
                .startsWith("conversation-store-busy");
        assertThat(KafkaProbe.onTestBroker()
                        .read(
                                Topics.CONVERSATIONS,
                                record -> record.value().contains(conversation),
                                found -> !found.isEmpty(),
                                Duration.ofSeconds(2)))
                .isEmpty();
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
