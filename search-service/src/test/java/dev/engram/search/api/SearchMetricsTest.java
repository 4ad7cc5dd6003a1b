package dev.engram.search.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The search endpoints' latency histograms at {@code /q/metrics}, scraped without an API key. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SearchMetricsTest {

    @Test
    void eachEndpointAndModeHasItsOwnLatencyHistogram() {
        double before = value(scrape(), "engram_search_request_seconds_count", "/v4/search", "hybrid", "dense");
        search("/v4/search", Map.of("q", "metrics", "searchMode", "hybrid", "retrieval", "dense"));
        search("/v4/search", Map.of("q", "metrics", "searchMode", "hybrid", "retrieval", "dense"));
        search("/v3/search", Map.of("q", "metrics"));
        search("/v4/profile", Map.of("containerTag", "user_metrics", "q", "metrics"));

        String metrics = scrape();
        assertThat(value(metrics, "engram_search_request_seconds_count", "/v4/search", "hybrid", "dense"))
                .isEqualTo(Math.max(before, 0) + 2);
        assertThat(value(metrics, "engram_search_request_seconds_count", "/v3/search", "documents", "hybrid"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "engram_search_request_seconds_count", "/v4/profile", "profile-search", "hybrid"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metrics)
                .contains(
                        "engram_search_request_seconds_bucket{endpoint=\"/v4/search\",mode=\"hybrid\",retrieval=\"dense\",le=");
        assertThat(metrics).contains("http_server_requests_seconds_count{");
    }

    private static void search(String path, Map<String, Object> body) {
        given().auth()
                .oauth2("test-key")
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then()
                .statusCode(200);
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series of {@code name}, or -1 when there is none. */
    private static double value(String metrics, String name, String endpoint, String mode, String retrieval) {
        String series = name + "{endpoint=\"" + endpoint + "\",mode=\"" + mode + "\",retrieval=\"" + retrieval + "\"}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
