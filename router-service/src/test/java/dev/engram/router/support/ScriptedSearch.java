package dev.engram.router.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * search-service's {@code POST /v4/search} and {@code POST /v4/profile} as the router sees them, scripted: memories to
 * return (and static profile facts), or a delay, or an error status. Records the bodies and {@code Authorization} headers it received. For fail-open tests; the real
 * search is tested in search-service.
 */
public final class ScriptedSearch implements AutoCloseable {

    /** A request as search received it. */
    public record Received(String path, String authorization, String body) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile List<String> memories = List.of();
    private volatile List<String> staticFacts = List.of();
    private volatile long delayMillis;
    private volatile int status = 200;

    ScriptedSearch() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        body));
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                StringBuilder results = new StringBuilder();
                for (int i = 0; i < memories.size(); i++) {
                    results.append(i == 0 ? "" : ",")
                            .append("{\"id\":\"m")
                            .append(i)
                            .append("\",\"memory\":\"")
                            .append(memories.get(i))
                            .append("\",\"metadata\":{},\"similarity\":0.9,\"updatedAt\":\"2026-01-01T00:00:00Z\"}");
                }
                String search = "{\"results\":[" + results + "],\"timing\":3,\"total\":" + memories.size() + "}";
                String ok = exchange.getRequestURI().getPath().equals("/v4/profile")
                        ? "{\"profile\":{\"static\":" + jsonList(staticFacts) + ",\"dynamic\":[\"a passing remark\"]},"
                                + "\"searchResults\":" + search + "}"
                        : search;
                byte[] answer = (status == 200 ? ok : "{\"error\":\"Internal error\",\"details\":\"scripted\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the router gave up waiting: expected in the slow-search tests
            }
        });
        server.start();
    }

    private static String jsonList(List<String> texts) {
        return texts.stream().map(text -> "\"" + text + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers with these memories, best first, at once and with 200, and no static profile facts. */
    public void returns(String... texts) {
        memories = List.of(texts);
        staticFacts = List.of();
        delayMillis = 0;
        status = 200;
    }

    /** The profile's static facts from now on. */
    public void staticFacts(String... facts) {
        staticFacts = List.of(facts);
    }

    /** Answers only after {@code millis}. */
    public void slow(long millis) {
        delayMillis = millis;
    }

    /** Answers with {@code code} and an error body. */
    public void failsWith(int code) {
        status = code;
    }

    /** No memories, no delay, 200, nothing recorded. */
    public void reset() {
        returns();
        received.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
