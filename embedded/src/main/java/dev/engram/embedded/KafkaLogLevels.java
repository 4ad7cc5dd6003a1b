package dev.engram.embedded;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the embedded broker's logging down to WARN.
 *
 * <p>Kafka logs through SLF4J; a broker start at INFO writes a few hundred lines (every config value, every
 * state transition). This module deliberately ships no SLF4J provider: the host application chooses one. In
 * Quarkus applications and their tests the provider is {@code slf4j-jboss-logmanager} (brought by
 * {@code quarkus-core}), with JBoss LogManager installed as the {@code java.util.logging} manager, so Kafka's
 * categories are ordinary {@code java.util.logging} loggers and their levels are set here. The same holds for
 * {@code slf4j-jdk14} or {@code slf4j-jdk-platform-logging}. With another provider (Logback, Log4j) configure
 * the categories below in that backend instead.
 *
 * <p>A level is only set where none is configured yet, so an explicit setting made before the broker starts
 * (for example {@code quarkus.log.category."kafka".level=DEBUG}) wins.
 *
 * <p>{@code org.apache.kafka} includes the client packages the broker uses internally, so INFO messages of
 * Kafka clients in the same JVM are quieted as well; their warnings and errors still show.
 */
final class KafkaLogLevels {

    /** Kafka's broker-side categories (Scala {@code kafka.*}, Java {@code org.apache.kafka.*}, request loggers). */
    static final List<String> CATEGORIES = List.of("kafka", "org.apache.kafka", "state.change.logger");

    /** Strong references: the JDK's own LogManager forgets the level of a logger that was garbage collected. */
    private static final List<Logger> PINNED =
            CATEGORIES.stream().map(Logger::getLogger).toList();

    private KafkaLogLevels() {}

    /** Sets {@link #CATEGORIES} to WARN unless a level is already configured for them. */
    static void quietBroker() {
        for (Logger logger : PINNED) {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
    }
}
