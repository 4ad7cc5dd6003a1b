package dev.engram.outbox;

import static dev.engram.outbox.OutboxTestBed.commit;
import static dev.engram.outbox.OutboxTestBed.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.testsupport.KafkaProbe;
import io.opentelemetry.api.OpenTelemetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A row the broker refuses for good is moved to the dead-letter table with the reason, the listener hears of it in
 * the same transaction, and the rows after it are relayed: before, the relay retried such a row forever and every
 * later event of the service waited behind it.
 */
class OutboxDeadLetterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private DataSource dataSource;
    private String table;
    private OutboxRelay relay;

    @BeforeEach
    void newTable() throws Exception {
        dataSource = OutboxTestBed.dataSource();
        table = OutboxTestBed.newOutboxTable(dataSource);
    }

    @AfterEach
    void closeRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aRecordTooLargeForTheTopicIsDeadLetteredAndTheRowsAfterItGoOn() throws Exception {
        String topic = topicTaking(4_096);
        commit(dataSource, table, List.of(row(topic, "tag_a", "before"), row(topic, "tag_b", "x".repeat(20_000))));
        commit(dataSource, table, List.of(row(topic, "tag_b", "after")));

        relay = start(OutboxTestBed.settings(table));

        await().atMost(WAIT).until(() -> count(dataSource, table) == 0);
        List<ConsumerRecord<String, String>> records =
                KafkaProbe.onTestBroker().read(topic, r -> true, found -> found.size() >= 2, WAIT);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("before", "after");
        assertDeadLettered(topic, 20_000);
        assertThat(relay.relayedCount()).isEqualTo(2);
        assertThat(relay.deadLetteredCount()).isEqualTo(1);
        assertThat(relay.lastError()).isNull();
    }

    @Test
    void aRecordOverTheProducersLimitIsDeadLetteredToo() throws Exception {
        String topic = OutboxTestBed.newTopic(1);
        commit(dataSource, table, List.of(row(topic, "tag_b", "x".repeat(20_000)), row(topic, "tag_b", "after")));

        relay = start(
                OutboxTestBed.settings(table).withProducerProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8_192));

        await().atMost(WAIT).until(() -> count(dataSource, table) == 0);
        List<ConsumerRecord<String, String>> records =
                KafkaProbe.onTestBroker().read(topic, r -> true, found -> !found.isEmpty(), WAIT);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("after");
        assertDeadLettered(topic, 20_000);
    }

    @Test
    void aListenerThatFailsRollsTheMoveBackAndTheRowStays() throws Exception {
        String topic = topicTaking(4_096);
        commit(dataSource, table, List.of(row(topic, "tag_b", "x".repeat(20_000))));

        relay = new OutboxRelay(dataSource, OutboxTestBed.settings(table), OpenTelemetry.noop(), (c, row, reason) -> {
            throw new java.sql.SQLException("listener down");
        });
        relay.start();

        await().atMost(WAIT).until(() -> relay.lastError() != null);
        assertThat(relay.lastError()).contains("listener down");
        assertThat(count(dataSource, table)).isEqualTo(1);
        assertThat(count(dataSource, table + "_dead_letters")).isZero();
    }

    private void assertDeadLettered(String topic, int payloadLength) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement select = connection.createStatement();
                ResultSet dead = select.executeQuery(
                        "select topic, record_key, length(payload), reason from " + table + "_dead_letters")) {
            assertThat(dead.next()).isTrue();
            assertThat(dead.getString(1)).isEqualTo(topic);
            assertThat(dead.getString(2)).isEqualTo("tag_b");
            assertThat(dead.getInt(3)).isEqualTo(payloadLength);
            assertThat(dead.getString(4)).startsWith("RecordTooLargeException: ");
            assertThat(dead.next()).isFalse();
        }
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0)).startsWith(topic + " tag_b " + payloadLength + " RecordTooLargeException");
    }

    private OutboxRelay start(OutboxRelaySettings settings) {
        OutboxRelay started = new OutboxRelay(dataSource, settings, OpenTelemetry.noop(), (connection, row, reason) -> {
            assertThat(connection.getAutoCommit()).isFalse(); // inside the relay's transaction
            heard.add(row.topic() + " " + row.key() + " " + row.payload().length() + " " + reason);
        });
        started.start();
        return started;
    }

    private static OutboxRow row(String topic, String key, String payload) {
        return new OutboxRow("org_default", topic, key, payload, Map.of());
    }

    /** A one-partition topic whose records may be at most {@code bytes} (the broker refuses larger ones). */
    private static String topicTaking(int bytes) throws Exception {
        String topic = OutboxTestBed.unique("dead-letter");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, OutboxTestBed.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return topic;
    }
}
