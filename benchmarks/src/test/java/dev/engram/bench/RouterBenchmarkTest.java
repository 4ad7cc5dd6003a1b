package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterBenchmarkTest {

    @Test
    void optionsHaveDefaultsAndOverrides() throws Exception {
        RouterOptions defaults = RouterOptions.parse(new String[0], Map.of());
        assertThat(defaults.baseUrl()).isEqualTo(URI.create("http://localhost:6767"));
        assertThat(defaults.requests()).isEqualTo(500);
        assertThat(defaults.warmUp()).isEqualTo(100);
        assertThat(defaults.memories()).isEqualTo(50);
        assertThat(defaults.userId()).startsWith("router-").endsWith("-user");

        RouterOptions given = RouterOptions.parse(
                new String[] {"--requests", "20", "--warm-up", "0", "--run-id", "r1", "--api-key", "secret"},
                Map.of("ENGRAM_BASE_URL", "http://engram:8080/"));
        assertThat(given.baseUrl()).isEqualTo(URI.create("http://engram:8080"));
        assertThat(given.requests()).isEqualTo(20);
        assertThat(given.warmUp()).isZero();
        assertThat(given.userId()).isEqualTo("r1-user");
        assertThat(given.toString()).doesNotContain("secret");
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--requests", "0"}, Map.of()))
                .hasMessageContaining("--requests");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--run-id", "a b"}, Map.of()))
                .hasMessageContaining("--run-id");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--memories", "5000"}, Map.of()))
                .hasMessageContaining("--memories");
        assertThatThrownBy(() -> RouterOptions.parse(new String[] {"--bogus", "1"}, Map.of()))
                .hasMessageContaining("--bogus");
    }

    @Test
    void anUnreachableStackIsUnusableNotAFailure() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RouterBenchmark.run(
                new String[] {"--base-url", "http://127.0.0.1:9"},
                Map.of(),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertThat(status).isEqualTo(RouterBenchmark.UNUSABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not reachable");
    }

    @Test
    void theInstantProviderAnswersPlainAndStreamedCompletions() throws Exception {
        try (InstantProvider provider = InstantProvider.start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create(provider.baseUrl() + "/chat/completions");

            HttpResponse<String> plain = http.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> streamed = http.send(
                    HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"stream\": true, \"messages\":[]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(plain.body()).contains("\"content\":\"" + InstantProvider.ANSWER + "\"");
            assertThat(streamed.headers().firstValue("content-type")).hasValue("text/event-stream");
            assertThat(streamed.body().split("\n\n")).hasSize(6).endsWith("data: [DONE]");
            String joined = streamed.body()
                    .lines()
                    .filter(line -> line.contains("\"content\":\""))
                    .map(line -> line.replaceAll(".*\"content\":\"([^\"]*)\".*", "$1"))
                    .reduce("", String::concat);
            assertThat(joined).isEqualTo(InstantProvider.ANSWER);
        }
    }
}
