package dev.engram.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Authentication of the Memory API. */
@ConfigMapping(prefix = "engram.auth")
public interface AuthConfig {

    /**
     * The installation's bootstrap API key ({@code ENGRAM_AUTH_BOOTSTRAP_KEY}): the root of the default organisation,
     * which creates organisations and the keys stored (hashed) in {@code ingest.api_keys}. There is no default:
     * without it only stored keys work, and a new installation has none.
     */
    Optional<String> bootstrapKey();

    /**
     * How long a key lookup is reused before the table is asked again. A key revoked here stops working at once; in
     * other services within this time.
     */
    @WithDefault("10s")
    Duration cacheTtl();
}
