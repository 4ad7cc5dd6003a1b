/**
 * The transactional outbox shared by Engram's services: a row and the event that announces it commit together, and
 * a relay moves committed events to Kafka. Plain Java (JDBC, kafka-clients, the OpenTelemetry API), no Quarkus.
 *
 * <h2>The table</h2>
 *
 * Each service owns one outbox table in its own schema, created by its migrations:
 *
 * <pre>{@code
 * create table writer.outbox (
 *     id         bigint generated always as identity primary key,
 *     org_id     text        not null,
 *     topic      text        not null,
 *     record_key text        not null,
 *     payload    text        not null,
 *     headers    jsonb       not null default '{}'::jsonb,
 *     created_at timestamptz not null default now()
 * );
 * }</pre>
 *
 * and beside it the table rows the broker refuses for good are moved to (see {@link
 * dev.engram.outbox.OutboxRelaySettings#deadLetterTable()}):
 *
 * <pre>{@code
 * create table writer.outbox_dead_letters (
 *     id bigint primary key, org_id text not null, topic text not null, record_key text not null,
 *     payload text not null, headers jsonb not null, created_at timestamptz not null,
 *     reason text not null, dead_lettered_at timestamptz not null default now()
 * );
 * }</pre>
 *
 * <h2>Writing rows</h2>
 *
 * Inside the transaction that makes the change, on its JDBC connection, with the trace context captured on the
 * thread that made it:
 *
 * <pre>{@code
 * Map<String, String> trace = TraceHeaders.current(openTelemetry);
 * try (Connection connection = dataSource.getConnection()) {
 *     connection.setAutoCommit(false);
 *     ... the change ...
 *     OutboxInserts.insert(connection, "writer.outbox", OutboxRow.of(Topics.DOCUMENTS, event, trace));
 *     connection.commit();
 * }
 * relay.wakeUp(); // publish now rather than at the next poll
 * }</pre>
 *
 * A service that writes through Hibernate instead (ingest-service) maps an entity to the same columns.
 *
 * <h2>Running the relay</h2>
 *
 * One {@link dev.engram.outbox.OutboxRelay} per table and service instance, started with the service and closed at
 * its shutdown. In a Quarkus service, a producer method is all it takes:
 *
 * <pre>{@code
 * @Produces
 * @Singleton
 * OutboxRelay outboxRelay(AgroalDataSource dataSource, OpenTelemetry openTelemetry,
 *         @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
 *     return new OutboxRelay(dataSource,
 *             OutboxRelaySettings.of("writer-outbox-relay", "writer.outbox",
 *                     OutboxRelaySettings.lockKeyOf("writer.outbox"), bootstrapServers),
 *             openTelemetry);
 * }
 *
 * void start(@Observes StartupEvent event, OutboxRelay relay) { relay.start(); }
 *
 * void stop(@Disposes OutboxRelay relay) { relay.close(); }
 * }</pre>
 *
 * Every replica of the service uses the same lock key, so only one of them publishes at a time and records of one key
 * keep their order; the others stand by and take over when it stops. A liveness check can read {@link
 * dev.engram.outbox.OutboxRelay#isAlive()}, {@link dev.engram.outbox.OutboxRelay#relayedCount()} and {@link
 * dev.engram.outbox.OutboxRelay#lastError()} without blocking.
 */
package dev.engram.outbox;
