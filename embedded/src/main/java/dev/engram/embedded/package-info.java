/**
 * Real infrastructure from Maven artifacts, for the tests and the one-machine local stack: an Apache Kafka broker
 * ({@link dev.engram.embedded.EmbeddedKafka}, in this JVM) and a PostgreSQL server
 * ({@link dev.engram.embedded.EmbeddedPostgres}, a child process). Both listen on 127.0.0.1 only, keep their data in
 * a directory the caller chooses, and reuse it on the next start.
 *
 * <h2>Logging</h2>
 *
 * This module logs through {@link java.lang.System.Logger} (which ends in {@code java.util.logging}) and ships no
 * SLF4J provider. Kafka logs through SLF4J, and the host application picks the provider: Quarkus applications and
 * their tests get {@code slf4j-jboss-logmanager} from {@code quarkus-core}, with JBoss LogManager as the
 * {@code java.util.logging} manager, so Kafka's and this module's messages land in the Quarkus log. Kafka's broker
 * categories are set to WARN when a broker starts (see {@code KafkaLogLevels}); a broker start then logs nothing but
 * two benign Kafka warnings. Kafka also brings {@code log4j-core}, used only by its dynamic log-level MBean; with no
 * Log4j configuration it stays silent. A host without any SLF4J provider loses Kafka's messages (SLF4J prints a short
 * notice saying so).
 *
 * <h2>JDK 25</h2>
 *
 * Nothing is required. Kafka's clients unmap index files through {@code sun.misc.Unsafe}; JDK 24+ prints a one-time
 * warning about it, which {@code --sun-misc-unsafe-memory-access=allow} silences.
 */
package dev.engram.embedded;
