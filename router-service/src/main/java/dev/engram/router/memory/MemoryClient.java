package dev.engram.router.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.engram.router.config.RouterConfig;
import dev.engram.router.services.BoundedCall;
import dev.engram.router.services.ServiceUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.Optional;

/**
 * Asks search-service for the memories relevant to a turn in one container tag, over a pooled non-blocking HTTP
 * client: {@code POST /v4/profile} with {@code q} (the relevant memories and the static profile facts in one call) when
 * {@code router.memory.include-profile} is on, else {@code POST /v4/search}. The whole call is bounded by {@code router.memory.timeout}; any failure
 * comes back as a failed future with a {@link ServiceUnavailableException} saying what went wrong, for the caller to
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

    private BoundedCall call;
    private String searchUri;
    private String profileUri;

    @PostConstruct
    void open() {
        RouterConfig.Memory memory = config.memory();
        call = new BoundedCall(
                vertx, BoundedCall.client(vertx, memory.timeout()), "search", "memory", memory.timeout());
        String root = BoundedCall.root(memory.searchUrl());
        searchUri = root + "/v4/search";
        profileUri = root + "/v4/profile";
    }

    @PreDestroy
    void close() {
        call.client().close();
    }

    /**
     * The memory texts for {@code query} in {@code containerTag}, best first: at most {@code router.memory.top-k}
     * relevant memories, then (with the profile) the static profile facts.
     *
     * @return a future failed with {@link ServiceUnavailableException} when search is down, erring or too slow
     */
    public Future<List<String>> recall(String engramKey, String containerTag, String query) {
        RouterConfig.Memory memory = config.memory();
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
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        return call.send(options, Buffer.buffer(body.toString()), Optional.of(engramKey), (status, bytes) -> {
            if (status != 200) {
                throw call.error("search answered " + status);
            }
            return memories(bytes, profile, memory.topK());
        });
    }

    private List<String> memories(Buffer bytes, boolean profile, int topK) {
        JsonNode answer;
        try {
            answer = JSON.readTree(bytes.getBytes());
        } catch (IOException e) {
            throw call.error("search answered something that is not JSON");
        }
        if (answer == null) {
            throw call.error("search answered nothing");
        }
        JsonNode results = profile ? answer.path("searchResults").get("results") : answer.get("results");
        if (results == null || !results.isArray()) {
            throw call.error("search answered without results");
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
