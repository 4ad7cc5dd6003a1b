package dev.engram.search.llm;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible chat endpoint that answers what the test scripts, per task: the LLM provider (outside the
 * system) stubbed at the HTTP boundary. A request gets the answer of the first scripted marker its body contains (the
 * tasks' system prompts differ), else a 500. Requests are recorded. Sets {@code search.llm.*} with a 1 s timeout.
 */
public class ScriptedChat implements QuarkusTestResourceLifecycleManager {

    /** Marker of the reranker's requests. */
    public static final String RERANK = "You rank search results";
    /** Marker of the query rewriter's requests. */
    public static final String REWRITE = "You rewrite search queries";
    /** Marker of the aggregator's requests. */
    public static final String AGGREGATE = "You combine a user's memories";

    /** An HTTP answer, sent after {@code delayMillis}. */
    public record Answer(int status, String body, long delayMillis) {

        /** A 200 chat completion whose message content is {@code content}. */
        public static Answer completion(String content) {
            String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            return new Answer(
                    200,
                    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped + "\"},"
                            + "\"finish_reason\":\"stop\"}]}",
                    0);
        }

        /** This answer, {@code millis} late. */
        public Answer delayed(long millis) {
            return new Answer(status, body, millis);
        }
    }

    private static final Map<String, Answer> SCRIPT = new ConcurrentHashMap<>();
    private static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    /** Requests containing {@code marker} get {@code answer} from now on. */
    public static void when(String marker, Answer answer) {
        SCRIPT.put(marker, answer);
    }

    /** Forgets the script and the recorded requests. */
    public static void reset() {
        SCRIPT.clear();
        REQUESTS.clear();
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
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/v1/chat/completions", exchange -> {
            String request;
            try (InputStream in = exchange.getRequestBody()) {
                request = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            REQUESTS.add(request);
            Answer answer = SCRIPT.entrySet().stream()
                    .filter(entry -> request.contains(entry.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(new Answer(500, "{\"error\":{\"message\":\"not scripted\"}}", 0));
            try {
                if (answer.delayMillis() > 0) {
                    Thread.sleep(answer.delayMillis());
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client gave up (a timeout test)
            } finally {
                exchange.close();
            }
        });
        server.start();
        return Map.of(
                "search.llm.base-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
                "search.llm.model",
                "scripted-model",
                "search.llm.api-key",
                "scripted-key",
                "search.llm.timeout",
                "1s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
