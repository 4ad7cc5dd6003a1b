package dev.engram.router.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Validates and reports the router's configuration at start, so a wrong URL shows in the log at once. */
@ApplicationScoped
public class RouterStartup {

    private static final Logger LOG = Logger.getLogger(RouterStartup.class);

    @Inject
    RouterConfig config;

    void onStart(@Observes StartupEvent event) {
        RouterConfig.Memory memory = config.memory();
        if (memory.topK() < 1
                || memory.timeout().isNegative()
                || memory.timeout().isZero()) {
            throw new IllegalStateException("router.memory.top-k must be >= 1 and router.memory.timeout > 0");
        }
        LOG.infof(
                "memory retrieval from %s (timeout %d ms, top %d); the proxy endpoints arrive with issue #6",
                memory.searchUrl(), memory.timeout().toMillis(), memory.topK());
    }
}
