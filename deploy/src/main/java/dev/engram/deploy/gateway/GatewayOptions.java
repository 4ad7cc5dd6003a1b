package dev.engram.deploy.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the gateway needs to run.
 *
 * @param host the interface to listen on, e.g. {@code 0.0.0.0}
 * @param port the port to listen on; 0 picks a free one (tests)
 * @param routes which service serves which path
 * @param backends where each routed service listens, by service name
 * @param connectTimeout how long to wait for a backend's TCP connection before answering 502
 */
public record GatewayOptions(
        String host, int port, RouteTable routes, Map<String, Backend> backends, Duration connectTimeout) {

    public GatewayOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        backends = Map.copyOf(backends);
        for (String service : routes.services()) {
            if (!backends.containsKey(service)) {
                throw new IllegalArgumentException("No backend for routed service " + service);
            }
        }
    }

    /**
     * Options with a list of backends, keyed by their service names.
     *
     * @param host the interface to listen on
     * @param port the port to listen on
     * @param routes the route table
     * @param backends one per routed service (more are allowed: they show in {@code /health})
     * @return the options, with a 5 s connect timeout
     */
    public static GatewayOptions of(String host, int port, RouteTable routes, List<Backend> backends) {
        return new GatewayOptions(
                host,
                port,
                routes,
                backends.stream().collect(Collectors.toMap(Backend::service, Function.identity())),
                Duration.ofSeconds(5));
    }
}
