package dev.engram.router.upstream;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An upstream endpoint the policy accepted, pinned to the address that was checked (so a second DNS answer cannot
 * point the connection somewhere else).
 *
 * @param ssl whether to speak TLS
 * @param host the host as written in the URL: the {@code Host} header, TLS server name and certificate check use it
 * @param port the port
 * @param path the request path and query on the upstream, e.g. {@code /v1/chat/completions}
 * @param address the checked address to connect to
 */
public record UpstreamTarget(boolean ssl, String host, int port, String path, InetAddress address) {

    public UpstreamTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(address, "address");
    }
}
