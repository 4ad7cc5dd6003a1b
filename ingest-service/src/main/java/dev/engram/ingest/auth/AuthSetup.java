package dev.engram.ingest.auth;

import dev.engram.core.auth.Authenticator;
import dev.engram.core.auth.KeyGate;
import dev.engram.core.auth.RateLimiter;
import dev.engram.ingest.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The authenticator, and the key gate the request filter asks (with its rate limiter). */
@ApplicationScoped
public class AuthSetup {

    @Produces
    @ApplicationScoped
    Authenticator authenticator(PgKeyStore store, AuthConfig config, Clock clock) {
        return new Authenticator(store, config.bootstrapKey(), clock, config.cacheTtl());
    }

    @Produces
    @ApplicationScoped
    KeyGate keyGate(Authenticator authenticator) {
        return new KeyGate(authenticator, new RateLimiter());
    }
}
