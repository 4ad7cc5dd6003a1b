package dev.engram.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** The Memory Router's settings. */
@ConfigMapping(prefix = "router")
public interface RouterConfig {

    /** Memory retrieval. */
    Memory memory();

    interface Memory {

        /** Base URL of search-service ({@code ROUTER_MEMORY_SEARCH_URL}). */
        @WithDefault("http://127.0.0.1:8082")
        URI searchUrl();

        /** Longest wait for memories before the request goes upstream without them (fail open). */
        @WithDefault("150ms")
        Duration timeout();

        /** Most memories injected into one request. */
        @WithDefault("5")
        int topK();
    }
}
