package dev.engram.search.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** Authentication of the search API (the same key as ingest-service's and memory-writer's). */
@ConfigMapping(prefix = "engram.auth")
public interface AuthConfig {

    /**
     * The installation's bootstrap API key ({@code ENGRAM_AUTH_BOOTSTRAP_KEY}). Requests must present it as a bearer
     * token. There is no default: without it every request is refused.
     */
    Optional<String> bootstrapKey();
}
