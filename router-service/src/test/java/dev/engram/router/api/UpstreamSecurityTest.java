package dev.engram.router.api;

import static dev.engram.router.support.RouterCalls.ENGRAM_KEY;
import static dev.engram.router.support.RouterCalls.PROVIDER_KEY;
import static dev.engram.router.support.RouterCalls.chatPath;
import static dev.engram.router.support.RouterCalls.messagesPath;
import static dev.engram.router.support.RouterCalls.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.router.support.RouterTestServers;
import dev.engram.router.support.ScriptedUpstream;
import dev.engram.testsupport.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router is not an open proxy: hosts off the allow-list, and allowed hosts that resolve to loopback, private or
 * link-local addresses without being configured as private, are refused with a reason; the provider never hears of
 * it. Oversized bodies are refused before they are read whole.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RouterTestServers.class, scope = TestResourceScope.GLOBAL)
class UpstreamSecurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    private ScriptedUpstream upstream;

    @BeforeEach
    void reset() {
        upstream = RouterTestServers.upstream();
        upstream.reset();
        RouterTestServers.search().reset();
    }

    @Test
    void refusesAHostThatIsNotOnTheAllowList() throws Exception {
        JsonNode error = refused(chatPath("https://evil.example.com/v1"), 403);

        assertThat(error.get("type").asText()).isEqualTo("permission_error");
        assertThat(error.get("code").asText()).isEqualTo("upstream_not_allowed");
        assertThat(error.get("message").asText())
                .isEqualTo("the provider host evil.example.com is not on this router's allow-list"
                        + " (router.upstream.allowed-hosts)");
    }

    @Test
    void refusesTheMetadataServiceEvenWhenAllowListed() throws Exception {
        JsonNode error = refused(chatPath("http://169.254.169.254/latest"), 403);

        assertThat(error.get("message").asText()).contains("resolves to a link-local address");
    }

    @Test
    void refusesAnAllowListedNameThatResolvesToLoopback() throws Exception {
        JsonNode error = refused(chatPath("http://localhost:" + upstream.port() + "/v1"), 403);

        assertThat(error.get("message").asText())
                .contains("localhost resolves to a loopback address")
                .contains("router.upstream.private-hosts");
    }

    @Test
    void refusesAnAllowListedWildcardHostThatDoesNotResolve() throws Exception {
        JsonNode error = refused(chatPath("https://nowhere.allowed.test/v1"), 403);

        assertThat(error.get("message").asText()).isEqualTo("the provider host nowhere.allowed.test does not resolve");
    }

    @Test
    void refusesSchemesOtherThanHttp() throws Exception {
        JsonNode error = refused(chatPath("ftp://127.0.0.1/v1"), 400);

        assertThat(error.get("code").asText()).isEqualTo("invalid_provider_url");
    }

    @Test
    void refusesWithAnAnthropicShapedErrorOnMessages() throws Exception {
        HttpResponse<String> response = post(
                messagesPath("https://evil.example.com/v1"),
                BODY,
                "x-api-key",
                PROVIDER_KEY,
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(body.at("/error/message").asText()).contains("not on this router's allow-list");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void refusesABodyOverTheSizeLimit() throws Exception {
        String big = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(RouterTestServers.MAX_REQUEST_BYTES) + "\"}]}";

        JsonNode error = refused(chatPath(upstream.url() + "/v1"), 413, big);

        assertThat(error.get("code").asText()).isEqualTo("request_too_large");
        assertThat(error.get("message").asText()).contains("router.max-request-bytes");
    }

    @Test
    void theProviderUrlMayHaveItsDoubleSlashCollapsedOrBeEncoded() {
        HttpResponse<String> collapsed =
                post(chatPath("http:/127.0.0.1:" + upstream.port() + "/v1"), BODY, "x-supermemory-api-key", ENGRAM_KEY);
        HttpResponse<String> encoded = post(
                chatPath("http%3A%2F%2F127.0.0.1%3A" + upstream.port() + "%2Fv1"),
                BODY,
                "x-supermemory-api-key",
                ENGRAM_KEY);

        assertThat(collapsed.statusCode()).isEqualTo(200);
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(upstream.received())
                .extracting(ScriptedUpstream.Received::path)
                .containsExactly("/v1/chat/completions", "/v1/chat/completions");
    }

    private JsonNode refused(String path, int status) throws Exception {
        return refused(path, status, BODY);
    }

    private JsonNode refused(String path, int status, String body) throws Exception {
        HttpResponse<String> response =
                post(path, body, "Authorization", "Bearer " + PROVIDER_KEY, "x-supermemory-api-key", ENGRAM_KEY);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(upstream.received()).isEmpty();
        return JSON.readTree(response.body()).get("error");
    }
}
