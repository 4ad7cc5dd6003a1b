package dev.engram.writer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Authentication of the memory write API: the same keys as ingest-service's, read from its {@code ingest.api_keys}. */
@ConfigMapping(prefix = "engram.auth")
public interface AuthConfig {

    /**
     * The installation's bootstrap API key ({@code ENGRAM_AUTH_BOOTSTRAP_KEY}): the root of the default organisation.
     * There is no default: without it only keys stored in {@code ingest.api_keys} work.
     */
    Optional<String> bootstrapKey();

    /**
     * How long a key lookup is reused before {@code ingest.api_keys} is asked again: a key revoked in ingest-service
     * keeps working here for at most this long.
     */
    @WithDefault("10s")
    Duration cacheTtl();
}
