package dev.engram.router.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The router's own metrics, beside Quarkus's {@code http_server_requests_seconds}:
 *
 * <ul>
 *   <li>{@code engram_router_added_seconds{phase}}: the latency the router adds, a histogram. {@code before}: from the
 *       request read to the body handed to the provider (parsing, the upstream check, memory and history lookups,
 *       token counting, rewriting); {@code after}: from the provider's answer arriving to its status and headers
 *       written back (the body then streams through as it comes).
 *   <li>{@code engram_router_memory_lookups_total{outcome}}: memory lookups, {@code ok}, {@code timeout} or
 *       {@code failed-open} (search down or erring: the request went on without memories).
 *   <li>{@code engram_router_upstream_errors_total{status_class}}: provider answers of {@code 4xx} and {@code 5xx},
 *       and providers not reached ({@code timeout}, {@code unreachable}).
 * </ul>
 *
 * <p>Made at start, so every series is scraped (at zero) before the first request.
 */
@Startup
@ApplicationScoped
public class RouterMetrics {

    /** Metric names. */
    public static final String ADDED = "engram.router.added";

    public static final String MEMORY_LOOKUPS = "engram.router.memory.lookups";
    public static final String UPSTREAM_ERRORS = "engram.router.upstream.errors";

    private final Timer before;
    private final Timer after;
    private final Counter memoryOk;
    private final Counter memoryTimeout;
    private final Counter memoryFailedOpen;
    private final MeterRegistry registry;

    RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        before = added(registry, "before");
        after = added(registry, "after");
        memoryOk = registry.counter(MEMORY_LOOKUPS, "outcome", "ok");
        memoryTimeout = registry.counter(MEMORY_LOOKUPS, "outcome", "timeout");
        memoryFailedOpen = registry.counter(MEMORY_LOOKUPS, "outcome", "failed-open");
    }

    private static Timer added(MeterRegistry registry, String phase) {
        return Timer.builder(ADDED)
                .description("Latency the router adds to an exchange")
                .tag("phase", phase)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** The request, read at {@code startedNanos}, is being handed to the provider. */
    void forwarding(long startedNanos) {
        before.record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /** The provider's answer, arrived at {@code arrivedNanos}, has its status and headers written back. */
    void answered(long arrivedNanos) {
        after.record(Duration.ofNanos(System.nanoTime() - arrivedNanos));
    }

    /** A memory lookup answered. */
    void memoryFound() {
        memoryOk.increment();
    }

    /** A memory lookup failed; {@code timedOut} when it ran out of time, else search was down or erred. */
    void memoryFailed(boolean timedOut) {
        (timedOut ? memoryTimeout : memoryFailedOpen).increment();
    }

    /** The provider answered {@code status}; counted when it is an error. */
    void upstreamAnswered(int status) {
        if (status >= 400) {
            upstreamError(status >= 500 ? "5xx" : "4xx");
        }
    }

    /** The provider was not reached: {@code timeout} or {@code unreachable}. */
    void upstreamError(String statusClass) {
        registry.counter(UPSTREAM_ERRORS, "status_class", statusClass).increment();
    }
}
