package dev.engram.router.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * search-service's {@code POST /v4/search} and {@code POST /v4/profile} as the router sees them, scripted: memories to
 * return (and static profile facts), or a delay, or an error status. Records the bodies and {@code Authorization} headers it received. For fail-open tests; the real
 * search is tested in search-service.
 */
public final class ScriptedSearch extends ScriptedServer {

    /** A request as search received it ({@code traceparent}: the W3C trace context header, or {@code null}). */
    public record Received(String path, String authorization, String body, String traceparent) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile List<String> memories = List.of();
    private volatile List<String> staticFacts = List.of();
    private volatile long delayMillis;
    private volatile int status = 200;

    ScriptedSearch() {
        serve(exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        body,
                        exchange.getRequestHeaders().getFirst("traceparent")));
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
                answerJson(
                        exchange,
                        status,
                        status == 200 ? ok : "{\"error\":\"Internal error\",\"details\":\"scripted\"}");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the router gave up waiting: expected in the slow-search tests
            }
        });
    }

    private static String jsonList(List<String> texts) {
        return texts.stream().map(text -> "\"" + text + "\"").collect(Collectors.joining(",", "[", "]"));
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
}
