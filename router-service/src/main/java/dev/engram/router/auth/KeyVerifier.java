package dev.engram.router.auth;

import dev.engram.core.auth.Authenticator;
import dev.engram.core.auth.RateLimiter;
import dev.engram.router.config.AuthConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Checks the Engram key of a routed request: the bootstrap key locally, any other key by asking ingest-service (the
 * answer reused for {@code engram.auth.cache-ttl}), then the key's rate limit, counted in this router.
 */
@ApplicationScoped
public class KeyVerifier {

    @Inject
    Vertx vertx;

    @Inject
    AuthConfig config;

    @Inject
    Clock clock;

    private IngestKeyStore store;
    private Authenticator authenticator;
    private final RateLimiter rateLimiter = new RateLimiter();

    @PostConstruct
    void open() {
        store = config.keysUrl()
                .map(url -> new IngestKeyStore(vertx, url, config.keysTimeout()))
                .orElse(null);
        authenticator = new Authenticator(store, config.bootstrapKey(), clock, config.cacheTtl());
    }

    @PreDestroy
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** Whether any key can pass (a bootstrap key or ingest-service to ask). */
    public boolean acceptsAnyKey() {
        return authenticator.acceptsAnyKey();
    }

    /**
     * What came of {@code presented}, completed on {@code context} (the request's); failed if ingest-service could
     * not be asked.
     */
    public Future<Authenticator.Outcome> verify(String presented, Context context) {
        return Future.fromCompletionStage(authenticator.authenticate(presented.strip()), context);
    }

    /** Counts one request of the key; 0 if admitted, else the seconds to wait. */
    public long acquire(dev.engram.core.auth.Caller caller) {
        return caller.rateLimit() == null ? 0 : rateLimiter.acquire(caller.keyId(), caller.rateLimit());
    }
}
