package dev.engram.router.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.engram.core.events.ConversationMessage;
import dev.engram.router.config.RouterConfig;
import dev.engram.router.services.BoundedCall;
import dev.engram.router.services.ServiceUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a conversation's stored turns from ingest-service ({@code GET /v4/conversations/{conversationId}?containerTag=})
 * over a pooled non-blocking HTTP client, for the router to backfill the earlier turns of a client that sends only the
 * new one. The whole call is bounded by {@code router.conversations.history-timeout}; a conversation ingest-service
 * does not know (404) has no turns; any other failure comes back as a failed future with a {@link
 * ServiceUnavailableException}, for the caller to fail open.
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

    private BoundedCall call;
    private String conversationsUri;

    @PostConstruct
    void open() {
        RouterConfig.Conversations conversations = config.conversations();
        Duration timeout = conversations.historyTimeout();
        call = new BoundedCall(vertx, BoundedCall.client(vertx, timeout), "ingest", "history", timeout);
        conversationsUri = BoundedCall.root(conversations.historyUrl()) + "/v4/conversations/";
    }

    @PreDestroy
    void close() {
        call.client().close();
    }

    /**
     * The stored turns of {@code conversationId} in {@code containerTag}, oldest first; empty when none are stored.
     *
     * @return a future failed with {@link ServiceUnavailableException} when ingest-service is down, erring or too slow
     */
    public Future<List<ConversationMessage>> turns(String engramKey, String containerTag, String conversationId) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(conversationsUri
                        + URLEncoder.encode(conversationId, StandardCharsets.UTF_8)
                        + "?containerTag=" + URLEncoder.encode(containerTag, StandardCharsets.UTF_8));
        return call.send(options, null, Optional.of(engramKey), (status, bytes) -> switch (status) {
            case 200 -> messages(bytes);
            case 404 -> List.<ConversationMessage>of();
            default -> throw call.error("ingest answered " + status);
        });
    }

    private List<ConversationMessage> messages(Buffer bytes) {
        try {
            JsonNode messages = JSON.readTree(bytes.getBytes()).get("messages");
            if (messages == null || !messages.isArray()) {
                throw call.error("ingest answered without messages");
            }
            List<ConversationMessage> turns = new ArrayList<>(messages.size());
            for (JsonNode message : messages) {
                turns.add(JSON.treeToValue(message, ConversationMessage.class));
            }
            return turns;
        } catch (ServiceUnavailableException e) {
            throw e;
        } catch (Exception e) { // not JSON, or a turn that breaks ConversationMessage's rules
            throw call.error("ingest answered turns that cannot be read");
        }
    }
}
