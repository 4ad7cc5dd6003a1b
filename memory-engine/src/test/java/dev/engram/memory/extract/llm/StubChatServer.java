package dev.engram.memory.extract.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} on 127.0.0.1 that records every request and plays a script:
 * each request takes the next scripted reply (the last one repeats).
 */
final class StubChatServer implements AutoCloseable {

    /** One request as received. */
    record Recorded(String path, String authorization, JsonNode body) {

        /** The text of every message, joined. */
        String allMessages() {
            StringBuilder text = new StringBuilder();
            body.path("messages")
                    .forEach(m -> text.append(m.path("content").asText()).append('\n'));
            return text.toString();
        }

        /** The content of the first message with {@code role}. */
        String message(String role) {
            for (JsonNode message : body.path("messages")) {
                if (role.equals(message.path("role").asText())) {
                    return message.path("content").asText();
                }
            }
            return null;
        }
    }

    /** A scripted reply: a status and body, or no answer at all until the server closes. */
    record Reply(int status, String body, boolean hang) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final CountDownLatch released = new CountDownLatch(1);

    StubChatServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    List<Recorded> requests() {
        return requests;
    }

    /** Next, answer 200 with a completion whose message content is {@code content}. */
    synchronized StubChatServer thenAnswer(String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-stub").put("object", "chat.completion").put("model", "stub");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        script.add(new Reply(200, body.toString(), false));
        return this;
    }

    /** Next, answer {@code status} with {@code body} as is. */
    synchronized StubChatServer thenRaw(int status, String body) {
        script.add(new Reply(status, body, false));
        return this;
    }

    /** Next, answer {@code status} with an OpenAI-shaped error. */
    synchronized StubChatServer thenFail(int status, String message) {
        return thenRaw(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\"}}");
    }

    /** Next, hold the request without answering until the server closes. */
    synchronized StubChatServer thenHang() {
        script.add(new Reply(0, "", true));
        return this;
    }

    private synchronized Reply next() {
        return script.size() > 1 ? script.poll() : script.peek();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(new Recorded(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    body));
            Reply reply = next();
            if (reply == null) {
                send(exchange, 500, "{\"error\":\"no scripted reply\"}");
            } else if (reply.hang()) {
                released.await(30, TimeUnit.SECONDS);
            } else {
                send(exchange, reply.status(), reply.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
