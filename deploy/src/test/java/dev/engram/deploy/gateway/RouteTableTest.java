package dev.engram.deploy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    private final RouteTable table = RouteTable.engram();

    @ParameterizedTest
    @CsvSource({
        "/v3/documents, ingest-service",
        "/v3/documents/abc123, ingest-service",
        "/v3/documents/list, ingest-service",
        "/v3/documents/file, ingest-service",
        "/v3/documents/processing, ingest-service",
        "/v3/container-tags/u1, ingest-service",
        "/v3/settings, ingest-service",
        "/v3/auth/keys, ingest-service",
        "/v3/orgs, ingest-service",
        "/v4/memories, memory-writer",
        "/v4/memories/list, memory-writer",
        "/v4/conversations, ingest-service",
        "/v3/search, search-service",
        "/v4/search, search-service",
        "/v4/profile, search-service",
        "/v3/https://api.openai.com/v1/chat/completions, router-service",
        "/v3/http://localhost:11434/v1/chat/completions, router-service",
        "/v3/https://api.anthropic.com/v1/messages, router-service",
        "/v3/https:/api.openai.com/v1/chat/completions, router-service",
        "/v3/http:/localhost:11434/v1/chat/completions, router-service",
        "/v1/chat/completions, router-service",
    })
    void routesEachApiPathToTheServiceThatOwnsIt(String path, String service) {
        assertThat(table.match(path)).map(Route::service).contains(service);
    }

    @Test
    void providerUrlsInTheRouterPathNeverReachIngestEvenWhenTheyMentionDocuments() {
        assertThat(table.match("/v3/https://example.com/v3/documents"))
                .map(Route::service)
                .contains(RouteTable.ROUTER_SERVICE);
        assertThat(table.match("/v3/documents/https://example.com"))
                .map(Route::service)
                .contains(RouteTable.INGEST_SERVICE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/v3",
                "/v3/",
                "/v3/documentsx",
                "/v3/searchable",
                "/v3/httpbin",
                "/v4/memoriesx",
                "/v1",
                "/v2/documents",
                "/q/health/ready",
                "/health/x"
            })
    void pathsNoServiceServesHaveNoRoute(String path) {
        assertThat(table.match(path)).isEmpty();
    }

    @Test
    void theLongestMatchingPrefixWinsWhateverTheRowOrder() {
        RouteTable nested = new RouteTable(List.of(new Route("/a", "outer"), new Route("/a/b", "inner")));
        RouteTable reversed = new RouteTable(List.of(new Route("/a/b", "inner"), new Route("/a", "outer")));

        assertThat(nested.match("/a/b/c")).map(Route::service).contains("inner");
        assertThat(reversed.match("/a/b/c")).map(Route::service).contains("inner");
        assertThat(nested.match("/a/c")).map(Route::service).contains("outer");
    }

    @Test
    void aPrefixEndingInASlashMatchesAsPlainTextAndOthersMatchWholeSegments() {
        assertThat(new Route("/v3/https:/", "r").matches("/v3/https://host/x")).isTrue();
        assertThat(new Route("/v3/search", "s").matches("/v3/search/x")).isTrue();
        assertThat(new Route("/v3/search", "s").matches("/v3/search")).isTrue();
        assertThat(new Route("/v3/search", "s").matches("/v3/searchx")).isFalse();
    }

    @Test
    void listsEachRoutedServiceOnce() {
        assertThat(table.services())
                .containsExactly(
                        RouteTable.INGEST_SERVICE,
                        RouteTable.MEMORY_WRITER,
                        RouteTable.ROUTER_SERVICE,
                        RouteTable.SEARCH_SERVICE);
    }

    @Test
    void rejectsDuplicatePrefixesAndRelativePrefixes() {
        assertThatThrownBy(() -> new RouteTable(List.of(new Route("/a", "x"), new Route("/a", "y"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> new Route("v3/search", "s")).isInstanceOf(IllegalArgumentException.class);
    }
}
