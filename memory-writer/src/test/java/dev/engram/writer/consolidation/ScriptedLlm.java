package dev.engram.writer.consolidation;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenAI-compatible chat endpoint that answers what the test scripts: the LLM provider, outside the system,
 * stubbed at the HTTP boundary. Requests are recorded.
 */
public class ScriptedLlm implements QuarkusTestResourceLifecycleManager {

    /** An HTTP answer. */
    public record Answer(int status, String body) {

        /** A 200 chat completion whose message content is {@code content}. */
        public static Answer completion(String content) {
            String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            return new Answer(
                    200,
                    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped + "\"},"
                            + "\"finish_reason\":\"stop\"}]}");
        }
    }

    private static final AtomicReference<Answer> NEXT = new AtomicReference<>(new Answer(500, "{}"));
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** Every following request gets {@code answer}. */
    public static void answer(Answer answer) {
        NEXT.set(answer);
    }

    /** The bodies of the requests received so far. */
    public static List<String> requests() {
        return List.copyOf(REQUESTS);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/chat/completions", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                REQUESTS.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Answer answer = NEXT.get();
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return Map.of(
                "writer.extraction.llm.base-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "writer.extraction.llm.model",
                "scripted-model");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
