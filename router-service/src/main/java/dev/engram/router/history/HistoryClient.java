package dev.engram.router.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.engram.core.events.ConversationMessage;
import dev.engram.router.config.AuthConfig;
import dev.engram.router.config.RouterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a conversation's stored turns from ingest-service ({@code GET /v4/conversations/{conversationId}?containerTag=})
 * over a pooled non-blocking HTTP client, for the router to backfill the earlier turns of a client that sends only the
 * new one. The whole call is bounded by {@code router.conversations.history-timeout}; a conversation ingest-service
 * does not know (404) has no turns; any other failure comes back as a failed future with a {@link
 * HistoryUnavailableException}, for the caller to fail open.
 */
@ApplicationScoped
public class HistoryClient {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Inject
    Vertx vertx;

    @Inject
    RouterConfig config;

    @Inject
    AuthConfig auth;

    private HttpClient client;
    private String conversationsUri;

    @PostConstruct
    void open() {
        RouterConfig.Conversations conversations = config.conversations();
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setConnectTimeout((int)
                        conversations.historyTimeout().toMillis()));
        String base = conversations.historyUrl().toString();
        conversationsUri = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v4/conversations/";
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * The stored turns of {@code conversationId} in {@code containerTag}, oldest first; empty when none are stored.
     *
     * @return a future failed with {@link HistoryUnavailableException} when ingest-service is down, erring or too slow
     */
    public Future<List<ConversationMessage>> turns(String containerTag, String conversationId) {
        long timeoutMillis = config.conversations().historyTimeout().toMillis();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(conversationsUri
                        + URLEncoder.encode(conversationId, StandardCharsets.UTF_8)
                        + "?containerTag=" + URLEncoder.encode(containerTag, StandardCharsets.UTF_8))
                .setIdleTimeout(timeoutMillis)
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        auth.bootstrapKey().ifPresent(key -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key));

        Promise<List<ConversationMessage>> result = Promise.promise();
        long timer = vertx.setTimer(
                timeoutMillis,
                id -> result.tryFail(new HistoryUnavailableException(
                        "history-timeout", "ingest did not answer within " + timeoutMillis + " ms")));
        client.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(bytes -> switch (response.statusCode()) {
                    case 200 -> messages(bytes);
                    case 404 -> List.<ConversationMessage>of();
                    default ->
                        throw new HistoryUnavailableException(
                                "history-error", "ingest answered " + response.statusCode());
                }))
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.succeeded()) {
                        result.tryComplete(done.result());
                    } else if (done.cause() instanceof HistoryUnavailableException unavailable) {
                        result.tryFail(unavailable);
                    } else {
                        result.tryFail(new HistoryUnavailableException(
                                "history-unavailable",
                                "ingest is unreachable ("
                                        + done.cause().getClass().getSimpleName() + ")"));
                    }
                });
        return result.future();
    }

    private static List<ConversationMessage> messages(Buffer bytes) {
        try {
            JsonNode messages = JSON.readTree(bytes.getBytes()).get("messages");
            if (messages == null || !messages.isArray()) {
                throw new HistoryUnavailableException("history-error", "ingest answered without messages");
            }
            List<ConversationMessage> turns = new ArrayList<>(messages.size());
            for (JsonNode message : messages) {
                turns.add(JSON.treeToValue(message, ConversationMessage.class));
            }
            return turns;
        } catch (HistoryUnavailableException e) {
            throw e;
        } catch (Exception e) { // not JSON, or a turn that breaks ConversationMessage's rules
            throw new HistoryUnavailableException("history-error", "ingest answered turns that cannot be read");
        }
    }
}
