package dev.engram.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible provider that answers at once, for measuring what sits in front of it: {@code POST
 * /v1/chat/completions} answers a fixed completion as JSON, or, when the body asks for {@code "stream": true}, as
 * five Server-Sent Events and {@code [DONE]}. It reads the whole request and ignores it otherwise. Loopback only.
 */
final class InstantProvider implements AutoCloseable {

    /** The assistant's text, in the JSON answer and spread over the streamed chunks. */
    static final String ANSWER = "Here is an answer from the instant provider.";

    private static final byte[] JSON_ANSWER =
            ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1,"
                            + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                            + ANSWER
                            + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":9,"
                            + "\"total_tokens\":19}}")
                    .getBytes(StandardCharsets.UTF_8);
    private static final byte[] SSE_ANSWER = sse();

    private final HttpServer server;
    private final ExecutorService executor;

    private InstantProvider(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on a free port of 127.0.0.1. */
    static InstantProvider start() throws IOException {
        // The JDK server writes the headers and the body separately; with Nagle's algorithm on, the body of an answer
        // on a kept-alive connection waits for the client's delayed ACK (40 ms on Linux) - the provider would not be
        // instant. Read once, when the first server is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService executor = Executors.newFixedThreadPool(
                4, Thread.ofPlatform().name("instant-provider-", 0).daemon().factory());
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", InstantProvider::answer);
        server.start();
        return new InstantProvider(server, executor);
    }

    /** The provider's base URL, as a client would configure it: {@code http://127.0.0.1:<port>/v1}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            boolean stream =
                    new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
            exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
            byte[] answer = stream ? SSE_ANSWER : JSON_ANSWER;
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static byte[] sse() {
        StringBuilder events = new StringBuilder();
        String[] words = ANSWER.split("(?<= )");
        for (int chunk = 0; chunk < 5; chunk++) {
            String piece = String.join(
                    "", Arrays.copyOfRange(words, chunk * words.length / 5, (chunk + 1) * words.length / 5));
            events.append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1,")
                    .append("\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(piece)
                    .append("\"},\"finish_reason\":null}]}\n\n");
        }
        events.append("data: [DONE]\n\n");
        return events.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
