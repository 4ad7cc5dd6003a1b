package dev.engram.outbox;

import dev.engram.core.kafka.TopicProvisioner;
import dev.engram.core.kafka.TopicSpec;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.opentelemetry.api.OpenTelemetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL and Kafka broker of the test JVM (from test-support, no Quarkus), with a fresh outbox table and
 * topic per test.
 */
final class OutboxTestBed {

    private OutboxTestBed() {}

    /** Connections to the test database. */
    static DataSource dataSource() {
        var server = PostgresTestResource.server();
        server.restart();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(server.jdbcUrl(PostgresTestResource.database()));
        dataSource.setUser(server.username());
        dataSource.setPassword(server.password());
        return dataSource;
    }

    /** The test broker's address, starting (or restarting) it if needed. */
    static String bootstrapServers() {
        var broker = KafkaTestResource.broker();
        broker.restart();
        return broker.bootstrapServers();
    }

    /**
     * Creates a schema with an outbox table and its dead-letter table, of the shape services use; returns {@code
     * schema.outbox}.
     */
    static String newOutboxTable(DataSource dataSource) throws SQLException {
        String schema = unique("outbox_test");
        try (Connection connection = dataSource.getConnection();
                Statement ddl = connection.createStatement()) {
            ddl.execute("create schema " + schema);
            ddl.execute("create table " + schema + ".outbox ("
                    + " id bigint generated always as identity primary key,"
                    + " org_id text not null,"
                    + " topic text not null,"
                    + " record_key text not null,"
                    + " payload text not null,"
                    + " headers jsonb not null default '{}'::jsonb,"
                    + " created_at timestamptz not null default now())");
            ddl.execute("create table " + schema + ".outbox_dead_letters ("
                    + " id bigint primary key,"
                    + " org_id text not null,"
                    + " topic text not null,"
                    + " record_key text not null,"
                    + " payload text not null,"
                    + " headers jsonb not null,"
                    + " created_at timestamptz not null,"
                    + " reason text not null,"
                    + " dead_lettered_at timestamptz not null default now())");
        }
        return schema + ".outbox";
    }

    /** Creates a topic of {@code partitions} partitions on the test broker; returns its name. */
    static String newTopic(int partitions) {
        String topic = unique("outbox-test");
        new TopicProvisioner(bootstrapServers(), (short) 1, Duration.ofSeconds(30))
                .ensure(List.of(new TopicSpec(topic, partitions, Duration.ofDays(1))));
        return topic;
    }

    /** Quick settings for tests: a fast poll and a short send timeout. */
    static OutboxRelaySettings settings(String table) {
        return OutboxRelaySettings.of(
                        "test-outbox-relay", table, OutboxRelaySettings.lockKeyOf(table), bootstrapServers())
                .withTimings(Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMillis(500));
    }

    /** A started relay without tracing. */
    static OutboxRelay startRelay(DataSource dataSource, OutboxRelaySettings settings) {
        OutboxRelay relay = new OutboxRelay(dataSource, settings, OpenTelemetry.noop());
        relay.start();
        return relay;
    }

    /** Rows in {@code table}. */
    static long count(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement select = connection.createStatement();
                ResultSet result = select.executeQuery("select count(*) from " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Commits {@code rows} to {@code table} in one transaction. */
    static void commit(DataSource dataSource, String table, List<OutboxRow> rows) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            OutboxInserts.insertAll(connection, table, rows);
            connection.commit();
        }
    }

    /** {@code <label>_<random>}, lower case. */
    static String unique(String label) {
        return label + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
