package dev.engram.deploy.gateway;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Asks services whether they are ready, through their Quarkus readiness endpoint. */
public final class HealthProbe {

    /** The SmallRye Health readiness path every Engram service serves. */
    public static final String READINESS_PATH = "/q/health/ready";

    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param client the client to probe with
     * @param timeout the longest a single probe may take
     */
    public HealthProbe(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * Probes one service; never fails: an unreachable service is reported not ready.
     *
     * @param backend the service
     * @return its health
     */
    public Future<BackendHealth> probe(Backend backend) {
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(backend.host())
                .setPort(backend.port())
                .setURI(READINESS_PATH)
                .setConnectTimeout(timeout.toMillis())
                .setTimeout(timeout.toMillis());
        return client.request(request)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(ignored -> resp.statusCode()))
                .map(status -> status == 200
                        ? new BackendHealth(backend, true, "UP")
                        : new BackendHealth(backend, false, "HTTP " + status))
                .otherwise(e -> new BackendHealth(backend, false, describe(e)));
    }

    /**
     * Probes several services at once.
     *
     * @param backends the services
     * @return their health, sorted by service name
     */
    public Future<List<BackendHealth>> probeAll(Collection<Backend> backends) {
        List<Future<BackendHealth>> probes = backends.stream().map(this::probe).toList();
        return Future.join(probes)
                .map(all -> probes.stream()
                        .map(Future::result)
                        .sorted(Comparator.comparing(h -> h.backend().service()))
                        .toList());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
