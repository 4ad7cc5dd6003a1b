package dev.engram.router.support;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * ingest-service's {@code GET /v4/conversations/{conversationId}?containerTag=} as the router sees it, scripted: the
 * stored turns of each conversation (404 for any other), or a delay, or an error status. Records the requests it
 * received. For backfill tests; the real endpoint is tested in ingest-service.
 */
public final class ScriptedHistory extends ScriptedServer {

    /** A request as ingest received it. */
    public record Received(String conversationId, String containerTag, String authorization) {}

    private static final String PREFIX = "/v4/conversations/";

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private volatile long delayMillis;
    private volatile int status = 200;

    ScriptedHistory() {
        serve(exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String query = exchange.getRequestURI().getRawQuery();
                String tag = query != null && query.startsWith("containerTag=")
                        ? URLDecoder.decode(query.substring("containerTag=".length()), StandardCharsets.UTF_8)
                        : null;
                String conversationId = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
                received.add(new Received(
                        conversationId, tag, exchange.getRequestHeaders().getFirst("Authorization")));
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                String messages = stored.get(key(tag, conversationId));
                int code = status != 200 ? status : messages == null ? 404 : 200;
                String body = code == 200
                        ? "{\"conversationId\":\"" + conversationId + "\",\"containerTag\":\"" + tag
                                + "\",\"messages\":" + messages + "}"
                        : "{\"error\":\"Not found\",\"details\":\"scripted\"}";
                answerJson(exchange, code, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the router gave up waiting: expected in the slow-history tests
            }
        });
    }

    private static String key(String tag, String conversationId) {
        return tag + "\n" + conversationId;
    }

    /** Stores a conversation: {@code messagesJson} is the answer's {@code messages} array. */
    public void stores(String containerTag, String conversationId, String messagesJson) {
        stored.put(key(containerTag, conversationId), messagesJson);
    }

    /** Answers only after {@code millis}. */
    public void slow(long millis) {
        delayMillis = millis;
    }

    /** Answers with {@code code} and an error body. */
    public void failsWith(int code) {
        status = code;
    }

    /** Nothing stored, no delay, nothing recorded. */
    public void reset() {
        stored.clear();
        delayMillis = 0;
        status = 200;
        received.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }
}
