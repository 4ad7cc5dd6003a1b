package dev.engram.ingest.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.engram.core.kafka.Topics;
import dev.engram.ingest.IngestTestProfile;
import dev.engram.ingest.TestDatabase;
import dev.engram.testsupport.KafkaProbe;
import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The outbox keeps an event through a broker outage and relays it exactly once when the broker is back. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class OutboxRelayBrokerRestartTest {

    @Test
    void documentAcceptedWhileTheBrokerIsDownIsRelayedOnceItIsBack() throws Exception {
        var broker = KafkaTestResource.broker();
        await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.count("outbox") == 0);
        broker.stop();
        String id;
        try {
            id = given().header("Authorization", IngestTestProfile.BEARER)
                    .contentType(ContentType.JSON)
                    .body(Map.of("content", "written during an outage", "containerTag", "user_outage"))
                    .post("/v3/documents")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("id");

            // The relay keeps failing while the broker is down; the event waits in the outbox.
            Thread.sleep(3_000);
            assertThat(TestDatabase.count("outbox")).isEqualTo(1);
        } finally {
            broker.restart();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count("outbox") == 0);
        // Read long enough after the first copy that a duplicate would have arrived too.
        var copies = KafkaProbe.onTestBroker()
                .read(Topics.DOCUMENTS, r -> r.value().contains(id), found -> false, Duration.ofSeconds(5));
        assertThat(copies).hasSize(1);
        assertThat(copies.get(0).key()).isEqualTo("user_outage");
    }
}
