package dev.engram.deploy.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Engram's single front door: a streaming reverse proxy that serves the whole API on one port, routing each
 * request by path prefix ({@link RouteTable}) to the service that owns it.
 *
 * <p>It answers two things itself: {@code GET /health} (the readiness of every backend, 200 when all are
 * ready, 503 otherwise) and a Supermemory-shaped 404 for paths no service serves. A backend it cannot reach
 * gets a 502 with the reason.
 */
public final class Gateway implements AutoCloseable {

    /** The gateway's own health endpoint. */
    public static final String HEALTH_PATH = "/health";

    private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_HEADER_SIZE = 64 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpClient client;
    private final HealthProbe probe;
    private final GatewayOptions options;

    private Gateway(Vertx vertx, HttpServer server, HttpClient client, GatewayOptions options) {
        this.vertx = vertx;
        this.server = server;
        this.client = client;
        this.options = options;
        this.probe = new HealthProbe(client, PROBE_TIMEOUT);
    }

    /**
     * Starts a gateway and waits until it listens.
     *
     * @param options where to listen and where the services are
     * @return the running gateway
     * @throws IllegalStateException if it cannot listen (the port is taken, say)
     */
    public static Gateway start(GatewayOptions options) {
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setKeepAlive(true)
                        .setMaxHeaderSize(MAX_HEADER_SIZE)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(128));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setCompressionSupported(false)
                .setHandle100ContinueAutomatically(true));
        Gateway gateway = new Gateway(vertx, server, client, options);
        ProxyHandler proxy = new ProxyHandler(client, options.connectTimeout());
        server.requestHandler(request -> gateway.handle(request, proxy));
        try {
            await(server.listen());
        } catch (RuntimeException e) {
            await(vertx.close());
            throw new IllegalStateException(
                    "The gateway cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        return gateway;
    }

    /** @return the port the gateway listens on (the actual one when started on port 0) */
    public int port() {
        return server.actualPort();
    }

    /** @return the readiness of every backend, sorted by service name; never fails */
    public Future<List<BackendHealth>> health() {
        return probe.probeAll(options.backends().values());
    }

    /** Stops listening and closes every connection; waits at most 10 s. */
    @Override
    public void close() {
        try {
            await(vertx.close());
        } catch (RuntimeException e) {
            // Closing is best effort: the process is going away.
        }
    }

    private void handle(HttpServerRequest request, ProxyHandler proxy) {
        String path = request.path();
        if (HEALTH_PATH.equals(path) && request.method() == HttpMethod.GET) {
            answerHealth(request);
            return;
        }
        Optional<Route> route = options.routes().match(path);
        if (route.isEmpty()) {
            ErrorResponses.notFound(request.response(), path);
            return;
        }
        // Hold the body until the backend connection is open; the proxy resumes it.
        request.pause();
        proxy.forward(request, options.backends().get(route.get().service()));
    }

    private void answerHealth(HttpServerRequest request) {
        health().onSuccess(all -> {
            boolean ready = all.stream().allMatch(BackendHealth::ready);
            JsonArray services = new JsonArray();
            all.forEach(h -> services.add(h.toJson()));
            JsonObject body =
                    new JsonObject().put("status", ready ? "UP" : "DOWN").put("services", services);
            request.response()
                    .setStatusCode(ready ? 200 : 503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body.encodePrettily());
        });
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(AWAIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + AWAIT_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
