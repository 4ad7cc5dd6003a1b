package dev.engram.writer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Memories: the write API and their expiry. */
@ConfigMapping(prefix = "writer.memories")
public interface MemoriesConfig {

    /**
     * How often memories whose {@code forgetAfter} has passed are recorded as forgotten (they already count as
     * forgotten when read; the sweep writes it down and updates their vector points). {@code 0s} turns it off.
     */
    @WithDefault("1m")
    Duration forgetSweepInterval();

    /** Most expired memories recorded per sweep round (a sweep runs rounds until none are left). */
    @WithDefault("500")
    int forgetSweepBatch();
}
