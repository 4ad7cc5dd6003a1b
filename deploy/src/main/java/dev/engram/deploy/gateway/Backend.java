package dev.engram.deploy.gateway;

import java.util.Objects;

/**
 * Where one service listens.
 *
 * @param service the service name, as in the {@link RouteTable}
 * @param host the host the gateway connects to
 * @param port the service's HTTP port
 */
public record Backend(String service, String host, int port) {

    public Backend {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Not a TCP port: " + port);
        }
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:8081} */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }
}
