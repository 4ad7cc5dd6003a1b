package dev.engram.deploy.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Forwards one request to a backend and its response back, streaming both ways: request bodies (uploads) are
 * piped as they arrive, and response bodies (Server-Sent Events from the router) are passed on chunk by chunk.
 * Nothing is buffered beyond Vert.x's flow control.
 */
final class ProxyHandler {

    private static final System.Logger LOG = System.getLogger(ProxyHandler.class.getName());

    /** Headers that describe one connection, not the message; never forwarded (RFC 9110 §7.6.1). */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    private final HttpClient client;
    private final Duration connectTimeout;

    ProxyHandler(HttpClient client, Duration connectTimeout) {
        this.client = client;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Forwards a request. The caller must have paused the request in its handler, before any asynchronous step,
     * so no body bytes are lost.
     */
    void forward(HttpServerRequest request, Backend backend) {
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(backend.host())
                .setPort(backend.port())
                .setURI(request.uri())
                .setHeaders(requestHeaders(request))
                .setConnectTimeout(connectTimeout.toMillis());
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                request.resume();
                LOG.log(
                        Level.WARNING,
                        () -> backend.service() + " unreachable: "
                                + connected.cause().getMessage());
                ErrorResponses.badGateway(request.response(), backend, connected.cause());
                return;
            }
            exchange(request, connected.result(), backend);
        });
    }

    private void exchange(HttpServerRequest request, HttpClientRequest upstream, Backend backend) {
        HttpServerResponse response = request.response();
        // The client went away: stop the backend's work (an LLM stream, say) too.
        response.closeHandler(closed -> {
            if (!response.ended()) {
                upstream.reset();
            }
        });
        upstream.response().onComplete(answered -> {
            if (answered.failed()) {
                request.resume();
                if (response.headWritten()) {
                    response.reset();
                } else {
                    ErrorResponses.badGateway(response, backend, answered.cause());
                }
                return;
            }
            relayResponse(request, answered.result(), response);
        });
        if (hasBody(request)) {
            if (!upstream.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                upstream.setChunked(true);
            }
            // endOnFailure(false): a body cut short must not reach the backend as if it were complete.
            request.pipe().endOnFailure(false).to(upstream).onFailure(e -> upstream.reset(0, e));
        } else {
            request.resume();
            upstream.end();
        }
    }

    private static void relayResponse(
            HttpServerRequest request, HttpClientResponse upstreamResponse, HttpServerResponse response) {
        response.setStatusCode(upstreamResponse.statusCode());
        response.setStatusMessage(upstreamResponse.statusMessage());
        copyEndToEndHeaders(upstreamResponse.headers(), response.headers());
        if (!upstreamResponse.headers().contains(HttpHeaders.CONTENT_LENGTH)
                && mayHaveBody(request.method(), upstreamResponse.statusCode())) {
            response.setChunked(true);
        }
        upstreamResponse.pipe().endOnFailure(false).to(response).onFailure(e -> {
            // The head is out: the only honest signal left is to cut the connection.
            LOG.log(Level.DEBUG, () -> "Response stream from a backend broken: " + e);
            response.reset();
        });
    }

    private static MultiMap requestHeaders(HttpServerRequest request) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        copyEndToEndHeaders(request.headers(), headers);
        // Vert.x answers "Expect: 100-continue" itself; the backend gets the body without asking.
        headers.remove(HttpHeaders.EXPECT);
        // The client connection sets Host to the backend; the original Host goes in X-Forwarded-Host.
        headers.remove(HttpHeaders.HOST);
        String originalHost = request.headers().get(HttpHeaders.HOST);
        String clientAddress =
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        if (clientAddress != null) {
            String earlier = headers.get("X-Forwarded-For");
            headers.set("X-Forwarded-For", earlier == null ? clientAddress : earlier + ", " + clientAddress);
        }
        if (originalHost != null && !headers.contains("X-Forwarded-Host")) {
            headers.set("X-Forwarded-Host", originalHost);
        }
        if (!headers.contains("X-Forwarded-Proto")) {
            headers.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
        }
        return headers;
    }

    private static void copyEndToEndHeaders(MultiMap from, MultiMap to) {
        Set<String> named = namedInConnection(from);
        from.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    /** Headers listed in {@code Connection} are hop-by-hop too. */
    private static Set<String> namedInConnection(MultiMap headers) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        return Arrays.stream(connection.toLowerCase(Locale.ROOT).split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.headers().get(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !"0".equals(length));
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }
}
