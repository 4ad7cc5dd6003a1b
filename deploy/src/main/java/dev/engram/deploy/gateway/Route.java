package dev.engram.deploy.gateway;

import java.util.Objects;

/**
 * One row of the gateway's route table: requests whose path starts with {@code pathPrefix} go to the service
 * named {@code service}.
 *
 * <p>A prefix that ends with {@code /} matches any path that starts with it as a string (the Memory Router's
 * {@code /v3/https://…} paths need that). Any other prefix matches whole path segments only: {@code /v3/search}
 * matches {@code /v3/search} and {@code /v3/search/x}, never {@code /v3/searchx}.
 *
 * @param pathPrefix an absolute path prefix, starting with {@code /}
 * @param service the name of the service that serves it (the Maven module and Kubernetes Service name)
 */
public record Route(String pathPrefix, String service) {

    public Route {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        Objects.requireNonNull(service, "service");
        if (!pathPrefix.startsWith("/") || pathPrefix.length() < 2) {
            throw new IllegalArgumentException("A route prefix is an absolute path, got: " + pathPrefix);
        }
        if (service.isBlank()) {
            throw new IllegalArgumentException("A route needs a service name");
        }
    }

    /**
     * Tells whether this route serves a request path (without its query string).
     *
     * @param path the request path, e.g. {@code /v3/documents/abc}
     * @return true if the path is this prefix or lies under it
     */
    public boolean matches(String path) {
        if (!path.startsWith(pathPrefix)) {
            return false;
        }
        return pathPrefix.endsWith("/")
                || path.length() == pathPrefix.length()
                || path.charAt(pathPrefix.length()) == '/';
    }
}
