package dev.engram.deploy.gateway;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which Engram service serves which path: the single source of truth of the gateway, kept as plain data so the
 * Kubernetes Ingress can mirror it row by row.
 *
 * <p>When several routes match, the longest prefix wins, so the order of the rows never matters.
 */
public final class RouteTable {

    /** The service that owns documents, conversations, container tags, settings and API keys. */
    public static final String INGEST_SERVICE = "ingest-service";
    /** The single writer of memories: it serves the memory write API beside its Kafka pipeline. */
    public static final String MEMORY_WRITER = "memory-writer";
    /** The read-only search and profile service. */
    public static final String SEARCH_SERVICE = "search-service";
    /** The Memory Router, an LLM proxy that adds memories. */
    public static final String ROUTER_SERVICE = "router-service";

    /** Engram's routes: the whole Supermemory API behind one port. */
    public static final List<Route> ENGRAM_ROUTES = List.of(
            new Route("/v3/documents", INGEST_SERVICE),
            new Route("/v3/container-tags", INGEST_SERVICE),
            new Route("/v3/settings", INGEST_SERVICE),
            new Route("/v3/auth", INGEST_SERVICE),
            new Route("/v3/orgs", INGEST_SERVICE),
            new Route("/v4/memories", MEMORY_WRITER),
            new Route("/v4/conversations", INGEST_SERVICE),
            new Route("/v3/search", SEARCH_SERVICE),
            new Route("/v4/search", SEARCH_SERVICE),
            new Route("/v4/profile", SEARCH_SERVICE),
            // The Memory Router takes the provider's URL in the path: /v3/https://api.openai.com/v1/... (one slash
            // after the scheme too: some clients and proxies collapse the double slash, and the router reads both).
            new Route("/v3/http:/", ROUTER_SERVICE),
            new Route("/v3/https:/", ROUTER_SERVICE),
            new Route("/v1/", ROUTER_SERVICE));

    private final List<Route> routes;

    /**
     * @param routes the rows; prefixes must be unique
     */
    public RouteTable(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparingInt((Route r) -> r.pathPrefix().length())
                        .reversed())
                .toList();
        long distinct = routes.stream().map(Route::pathPrefix).distinct().count();
        if (distinct != routes.size()) {
            throw new IllegalArgumentException("Route prefixes must be unique: " + routes);
        }
    }

    /** @return the table of Engram's routes */
    public static RouteTable engram() {
        return new RouteTable(ENGRAM_ROUTES);
    }

    /**
     * Finds the route that serves a path.
     *
     * @param path the request path without its query string
     * @return the matching route with the longest prefix, or empty when no service serves the path
     */
    public Optional<Route> match(String path) {
        return routes.stream().filter(r -> r.matches(path)).findFirst();
    }

    /** @return the names of the services this table routes to, each once, sorted by name */
    public List<String> services() {
        return routes.stream().map(Route::service).distinct().sorted().toList();
    }

    /** @return the rows, longest prefix first */
    public List<Route> routes() {
        return routes;
    }
}
