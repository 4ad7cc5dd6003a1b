package dev.engram.router.support;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * ingest-service as the router sees it, scripted: {@code GET /v4/conversations/{conversationId}?containerTag=} gives
 * the stored turns of each conversation (404 for any other), or a delay, or an error status; {@code GET /v3/auth/key}
 * says who a registered key is (401 for any other). Records the conversation requests it received. The real endpoints
 * are tested in ingest-service.
 */
public final class ScriptedHistory extends ScriptedServer {

    /** A request as ingest received it. */
    public record Received(String conversationId, String containerTag, String authorization) {}

    private static final String PREFIX = "/v4/conversations/";

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, String> stored = new ConcurrentHashMap<>();
    private volatile long delayMillis;
    private volatile int status = 200;

    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger keyLookups =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile int keyStatus = 0;

    ScriptedHistory() {
        serve(exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (path.equals("/v3/auth/key")) {
                    keyLookups.incrementAndGet();
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    String key = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
                    String who = keys.get(key);
                    int code = keyStatus != 0 ? keyStatus : who == null ? 401 : 200;
                    answerJson(exchange, code, who == null ? "{\"error\":\"Unauthorized\",\"details\":\"no\"}" : who);
                    return;
                }
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

    /** Makes {@code GET /v3/auth/key} answer for {@code key} with {@code whoJson}. */
    public void knowsKey(String key, String whoJson) {
        keys.put(key, whoJson);
    }

    /** Makes every key lookup answer {@code code} (0: as registered). */
    public void keyLookupsAnswer(int code) {
        keyStatus = code;
    }

    /** Key lookups received so far. */
    public int keyLookups() {
        return keyLookups.get();
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
