package dev.engram.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The relay that moves outbox rows to Kafka. */
@ConfigMapping(prefix = "ingest.outbox")
public interface OutboxConfig {

    /** Most rows relayed in one transaction. */
    @WithDefault("200")
    int batchSize();

    /**
     * How often the relay looks for rows when nothing wakes it. Writes in this service wake it at once; the poll only
     * catches rows written by other replicas or left behind by a failed attempt.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /** How long to wait for the broker to acknowledge a batch before the attempt fails and is retried. */
    @WithDefault("15s")
    Duration sendTimeout();

    /** Longest pause between attempts after repeated failures (the pause doubles from 100 ms up to this). */
    @WithDefault("5s")
    Duration maxBackoff();
}
