package dev.engram.router.api;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.core.documents.DocumentIds;
import dev.engram.core.events.ConversationEvent;
import dev.engram.core.json.EventJson;
import dev.engram.core.kafka.Topics;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedHistory;
import dev.engram.router.support.ScriptedSearch;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys other than the bootstrap key: the router asks ingest-service who they are, then acts for that organisation,
 * holds a scoped key to its tag, counts its rate limit, and presents the caller's own key to search and ingest.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class RouterKeysTest {

    private static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}";

    private ScriptedUpstream upstream;
    private ScriptedSearch search;
    private ScriptedHistory ingest;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        upstream.reset();
        search = RouterTestServers.search();
        search.reset();
        search.returns("The user likes tea");
        ingest = RouterTestServers.history();
        ingest.reset();
    }

    @AfterEach
    void lookupsAnswerAsRegistered() {
        ingest.keyLookupsAnswer(0);
    }

    private static String scopedKey(String tag, int rateLimitMax) {
        String key = "em_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
        RouterTestServers.history()
                .knowsKey(
                        key,
                        "{\"id\":\"key_" + tag + "\",\"orgId\":\"org_acme\",\"role\":\"scoped\",\"containerTag\":\""
                                + tag + "\",\"rateLimitMax\":" + rateLimitMax
                                + ",\"rateLimitTimeWindow\":600000}");
        return key;
    }

    private HttpResponse<String> chat(String key, String... more) {
        String[] headers = new String[4 + more.length];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + PROVIDER_KEY;
        headers[2] = "x-supermemory-api-key";
        headers[3] = key;
        System.arraycopy(more, 0, headers, 4, more.length);
        return post(chatPath(upstream.url() + "/v1"), BODY, headers);
    }

    @Test
    void aScopedKeyIsRoutedForItsTagAndOrganisationWithItsOwnKey() {
        String tag = "tea_" + UUID.randomUUID().toString().substring(0, 8);
        String key = scopedKey(tag, 100);
        String conversation = "conv-" + UUID.randomUUID();

        HttpResponse<String> response = chat(key, "x-sm-conversation-id", conversation);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(search.received()).hasSize(1);
        assertThat(search.received().get(0).authorization()).isEqualTo("Bearer " + key);
        assertThat(search.received().get(0).body()).contains("\"containerTag\":\"" + tag + "\"");
        assertThat(ingest.received())
                .extracting(ScriptedHistory.Received::authorization)
                .containsOnly("Bearer " + key);
        assertThat(upstream.only().body()).contains("The user likes tea");

        List<ConsumerRecord<String, String>> records = KafkaProbe.onTestBroker()
                .awaitAny(
                        Topics.CONVERSATIONS,
                        record -> record.value().contains("\"conversationId\":\"" + conversation + "\""),
                        Duration.ofSeconds(30));
        ConversationEvent event = EventJson.read(records.getFirst().value(), ConversationEvent.class);
        assertThat(event.orgId()).isEqualTo("org_acme");
        assertThat(event.containerTag()).isEqualTo(tag);
        assertThat(event.documentId()).isEqualTo(DocumentIds.forConversation("org_acme", tag, conversation));
    }

    @Test
    void aScopedKeyNamingAnotherUserIsRefusedBeforeAnythingIsForwarded() {
        String key = scopedKey("mine_" + UUID.randomUUID().toString().substring(0, 8), 100);

        HttpResponse<String> response = chat(key, "x-sm-user-id", "somebody_else");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("permission_error").contains("somebody_else");
        assertThat(upstream.received()).isEmpty();
        assertThat(search.received()).isEmpty();
    }

    @Test
    void aKeyIngestDoesNotKnowIs401AndAnUnreachableIngestIs503() {
        HttpResponse<String> unknown = chat("em_unknownunknownunknownunknownunknownunknown1");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("authentication_error");

        ingest.keyLookupsAnswer(500);
        HttpResponse<String> down =
                chat(scopedKey("down_" + UUID.randomUUID().toString().substring(0, 8), 100));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("auth_unavailable");
        assertThat(upstream.received()).isEmpty();

        assertThat(chat(ENGRAM_KEY).statusCode())
                .as("the bootstrap key needs no lookup")
                .isEqualTo(200);
    }

    @Test
    void aKeyOverItsLimitGets429WithRetryAfterAndLookupsAreCached() {
        String key = scopedKey("busy_" + UUID.randomUUID().toString().substring(0, 8), 2);
        int lookupsBefore = ingest.keyLookups();

        assertThat(chat(key).statusCode()).isEqualTo(200);
        assertThat(chat(key).statusCode()).isEqualTo(200);
        HttpResponse<String> third = chat(key);

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).contains("rate_limit_error");
        assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(590L, 600L);
        assertThat(ingest.keyLookups() - lookupsBefore)
                .as("one lookup, then the cache")
                .isEqualTo(1);
        assertThat(upstream.received()).hasSize(2);
    }
}
