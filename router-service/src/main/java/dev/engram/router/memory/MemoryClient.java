package dev.engram.router.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks search-service for the memories relevant to a turn in one container tag, over a pooled non-blocking HTTP
 * client: {@code POST /v4/profile} with {@code q} (the relevant memories and the static profile facts in one call) when
 * {@code router.memory.include-profile} is on, else {@code POST /v4/search}. The whole call is bounded by {@code router.memory.timeout}; any failure
 * comes back as a failed future with a {@link MemoryUnavailableException} saying what went wrong, for the caller to
 * fail open.
 */
@ApplicationScoped
public class MemoryClient {

    /** Longest query sent to search: the head of a very long turn says enough about what it is about. */
    static final int MAX_QUERY_CHARS = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;

    @Inject
    RouterConfig config;

    @Inject
    AuthConfig auth;

    private HttpClient client;
    private String searchUri;
    private String profileUri;

    @PostConstruct
    void open() {
        RouterConfig.Memory memory = config.memory();
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setConnectTimeout((int)
                        memory.timeout().toMillis()));
        String base = memory.searchUrl().toString();
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        searchUri = root + "/v4/search";
        profileUri = root + "/v4/profile";
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * The memory texts for {@code query} in {@code containerTag}, best first: at most {@code router.memory.top-k}
     * relevant memories, then (with the profile) the static profile facts.
     *
     * @return a future failed with {@link MemoryUnavailableException} when search is down, erring or too slow
     */
    public Future<List<String>> recall(String containerTag, String query) {
        RouterConfig.Memory memory = config.memory();
        long timeoutMillis = memory.timeout().toMillis();
        boolean profile = memory.includeProfile();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("q", query.length() > MAX_QUERY_CHARS ? query.substring(0, MAX_QUERY_CHARS) : query);
        body.put("containerTag", containerTag);
        body.put("threshold", memory.threshold());
        if (!profile) {
            body.put("searchMode", "memories");
            body.put("limit", memory.topK());
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(profile ? profileUri : searchUri)
                .setIdleTimeout(timeoutMillis)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        auth.bootstrapKey().ifPresent(key -> options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key));

        Promise<List<String>> result = Promise.promise();
        long timer = vertx.setTimer(
                timeoutMillis,
                id -> result.tryFail(new MemoryUnavailableException(
                        "memory-timeout", "search did not answer within " + timeoutMillis + " ms")));
        client.request(options)
                .compose(request -> request.send(Buffer.buffer(body.toString())))
                .compose(response -> response.body().map(bytes -> {
                    if (response.statusCode() != 200) {
                        throw new MemoryUnavailableException(
                                "memory-error", "search answered " + response.statusCode());
                    }
                    return memories(bytes, profile, memory.topK());
                }))
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.succeeded()) {
                        result.tryComplete(done.result());
                    } else if (done.cause() instanceof MemoryUnavailableException unavailable) {
                        result.tryFail(unavailable);
                    } else {
                        result.tryFail(new MemoryUnavailableException(
                                "memory-unavailable",
                                "search is unreachable ("
                                        + done.cause().getClass().getSimpleName() + ")"));
                    }
                });
        return result.future();
    }

    private static List<String> memories(Buffer bytes, boolean profile, int topK) {
        JsonNode answer;
        try {
            answer = JSON.readTree(bytes.getBytes());
        } catch (IOException e) {
            throw new MemoryUnavailableException("memory-error", "search answered something that is not JSON");
        }
        if (answer == null) {
            throw new MemoryUnavailableException("memory-error", "search answered nothing");
        }
        JsonNode results = profile ? answer.path("searchResults").get("results") : answer.get("results");
        if (results == null || !results.isArray()) {
            throw new MemoryUnavailableException("memory-error", "search answered without results");
        }
        List<String> memories = new ArrayList<>();
        for (JsonNode result : results) {
            JsonNode text = result.hasNonNull("memory") ? result.get("memory") : result.get("chunk");
            if (text != null && text.isTextual() && memories.size() < topK) {
                memories.add(text.asText());
            }
        }
        if (profile) {
            for (JsonNode fact : answer.path("profile").path("static")) {
                if (fact.isTextual()) {
                    memories.add(fact.asText());
                }
            }
        }
        return memories;
    }
}
