package dev.engram.search.auth;

import dev.engram.core.auth.Authenticator;
import dev.engram.core.auth.JdbcKeyStore;
import dev.engram.core.auth.KeyGate;
import dev.engram.core.auth.RateLimiter;
import dev.engram.search.config.AuthConfig;
import io.quarkus.runtime.BlockingOperationControl;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The authenticator, and the key gate the request filter asks (with its rate limiter). Keys other than the bootstrap key are read from
 * ingest-service's {@code ingest.api_keys} through this service's (read-only) datasource.
 */
@ApplicationScoped
public class AuthSetup {

    @Produces
    @ApplicationScoped
    Authenticator authenticator(DataSource dataSource, AuthConfig config) {
        return new Authenticator(
                new JdbcKeyStore(dataSource, AuthSetup::runBlocking),
                config.bootstrapKey(),
                Clock.systemUTC(),
                config.cacheTtl());
    }

    @Produces
    @ApplicationScoped
    KeyGate keyGate(Authenticator authenticator) {
        return new KeyGate(authenticator, new RateLimiter());
    }

    /**
     * Runs a blocking key lookup: inline on a worker thread (where the filter runs for this service's blocking
     * resources), else on a worker of the current Vert.x context so an event loop is never blocked and the request's
     * context stays current where the lookup completes.
     */
    static void runBlocking(Runnable lookup) {
        Context context = Vertx.currentContext();
        if (BlockingOperationControl.isBlockingAllowed() || context == null) {
            lookup.run();
            return;
        }
        context.executeBlocking(
                () -> {
                    lookup.run();
                    return null;
                },
                false);
    }
}
