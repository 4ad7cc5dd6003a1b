package dev.engram.router.api;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.postStreaming;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.core.kafka.Topics;
import dev.engram.router.messaging.ConversationPublisher;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server-Sent Events pass through chunk by chunk: the router never waits for the whole answer. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class StreamingTest {

    private static final String BODY = """
            {"model":"m","stream":true,"messages":[{"role":"user","content":"Count to three."}]}""";

    @Inject
    ConversationPublisher publisher;

    private ScriptedUpstream upstream;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        upstream.reset();
        RouterTestServers.search().reset();
    }

    @Test
    void theFirstEventReachesTheClientWhileTheProviderStillHoldsTheRest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean restSent = new AtomicBoolean();
        upstream.answerWith(ScriptedUpstream.events(
                List.of(
                        "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"One\"}}]}",
                        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\", two\"}}]}",
                        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\", three.\"}}]}",
                        "[DONE]"),
                release,
                restSent));

        HttpResponse<InputStream> response = postStreaming(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "streamer");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(response.headers().firstValue("x-supermemory-conversation-id"))
                .isPresent();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String first = reader.readLine();
            // The provider sends nothing more until released: this line came through on its own.
            assertThat(restSent).isFalse();
            assertThat(first)
                    .isEqualTo(
                            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"One\"}}]}");
            release.countDown();
            List<String> rest = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    rest.add(line);
                }
            }
            assertThat(rest)
                    .containsExactly(
                            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\", two\"}}]}",
                            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\", three.\"}}]}",
                            "data: [DONE]");
        } finally {
            release.countDown();
        }
        assertThat(upstream.only().header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
    }

    @Test
    void aClientThatLeavesMidStreamCancelsTheProviderCallAndNothingIsStored() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        // an event every 20 ms for 15 s, unless the connection closes
        upstream.answerWith(ScriptedUpstream.trickle(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"}}]}", 20, 15_000));

        HttpResponse<InputStream> response = postStreaming(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "leaver",
                "x-sm-conversation-id",
                conversation);
        try (InputStream body = response.body()) {
            assertThat(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)).readLine())
                    .startsWith("data: ");
        } // closed after the first event: the client is gone

        await().atMost(Duration.ofSeconds(10)).until(() -> upstream.brokenAnswers() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.inFlight() == 0);
        assertThat(KafkaProbe.onTestBroker()
                        .read(
                                Topics.CONVERSATIONS,
                                record -> record.value().contains(conversation),
                                found -> !found.isEmpty(),
                                Duration.ofSeconds(2)))
                .isEmpty();
    }
}
