package dev.engram.router.config;

import dev.engram.router.upstream.UpstreamPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Validates and reports the router's configuration at start, so a wrong setting shows in the log at once. */
@ApplicationScoped
public class RouterStartup {

    private static final Logger LOG = Logger.getLogger(RouterStartup.class);

    @Inject
    RouterConfig config;

    void onStart(@Observes StartupEvent event) {
        RouterConfig.Memory memory = config.memory();
        require(memory.topK() >= 1, "router.memory.top-k must be >= 1");
        require(positive(memory.timeout()), "router.memory.timeout must be > 0");
        require(memory.tokenBudget() >= 50, "router.memory.token-budget must be >= 50");
        require(memory.threshold() >= 0 && memory.threshold() <= 1, "router.memory.threshold must be within 0..1");
        require(config.thread().tokenBudget() >= 100, "router.thread.token-budget must be >= 100");
        require(config.maxRequestBytes() >= 1024, "router.max-request-bytes must be >= 1024");
        require(config.conversations().maxInFlight() >= 1, "router.conversations.max-in-flight must be >= 1");
        require(config.upstream().maxConnections() >= 1, "router.upstream.max-connections must be >= 1");
        require(positive(config.upstream().connectTimeout()), "router.upstream.connect-timeout must be > 0");
        require(positive(config.upstream().idleTimeout()), "router.upstream.idle-timeout must be > 0");
        config.upstream().defaultUrl().ifPresent(url -> UpstreamPolicy.parseBaseUrl(url.toString()));
        LOG.infof(
                "memory retrieval from %s (timeout %d ms, top %d, %d tokens); threads cut at %d tokens;"
                        + " %d extra upstream hosts, %d private; default upstream %s",
                memory.searchUrl(),
                memory.timeout().toMillis(),
                memory.topK(),
                memory.tokenBudget(),
                config.thread().tokenBudget(),
                config.upstream().allowedHosts().map(java.util.List::size).orElse(0),
                config.upstream().privateHosts().map(java.util.List::size).orElse(0),
                config.upstream().defaultUrl().map(Object::toString).orElse("none"));
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
