package dev.engram.outbox;

import static dev.engram.outbox.OutboxTestBed.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The outbox keeps a row through a broker outage and relays it exactly once when the broker is back. */
class OutboxRelayBrokerRestartTest {

    @Test
    void rowCommittedWhileTheBrokerIsDownIsRelayedOnceItIsBack() throws Exception {
        DataSource dataSource = OutboxTestBed.dataSource();
        String table = OutboxTestBed.newOutboxTable(dataSource);
        String topic = OutboxTestBed.newTopic(1);
        try (OutboxRelay relay = OutboxTestBed.startRelay(dataSource, OutboxTestBed.settings(table))) {
            var broker = KafkaTestResource.broker();
            broker.stop();
            try {
                OutboxTestBed.commit(
                        dataSource,
                        table,
                        List.of(new OutboxRow(
                                "org_default", topic, "user_outage", "written during an outage", Map.of())));
                relay.wakeUp();

                // The relay keeps failing while the broker is down; the row waits in the outbox.
                await().atMost(Duration.ofSeconds(30)).until(() -> relay.lastError() != null);
                assertThat(count(dataSource, table)).isEqualTo(1);
            } finally {
                broker.restart();
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> count(dataSource, table) == 0);
            // The error is cleared when the pass that relayed the row ends, a moment after the row is deleted.
            await().atMost(Duration.ofSeconds(10)).until(() -> relay.lastError() == null);
        }
        // Read long enough after the first copy that a duplicate would have arrived too.
        var copies = KafkaProbe.onTestBroker().read(topic, r -> true, found -> false, Duration.ofSeconds(5));
        assertThat(copies).extracting(ConsumerRecord::value).containsExactly("written during an outage");
        assertThat(copies.get(0).key()).isEqualTo("user_outage");
    }
}
