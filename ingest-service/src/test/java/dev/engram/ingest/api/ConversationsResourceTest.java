package dev.engram.ingest.api;

import static dev.engram.ingest.IngestApi.add;
import static dev.engram.ingest.IngestApi.advance;
import static dev.engram.ingest.IngestApi.authorized;
import static dev.engram.ingest.IngestApi.get;
import static dev.engram.ingest.IngestApi.getStatusCode;
import static dev.engram.ingest.IngestApi.json;
import static dev.engram.ingest.IngestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.documents.DocumentStatus;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.events.ConversationMessage;
import dev.engram.core.events.DocumentOperation;
import dev.engram.ingest.ConversationTopic;
import dev.engram.ingest.DocumentTopic;
import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /v4/conversations}: the conversation's document, its events, and what is refused. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ConversationsResourceTest {

    private static final Map<String, Object> ANA = Map.of(
            "role", "user",
            "content", "Hi! I live in Paris.",
            "name", "Ana",
            "createdAt", "2026-11-28T10:00:00+01:00");
    private static final Map<String, Object> REPLY = Map.of("role", "assistant", "content", "Nice to meet you, Ana!");
    private static final Map<String, Object> MOVE =
            Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "I moved to Berlin.")));

    @Test
    void addedConversationIsAQueuedDocumentWithItsTranscriptAndAnEventWithEveryTurn() {
        String tag = unique("conv");
        String conversationId = unique("chat");
        Map<String, Object> parts = Map.of(
                "role",
                "assistant",
                "content",
                List.of(Map.of("type", "text", "text", "Noted."), Map.of("type", "text", "text", "Anything else?")));
        Map<String, Object> body = new HashMap<>(conversation(conversationId, tag, ANA, parts));
        body.put("metadata", Map.of("channel", "web"));
        body.put("entityContext", "Ana is a customer");

        String id = post(body)
                .statusCode(200)
                .body("conversationId", equalTo(conversationId))
                .body("status", equalTo("queued"))
                .extract()
                .path("id");

        assertThat(id).isEqualTo(DocumentIds.forConversation("org_default", tag, conversationId));
        String transcript =
                "[2026-11-28T09:00:00Z] Ana (user): Hi! I live in Paris.\nassistant: Noted.\n\nAnything else?";
        var document = get(id);
        assertThat(document.getString("status")).isEqualTo("queued");
        assertThat(document.getString("content")).isEqualTo(transcript);
        assertThat(document.getString("customId")).isEqualTo(conversationId);
        assertThat(document.getString("source")).isEqualTo("conversation");
        assertThat(document.getString("type")).isEqualTo("text");
        assertThat(document.getList("containerTags")).containsExactly(tag);
        assertThat(document.getString("metadata.channel")).isEqualTo("web");
        assertThat(get(conversationId).getString("id"))
                .as("found by its conversation id")
                .isEqualTo(id);

        var record = ConversationTopic.awaitRecords(id, 1).get(0);
        ConversationEvent event = ConversationTopic.event(record);
        assertThat(record.key()).isEqualTo(tag);
        assertThat(event.revision()).isEqualTo(1);
        assertThat(event.conversationId()).isEqualTo(conversationId);
        assertThat(event.origin()).isEqualTo("api");
        assertThat(event.entityContext()).isEqualTo("Ana is a customer");
        assertThat(event.metadata()).containsEntry("channel", "web");
        assertThat(event.messages())
                .containsExactly(
                        new ConversationMessage(
                                "user", "Hi! I live in Paris.", "Ana", Instant.parse("2026-11-28T09:00:00Z")),
                        new ConversationMessage("assistant", "Noted.\n\nAnything else?", null, null));
    }

    @Test
    void resendingTheSameConversationPublishesNothingAndALongerOneIsTheNextRevisionWithEveryTurn() {
        String tag = unique("conv_resend");
        String conversationId = unique("chat");
        String id = post(conversation(conversationId, tag, ANA, REPLY))
                .statusCode(200)
                .extract()
                .path("id");
        advance(id, tag, 1, DocumentStatus.DONE);

        post(conversation(conversationId, tag, ANA, REPLY))
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("done"));
        post(conversation(conversationId, tag, ANA, REPLY, MOVE))
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("queued"));

        // One tag is one partition: had the identical resend published, its event would sit between these two.
        var events = ConversationTopic.awaitEvents(id, 2);
        assertThat(events).extracting(ConversationEvent::revision).containsExactly(1L, 2L);
        assertThat(events.get(1).messages())
                .extracting(ConversationMessage::content)
                .containsExactly("Hi! I live in Paris.", "Nice to meet you, Ana!", "I moved to Berlin.");
        assertThat(get(id).getString("content")).endsWith("\nuser: I moved to Berlin.");
        assertThat(revision(id)).isEqualTo(2);
    }

    @Test
    void rewrittenHistoryIsAcceptedAsTheNextRevisionWithTheNewTurns() {
        String tag = unique("conv_rewrite");
        String conversationId = unique("chat");
        String id = post(conversation(conversationId, tag, ANA, REPLY))
                .statusCode(200)
                .extract()
                .path("id");

        post(conversation(conversationId, tag, ANA, MOVE)).statusCode(200).body("status", equalTo("queued"));

        var events = ConversationTopic.awaitEvents(id, 2);
        assertThat(events.get(1).revision()).isEqualTo(2);
        assertThat(events.get(1).messages())
                .extracting(ConversationMessage::content)
                .containsExactly("Hi! I live in Paris.", "I moved to Berlin.");
    }

    @Test
    void failedConversationIsProcessedAgainWhenSentAgain() {
        String tag = unique("conv_failed");
        String conversationId = unique("chat");
        String id = post(conversation(conversationId, tag, ANA))
                .statusCode(200)
                .extract()
                .path("id");
        advance(id, tag, 1, DocumentStatus.FAILED);

        post(conversation(conversationId, tag, ANA)).statusCode(200).body("status", equalTo("queued"));

        assertThat(ConversationTopic.awaitEvents(id, 2))
                .extracting(ConversationEvent::revision)
                .containsExactly(1L, 2L);
    }

    @Test
    void conversationIsListedAndDeletedLikeAnyDocumentAndMayStartOverAfterwards() {
        String tag = unique("conv_docs");
        String conversationId = unique("chat");
        String id = post(conversation(conversationId, tag, ANA))
                .statusCode(200)
                .extract()
                .path("id");

        assertThat(authorized().get("/v3/documents/processing").jsonPath().getList("documents.id", String.class))
                .contains(id);
        assertThat(json().body(Map.of("containerTags", List.of(tag)))
                        .post("/v3/documents/list")
                        .jsonPath()
                        .getList("memories.id", String.class))
                .containsExactly(id);

        authorized().delete("/v3/documents/" + conversationId).then().statusCode(204);
        assertThat(getStatusCode(id)).isEqualTo(404);
        var deleteEvent = DocumentTopic.awaitEvents(id, 1).get(0);
        assertThat(deleteEvent.operation()).isEqualTo(DocumentOperation.DELETE);

        // Sent again after the delete: the same id, a revision past the deleted one, so memory-writer takes it.
        post(conversation(conversationId, tag, ANA, REPLY))
                .statusCode(200)
                .body("id", equalTo(id))
                .body("status", equalTo("queued"));
        assertThat(revision(id)).isEqualTo(2);
        assertThat(TestDatabase.query("select count(*) from ingest.document_tombstones where id = ?", id)
                        .get(0)
                        .get("count"))
                .isEqualTo(0L);
    }

    @Test
    void conversationIdUsedByAnotherDocumentIsAConflictAndStoresNothing() {
        String tag = unique("conv_clash");
        String takenByText = unique("chat");
        add(Map.of("content", "a text document", "containerTag", tag, "customId", takenByText));
        String conversationId = unique("chat");
        post(conversation(conversationId, tag, ANA)).statusCode(200);

        TestDatabase.assertStoresNothing(() -> {
            post(conversation(takenByText, tag, ANA)).statusCode(409).body("details", startsWith("conversationId: "));
            // The same conversation id under another tag names another document.
            post(conversation(conversationId, unique("other_tag"), ANA))
                    .statusCode(409)
                    .body("details", startsWith("conversationId: "));
            // A text document cannot take over a conversation through its customId either.
            json().body(Map.of("content", "overwrite", "containerTag", tag, "customId", conversationId))
                    .post("/v3/documents")
                    .then()
                    .statusCode(409)
                    .body("details", startsWith("customId: "));
        });
    }

    @Test
    void conversationTranscriptCannotBePatchedButItsMetadataCan() {
        String tag = unique("conv_patch");
        String id = post(conversation(unique("chat"), tag, ANA))
                .statusCode(200)
                .extract()
                .path("id");

        json().body(Map.of("content", "rewritten"))
                .patch("/v3/documents/" + id)
                .then()
                .statusCode(400)
                .body("details", startsWith("content: "));
        json().body(Map.of("containerTag", unique("elsewhere")))
                .patch("/v3/documents/" + id)
                .then()
                .statusCode(400)
                .body("details", startsWith("containerTag: "));
        json().body(Map.of("metadata", Map.of("topic", "moving")))
                .patch("/v3/documents/" + id)
                .then()
                .statusCode(200);

        var document = get(id);
        assertThat(document.getString("metadata.topic")).isEqualTo("moving");
        assertThat(document.getString("source")).isEqualTo("conversation");
    }

    static Stream<Arguments> badConversations() {
        Map<String, Object> valid = conversation("chat_bad", "user_bad", ANA);
        return Stream.of(
                bad("missing conversationId", without(valid, "conversationId"), "conversationId"),
                bad("conversationId with a slash", with(valid, "conversationId", "a/b"), "conversationId"),
                bad("conversationId too long", with(valid, "conversationId", "c".repeat(101)), "conversationId"),
                bad("conversationId not a string", with(valid, "conversationId", 7), "conversationId"),
                bad("missing messages", without(valid, "messages"), "messages"),
                bad("empty messages", with(valid, "messages", List.of()), "messages"),
                bad("messages not an array", with(valid, "messages", "hi"), "messages"),
                bad(
                        "too many messages",
                        with(
                                valid,
                                "messages",
                                IntStream.range(0, 1001).mapToObj(i -> REPLY).toList()),
                        "messages"),
                bad("message not an object", with(valid, "messages", List.of(ANA, "hi")), "messages[1]"),
                bad(
                        "unknown role",
                        with(valid, "messages", List.of(ANA, Map.of("role", "robot", "content", "x"))),
                        "messages[1].role"),
                bad("missing role", with(valid, "messages", List.of(Map.of("content", "x"))), "messages[0].role"),
                bad("missing content", with(valid, "messages", List.of(Map.of("role", "user"))), "messages[0].content"),
                bad(
                        "content a number",
                        with(valid, "messages", List.of(Map.of("role", "user", "content", 3))),
                        "messages[0].content"),
                bad(
                        "image part",
                        with(
                                valid,
                                "messages",
                                List.of(Map.of(
                                        "role",
                                        "user",
                                        "content",
                                        List.of(
                                                Map.of("type", "text", "text", "look"),
                                                Map.of("type", "image_url", "image_url", Map.of("url", "x")))))),
                        "messages[0].content[1]"),
                bad(
                        "createdAt not a date",
                        with(
                                valid,
                                "messages",
                                List.of(Map.of("role", "user", "content", "x", "createdAt", "yesterday"))),
                        "messages[0].createdAt"),
                bad(
                        "name too long",
                        with(
                                valid,
                                "messages",
                                List.of(Map.of("role", "user", "content", "x", "name", "n".repeat(101)))),
                        "messages[0].name"),
                bad(
                        "transcript over 1 MB",
                        with(
                                valid,
                                "messages",
                                List.of(
                                        Map.of("role", "user", "content", "é".repeat(300_000)),
                                        Map.of("role", "user", "content", "é".repeat(300_000)))),
                        "messages"),
                bad("tag with a space", with(valid, "containerTags", List.of("bad tag")), "containerTags[0]"),
                bad("nested metadata", with(valid, "metadata", Map.of("a", Map.of("b", 1))), "metadata.a"),
                bad("entityContext too long", with(valid, "entityContext", "e".repeat(1501)), "entityContext"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConversations")
    void badConversationIsRejectedWith400NamingTheFieldAndStoresNothing(
            String name, Map<String, Object> body, String field) {
        TestDatabase.assertStoresNothing(() -> post(body)
                .statusCode(400)
                .body("error", equalTo("Invalid request"))
                .body("details", startsWith(field + ": ")));
    }

    private static ValidatableResponse post(Map<String, Object> body) {
        return json().body(body).post("/v4/conversations").then();
    }

    @SafeVarargs
    private static Map<String, Object> conversation(String conversationId, String tag, Map<String, Object>... turns) {
        return Map.of("conversationId", conversationId, "containerTags", List.of(tag), "messages", List.of(turns));
    }

    private static long revision(String id) {
        return (Long) TestDatabase.query("select revision from ingest.documents where id = ?", id)
                .get(0)
                .get("revision");
    }

    private static Arguments bad(String name, Map<String, Object> body, String field) {
        return Arguments.of(name, body, field);
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(key, value);
        return changed;
    }

    private static Map<String, Object> without(Map<String, Object> body, String key) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.remove(key);
        return changed;
    }
}
