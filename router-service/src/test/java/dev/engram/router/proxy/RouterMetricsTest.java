package dev.engram.router.proxy;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedSearch;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router's metrics at {@code /q/metrics}, which the Engram key check does not guard. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class RouterMetricsTest {

    private static final String BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Where should I eat tonight?"}]}""";

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
    void addedLatencyMemoryLookupsAndUpstreamErrorsAreCounted() {
        String before = scrape();
        search.returns("The user is vegetarian");
        assertThat(chat().statusCode()).isEqualTo(200);
        search.failsWith(500);
        upstream.answerWith(ScriptedUpstream.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        assertThat(chat().statusCode()).isEqualTo(503);

        String after = scrape();
        assertThat(value(after, "engram_router_memory_lookups_total{outcome=\"ok\"}")
                        - value(before, "engram_router_memory_lookups_total{outcome=\"ok\"}"))
                .isEqualTo(1);
        assertThat(value(after, "engram_router_memory_lookups_total{outcome=\"failed-open\"}")
                        - value(before, "engram_router_memory_lookups_total{outcome=\"failed-open\"}"))
                .isEqualTo(1);
        assertThat(value(after, "engram_router_upstream_errors_total{status_class=\"5xx\"}")
                        - Math.max(0, value(before, "engram_router_upstream_errors_total{status_class=\"5xx\"}")))
                .isEqualTo(1);
        assertThat(value(after, "engram_router_added_seconds_count{phase=\"before\"}")
                        - value(before, "engram_router_added_seconds_count{phase=\"before\"}"))
                .isEqualTo(2);
        assertThat(value(after, "engram_router_added_seconds_count{phase=\"after\"}")
                        - value(before, "engram_router_added_seconds_count{phase=\"after\"}"))
                .isEqualTo(2);
        assertThat(after).contains("engram_router_added_seconds_bucket{phase=\"before\",le=");
        assertThat(after).contains("engram_router_memory_lookups_total{outcome=\"timeout\"}");
    }

    private java.net.http.HttpResponse<String> chat() {
        return post(
                chatPath(upstream.url() + "/v1"),
                BODY,
                "Authorization",
                "Bearer " + PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY,
                "x-sm-user-id",
                "user_metrics");
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of the sample written exactly as {@code series}, or -1 when there is none. */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
