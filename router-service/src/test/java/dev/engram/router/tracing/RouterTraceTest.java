package dev.engram.router.tracing;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedSearch;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaTestResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router's part of a chat's trace: a request carrying a sampled W3C {@code traceparent} is served in that trace,
 * and both calls it makes, to search-service and to the provider, carry the trace on to them as a child of one of the
 * router's spans (not the caller's header passed through), so search's and the provider's work joins the same trace.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class RouterTraceTest {

    private static final String BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Where should I eat tonight in Zanzibar?"}]}""";

    @Inject
    InMemorySpanExporter spans;

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
    void chatIsTracedThroughSearchAndTheUpstreamCall() throws Exception {
        search.returns("The user is vegetarian");
        String traceId = hex(16);
        String callerSpanId = hex(8);

        HttpResponse<String> response = post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "user_traced",
                "traceparent",
                "00-" + traceId + "-" + callerSpanId + "-01");
        assertThat(response.statusCode()).isEqualTo(200);

        String toSearch = search.received().get(0).traceparent();
        assertThat(toSearch).as("traceparent sent to search").startsWith("00-" + traceId + "-");
        String toUpstream = upstream.only().header("traceparent");
        assertThat(toUpstream).as("traceparent sent to the provider").startsWith("00-" + traceId + "-");
        assertThat(parentOf(toUpstream)).isNotEqualTo(parentOf(toSearch)).isNotEqualTo(callerSpanId);

        List<SpanData> trace = awaitTrace(traceId, Set.of(parentOf(toSearch), parentOf(toUpstream)));
        Set<String> routerSpans = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        assertThat(routerSpans)
                .as("the router's spans sent both calls: %s", trace)
                .contains(parentOf(toSearch), parentOf(toUpstream));
        assertThat(trace)
                .as("the router's server span continues the caller's")
                .anySatisfy(span -> assertThat(span.getParentSpanId()).isEqualTo(callerSpanId));

        for (SpanData span : trace) {
            assertThat(span.getAttributes().asMap().values())
                    .as(span.getName())
                    .allSatisfy(value -> assertThat(String.valueOf(value))
                            .doesNotContain("Zanzibar")
                            .doesNotContain("vegetarian")
                            .doesNotContain(PROVIDER_KEY));
        }
    }

    private static String parentOf(String traceparent) {
        return traceparent.split("-")[2];
    }

    private List<SpanData> awaitTrace(String traceId, Set<String> spanIds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId))
                    .toList();
            if (trace.stream()
                            .map(SpanData::getSpanId)
                            .collect(Collectors.toSet())
                            .containsAll(spanIds)
                    || System.nanoTime() > deadline) {
                return trace;
            }
            Thread.sleep(50);
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
