package dev.engram.search.api;

import dev.engram.search.query.Retrieval;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The search endpoints' latency: {@code engram_search_request_seconds{endpoint, mode, retrieval}}, a histogram (so
 * Prometheus can compute percentiles across replicas) of the requests answered, by endpoint ({@code /v3/search},
 * {@code /v4/search}, {@code /v4/profile}), {@code searchMode} ({@code memories}, {@code hybrid}, {@code documents}
 * for {@code /v4/search}; {@code documents} for {@code /v3/search}; {@code profile} or {@code profile-search} for a
 * profile without or with {@code q}) and {@code retrieval} ({@code hybrid}, {@code dense}, {@code lexical}). Rejected
 * and failed requests are not timed here; Quarkus's {@code http_server_requests_seconds{uri, status}} counts them.
 */
@ApplicationScoped
public class SearchTimings {

    /** Metric name. */
    public static final String METRIC = "engram.search.request";

    @Inject
    MeterRegistry registry;

    /** Records a request answered, begun at {@code startedNanos} ({@link System#nanoTime()}). */
    void record(String endpoint, String mode, Retrieval retrieval, long startedNanos) {
        Timer.builder(METRIC)
                .description("Latency of the search endpoints' answered requests")
                .tag("endpoint", endpoint)
                .tag("mode", mode)
                .tag("retrieval", retrieval.wireName())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - startedNanos));
    }
}
