package dev.engram.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The Engram keys callers present to the router (the Memory API's keys). */
@ConfigMapping(prefix = "engram.auth")
public interface AuthConfig {

    /**
     * The installation's bootstrap API key ({@code ENGRAM_AUTH_BOOTSTRAP_KEY}), expected in {@code
     * x-supermemory-api-key} (or as {@code Authorization: Bearer}); accepted without asking ingest-service.
     */
    Optional<String> bootstrapKey();

    /**
     * Base URL of ingest-service ({@code ENGRAM_AUTH_KEYS_URL}), whose {@code GET /v3/auth/key} says who any other
     * key is (organisation, role, tag, limit). Without it, only the bootstrap key is accepted.
     */
    Optional<URI> keysUrl();

    /** Longest wait for ingest-service to say who a key is; past it the request is answered 503. */
    @WithDefault("2s")
    Duration keysTimeout();

    /** How long what ingest-service said of a key is reused; a revoked key keeps working here for at most this. */
    @WithDefault("10s")
    Duration cacheTtl();
}
