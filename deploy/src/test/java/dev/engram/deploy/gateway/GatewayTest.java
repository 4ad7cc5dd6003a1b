package dev.engram.deploy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of two tiny Vert.x backends standing in for ingest-service and router-service;
 * search-service and memory-writer point at ports where nothing listens.
 */
class GatewayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static Vertx vertx;
    private static Gateway gateway;
    private static HttpClient http;
    private static int deadPort;

    /** Completed by the ingest backend when the first bytes of a streamed upload reach it. */
    private static volatile CompletableFuture<Long> uploadStarted = new CompletableFuture<>();
    /** Completed by the test to let the router backend send the second event. */
    private static volatile CompletableFuture<Void> releaseSecondEvent = new CompletableFuture<>();
    /** The headers the router backend last received. */
    private static volatile MultiMap routerHeaders;

    @BeforeAll
    static void startGatewayAndBackends() throws Exception {
        vertx = Vertx.vertx();
        HttpServer ingest = listen(vertx.createHttpServer().requestHandler(GatewayTest::ingest));
        HttpServer router = listen(vertx.createHttpServer().requestHandler(GatewayTest::router));
        deadPort = freePort();
        gateway = Gateway.start(GatewayOptions.of(
                "127.0.0.1",
                0,
                RouteTable.engram(),
                List.of(
                        new Backend(RouteTable.INGEST_SERVICE, "127.0.0.1", ingest.actualPort()),
                        new Backend(RouteTable.ROUTER_SERVICE, "127.0.0.1", router.actualPort()),
                        new Backend(RouteTable.SEARCH_SERVICE, "127.0.0.1", deadPort),
                        new Backend("memory-writer", "127.0.0.1", deadPort))));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(PATIENCE)
                .build();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        gateway.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void routesByPathAndPassesHeadersQueryAndBodyThroughBothWays() throws Exception {
        HttpResponse<String> response = http.send(
                request("/v3/documents/abc?includeContent=true")
                        .header("Authorization", "Bearer engram-dev-key")
                        .header("X-Custom", "kept")
                        .header("Content-Type", "application/json")
                        .method("PATCH", BodyPublishers.ofString("{\"content\":\"hello\"}"))
                        .build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Served-By")).contains("ingest-service");
        JsonObject seen = new JsonObject(response.body());
        assertThat(seen.getString("method")).isEqualTo("PATCH");
        assertThat(seen.getString("uri")).isEqualTo("/v3/documents/abc?includeContent=true");
        assertThat(seen.getString("body")).isEqualTo("{\"content\":\"hello\"}");
        JsonObject headers = seen.getJsonObject("headers");
        assertThat(headers.getString("authorization")).isEqualTo("Bearer engram-dev-key");
        assertThat(headers.getString("x-custom")).isEqualTo("kept");
        assertThat(headers.getString("content-type")).isEqualTo("application/json");
        assertThat(headers.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(headers.getString("x-forwarded-proto")).isEqualTo("http");
    }

    @Test
    void streamsServerSentEventsFromTheRouterEventByEvent() throws Exception {
        releaseSecondEvent = new CompletableFuture<>();
        HttpResponse<InputStream> response = http.send(
                request("/v3/https://api.openai.com/v1/chat/completions")
                        .header("Authorization", "Bearer sk-provider")
                        .header("x-sm-user-id", "u1")
                        .POST(BodyPublishers.ofString("{\"stream\":true}"))
                        .build(),
                BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        try (BufferedReader events =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // The backend holds the second event back until the first has reached us: a buffering proxy hangs here.
            String first = assertTimeoutPreemptively(PATIENCE, events::readLine);
            assertThat(first).isEqualTo("data: one");
            releaseSecondEvent.complete(null);
            List<String> rest = new ArrayList<>();
            for (String line = events.readLine(); line != null; line = events.readLine()) {
                rest.add(line);
            }
            assertThat(rest).containsExactly("", "data: two", "");
        }
        assertThat(routerHeaders.get("Authorization")).isEqualTo("Bearer sk-provider");
        assertThat(routerHeaders.get("x-sm-user-id")).isEqualTo("u1");
    }

    @Test
    void streamsARequestBodyToTheBackendBeforeTheClientHasSentAllOfIt() throws Exception {
        uploadStarted = new CompletableFuture<>();
        byte[] firstPart = new byte[64 * 1024];
        byte[] secondPart = new byte[64 * 1024];
        InputStream heldBackBody = new HeldBackBody(firstPart, secondPart, uploadStarted);

        HttpResponse<String> response = http.send(
                request("/v3/documents/stream-in")
                        .POST(BodyPublishers.ofInputStream(() -> heldBackBody))
                        .build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(uploadStarted.getNow(-1L)).isBetween(1L, (long) firstPart.length);
        assertThat(new JsonObject(response.body()).getLong("bytes")).isEqualTo(firstPart.length + secondPart.length);
    }

    @Test
    void carriesALargeUploadIntactEvenWhenTheClientAsksToContinue() throws Exception {
        byte[] upload = new byte[48 * 1024 * 1024];
        new Random(7).nextBytes(upload);

        HttpResponse<String> response = http.send(
                request("/v3/documents/file")
                        .expectContinue(true)
                        .header("Content-Type", "application/octet-stream")
                        .POST(BodyPublishers.ofByteArray(upload))
                        .build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject received = new JsonObject(response.body());
        assertThat(received.getLong("bytes")).isEqualTo(upload.length);
        assertThat(received.getString("sha256")).isEqualTo(sha256(upload));
    }

    @Test
    void answersASupermemoryShaped404ForAPathNoServiceServes() throws Exception {
        HttpResponse<String> response = http.send(request("/v2/unknown").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(new JsonObject(response.body()))
                .isEqualTo(new JsonObject()
                        .put("error", "Not found")
                        .put("details", "No Engram service serves /v2/unknown"));
    }

    @Test
    void answers502WithTheReasonWhenTheServiceIsDown() throws Exception {
        HttpResponse<String> response = http.send(
                request("/v4/search")
                        .header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString("{\"q\":\"hello\"}"))
                        .build(),
                BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("error")).isEqualTo("Bad gateway");
        assertThat(error.getString("details")).startsWith("search-service is not reachable at 127.0.0.1:" + deadPort);
    }

    @Test
    void reportsEachBackendsReadinessOnItsOwnHealthEndpoint() throws Exception {
        HttpResponse<String> response = http.send(request("/health").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        JsonObject health = new JsonObject(response.body());
        assertThat(health.getString("status")).isEqualTo("DOWN");
        JsonArray services = health.getJsonArray("services");
        assertThat(services.stream()
                        .map(s -> ((JsonObject) s).getString("service") + "=" + ((JsonObject) s).getString("status")))
                .containsExactly("ingest-service=UP", "memory-writer=DOWN", "router-service=UP", "search-service=DOWN");
    }

    // ---- the backends

    private static void ingest(HttpServerRequest request) {
        if (request.path().equals(HealthProbe.READINESS_PATH)) {
            request.response().end("{\"status\":\"UP\"}");
            return;
        }
        switch (request.path()) {
            case "/v3/documents/stream-in" -> countStreamedUpload(request);
            case "/v3/documents/file" -> digestUpload(request);
            default -> echo(request);
        }
    }

    private static void echo(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            request.response()
                    .putHeader("X-Served-By", "ingest-service")
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("method", request.method().name())
                            .put("uri", request.uri())
                            .put("body", body.toString())
                            .put("headers", headers)
                            .encode());
        });
    }

    private static void countStreamedUpload(HttpServerRequest request) {
        long[] bytes = {0};
        request.handler(chunk -> {
            bytes[0] += chunk.length();
            uploadStarted.complete(bytes[0]);
        });
        request.endHandler(end ->
                request.response().end(new JsonObject().put("bytes", bytes[0]).encode()));
    }

    private static void digestUpload(HttpServerRequest request) {
        MessageDigest digest = sha256Digest();
        long[] bytes = {0};
        request.handler(chunk -> {
            bytes[0] += chunk.length();
            digest.update(chunk.getBytes());
        });
        request.endHandler(end -> request.response()
                .end(new JsonObject()
                        .put("bytes", bytes[0])
                        .put("sha256", HexFormat.of().formatHex(digest.digest()))
                        .encode()));
    }

    private static void router(HttpServerRequest request) {
        if (request.path().equals(HealthProbe.READINESS_PATH)) {
            request.response().end("{\"status\":\"UP\"}");
            return;
        }
        routerHeaders = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        request.body().onSuccess(body -> {
            var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            response.write("data: one\n\n");
            Future.fromCompletionStage(releaseSecondEvent, vertx.getOrCreateContext())
                    .onComplete(released -> response.end("data: two\n\n"));
        });
    }

    // ---- helpers

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(PATIENCE);
    }

    private static HttpServer listen(HttpServer server) throws Exception {
        return server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256Digest().digest(bytes));
    }

    /** A request body that sends its second part only after the backend has received bytes of the first. */
    private static final class HeldBackBody extends InputStream {
        private final byte[] first;
        private final byte[] second;
        private final CompletableFuture<Long> backendReceived;
        private int position;
        private boolean released;

        HeldBackBody(byte[] first, byte[] second, CompletableFuture<Long> backendReceived) {
            this.first = first;
            this.second = second;
            this.backendReceived = backendReceived;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position == first.length && !released) {
                try {
                    backendReceived.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    throw new IOException("The backend never saw the first part: the gateway buffers uploads", e);
                } catch (Exception e) {
                    throw new IOException(e);
                }
                released = true;
            }
            int total = first.length + second.length;
            if (position >= total) {
                return -1;
            }
            int count;
            if (position < first.length) {
                count = Math.min(length, first.length - position);
                System.arraycopy(first, position, buffer, offset, count);
            } else {
                count = Math.min(length, total - position);
                System.arraycopy(second, position - first.length, buffer, offset, count);
            }
            position += count;
            return count;
        }
    }
}
