package dev.engram.router.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The Engram key callers present to the router (the same key as the Memory API's). */
@ConfigMapping(prefix = "engram.auth")
public interface AuthConfig {

    /**
     * The installation's bootstrap API key ({@code ENGRAM_AUTH_BOOTSTRAP_KEY}), expected in {@code
     * x-supermemory-api-key} (or as {@code Authorization: Bearer}). The router also presents it to search-service.
     * There is no default: without it every request is refused.
     */
    Optional<String> bootstrapKey();
}
