package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.authorized;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v4/conversations/{conversationId}}: the stored turns of a conversation, whether it came through the API
 * or from the router's events, scoped by organisation and container tag.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ConversationTurnsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ConversationMessage HELLO =
            new ConversationMessage("user", "I live in Paris.", null, Instant.parse("2026-11-28T10:00:00Z"));
    private static final ConversationMessage NOTED = new ConversationMessage("assistant", "Noted!", null, null);
    private static final ConversationMessage MOVED = new ConversationMessage("user", "I moved to Berlin.", null, null);

    private final KafkaProbe kafka = KafkaProbe.onTestBroker();

    @Test
    void turnsAddedThroughTheApiAreReadBackAsSent() {
        String tag = unique("turns");
        String conversationId = unique("chat");
        json().body(Map.of(
                        "conversationId",
                        conversationId,
                        "containerTag",
                        tag,
                        "messages",
                        List.of(
                                Map.of(
                                        "role", "user",
                                        "content", "Hi! I live in Paris.",
                                        "name", "Ana",
                                        "createdAt", "2026-11-28T10:00:00+01:00"),
                                Map.of(
                                        "role",
                                        "assistant",
                                        "content",
                                        List.of(
                                                Map.of("type", "text", "text", "Noted."),
                                                Map.of("type", "text", "text", "Anything else?"))))))
                .post("/v4/conversations")
                .then()
                .statusCode(200);

        JsonPath answer = turns(conversationId, tag, 200);
        assertThat(answer.getString("conversationId")).isEqualTo(conversationId);
        assertThat(answer.getString("containerTag")).isEqualTo(tag);
        assertThat(answer.getList("messages.role")).containsExactly("user", "assistant");
        assertThat(answer.getList("messages.content"))
                .containsExactly("Hi! I live in Paris.", "Noted.\n\nAnything else?");
        assertThat(answer.getString("messages[0].name")).isEqualTo("Ana");
        assertThat(Instant.parse(answer.getString("messages[0].createdAt")))
                .isEqualTo(Instant.parse("2026-11-28T09:00:00Z"));
        assertThat(answer.getMap("messages[1]")).doesNotContainKeys("name", "createdAt");
    }

    @Test
    void turnsFromTheRouterFollowTheNewestRevision() {
        String tag = unique("turns_router");
        String conversationId = unique("chat");
        publish(event("org_default", tag, conversationId, 1, HELLO, NOTED));
        await().atMost(WAIT).until(() -> status(conversationId, tag) == 200);
        assertThat(turns(conversationId, tag, 200).getList("messages.content"))
                .containsExactly("I live in Paris.", "Noted!");

        publish(event("org_default", tag, conversationId, 2, HELLO, NOTED, MOVED));

        await().atMost(WAIT)
                .until(() -> turns(conversationId, tag, 200).getList("messages").size() == 3);
        assertThat(turns(conversationId, tag, 200).getList("messages.content"))
                .containsExactly("I live in Paris.", "Noted!", "I moved to Berlin.");
    }

    @Test
    void unknownConversationIsNotFound() {
        turns(unique("nobody_knows"), unique("turns"), 404);
    }

    @Test
    void conversationIsFoundOnlyUnderItsOwnContainerTagAndOrganisation() {
        String tag = unique("turns_scope");
        String conversationId = unique("chat");
        String otherOrgsConversation = unique("chat");
        publish(event("org_other", tag, otherOrgsConversation, 1, HELLO));
        publish(event("org_default", tag, conversationId, 1, HELLO)); // same partition: read after the other
        await().atMost(WAIT).until(() -> status(conversationId, tag) == 200);

        turns(conversationId, unique("turns_elsewhere"), 404);
        turns(otherOrgsConversation, tag, 404);
    }

    @Test
    void conversationTurnsNeedTheApiKey() {
        given().queryParam("containerTag", "any")
                .get("/v4/conversations/chat_1")
                .then()
                .statusCode(401);
    }

    @Test
    void invalidConversationIdIsRefused() {
        authorized()
                .queryParam("containerTag", "ok")
                .get("/v4/conversations/" + "c".repeat(101))
                .then()
                .statusCode(400)
                .body("details", containsString("conversationId"));
    }

    private static JsonPath turns(String conversationId, String tag, int status) {
        return authorized()
                .queryParam("containerTag", tag)
                .get("/v4/conversations/" + conversationId)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static int status(String conversationId, String tag) {
        return authorized()
                .queryParam("containerTag", tag)
                .get("/v4/conversations/" + conversationId)
                .statusCode();
    }

    private void publish(ConversationEvent event) {
        kafka.send(Topics.CONVERSATIONS, event.containerTag(), EventJson.write(event));
    }

    private static ConversationEvent event(
            String orgId, String tag, String conversationId, long revision, ConversationMessage... messages) {
        return new ConversationEvent(
                UUID.randomUUID().toString(),
                Instant.now(),
                ConversationEvent.SCHEMA_VERSION,
                tag,
                orgId,
                conversationId,
                DocumentIds.forConversation(orgId, tag, conversationId),
                revision,
                List.of(messages),
                Map.of(),
                null,
                "router");
    }
}
