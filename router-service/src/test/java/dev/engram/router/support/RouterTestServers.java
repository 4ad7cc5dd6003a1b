package dev.engram.router.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the scripted provider, the scripted search and the scripted conversation history for the router under test and hands the router their
 * addresses: the provider is the default upstream and allowed as a private host (127.0.0.1); {@code localhost} and the
 * metadata address are allow-listed but not private, so the address check must refuse them.
 */
public class RouterTestServers implements QuarkusTestResourceLifecycleManager {

    /** Tokens a thread may have in these tests before its oldest turns are dropped. */
    public static final int THREAD_BUDGET = 2000;

    /** Publications that may wait for the broker at once in these tests. */
    public static final int MAX_IN_FLIGHT = 8;

    /** Largest body accepted in these tests. */
    public static final int MAX_REQUEST_BYTES = 200_000;

    private static ScriptedUpstream upstream;
    private static ScriptedSearch search;
    private static ScriptedHistory history;

    public static ScriptedUpstream upstream() {
        return upstream;
    }

    public static ScriptedSearch search() {
        return search;
    }

    public static ScriptedHistory history() {
        return history;
    }

    @Override
    public Map<String, String> start() {
        upstream = new ScriptedUpstream();
        search = new ScriptedSearch();
        history = new ScriptedHistory();
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "router.memory.search-url",
                search.url(),
                "router.memory.timeout",
                "400ms",
                "router.upstream.default-url",
                upstream.url() + "/v1",
                "router.upstream.allowed-hosts",
                "127.0.0.1,localhost,169.254.169.254,*.allowed.test",
                "router.upstream.private-hosts",
                "127.0.0.1",
                "router.thread.token-budget",
                Integer.toString(THREAD_BUDGET),
                "router.max-request-bytes",
                Integer.toString(MAX_REQUEST_BYTES),
                "router.conversations.max-in-flight",
                Integer.toString(MAX_IN_FLIGHT),
                "router.conversations.history-url",
                history.url(),
                "router.conversations.history-timeout",
                "400ms"));
        // ingest-service's key lookups are scripted beside its conversation history
        config.put("engram.auth.keys-url", history.url());
        config.put("engram.auth.cache-ttl", "1s");
        return config;
    }

    @Override
    public void stop() {
        upstream.close();
        search.close();
        history.close();
    }
}
