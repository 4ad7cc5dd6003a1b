package dev.engram.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} on 127.0.0.1 that records every request and answers as told:
 * vectors of a chosen dimension, or an error status, or nothing until it is closed.
 */
final class StubEmbeddingsServer implements AutoCloseable {

    /** One request as received. */
    record Recorded(String method, String path, String authorization, JsonNode body) {
        List<String> inputs() {
            return body.path("input").valueStream().map(JsonNode::asText).toList();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String errorBody = "";
    private volatile String retryAfter;
    private volatile int dimension = 4;
    private volatile boolean reversed;
    private volatile boolean hang;
    private volatile String rawBody;

    StubEmbeddingsServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/embeddings", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    List<Recorded> requests() {
        return requests;
    }

    /** Answer 200 with vectors of {@code length} components. */
    StubEmbeddingsServer vectorsOf(int length) {
        this.dimension = length;
        return this;
    }

    /** Answer 200 with the items of {@code data} in reverse order (each still carries its index). */
    StubEmbeddingsServer reversedOrder() {
        this.reversed = true;
        return this;
    }

    /** Answer {@code code} with an OpenAI-shaped error body carrying {@code message}. */
    StubEmbeddingsServer failWith(int code, String message) {
        this.status = code;
        this.errorBody = "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}";
        return this;
    }

    /** Add a {@code Retry-After} header to error answers. */
    StubEmbeddingsServer retryAfter(String seconds) {
        this.retryAfter = seconds;
        return this;
    }

    /** Answer 200 with this body as is. */
    StubEmbeddingsServer answerRaw(String body) {
        this.rawBody = body;
        return this;
    }

    /** Hold every request without answering until the server closes. */
    StubEmbeddingsServer hang() {
        this.hang = true;
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Recorded(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    body));
            if (hang) {
                released.await(30, TimeUnit.SECONDS);
                return;
            }
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            if (status != 200) {
                send(exchange, status, errorBody);
            } else if (rawBody != null) {
                send(exchange, 200, rawBody);
            } else {
                send(exchange, 200, vectorsFor(body.path("input").size()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Item i is (i+1) in every component but 3(i+1) at i mod dimension: its largest component tells its index. */
    private String vectorsFor(int count) {
        ObjectNode response = JSON.createObjectNode();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        for (int k = 0; k < count; k++) {
            int i = reversed ? count - 1 - k : k;
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            ArrayNode embedding = item.putArray("embedding");
            for (int d = 0; d < dimension; d++) {
                embedding.add(d == i % dimension ? (i + 1) * 3.0 : (i + 1));
            }
        }
        response.put("model", "stub");
        return response.toString();
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
