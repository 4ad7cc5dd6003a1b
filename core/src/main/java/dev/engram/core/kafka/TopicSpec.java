package dev.engram.core.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * How one topic is laid out.
 *
 * @param name topic name
 * @param partitions number of partitions (the parallelism ceiling of its consumers)
 * @param retention how long records are kept
 */
public record TopicSpec(String name, int partitions, Duration retention) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(retention, "retention");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
    }
}
