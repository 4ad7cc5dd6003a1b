package dev.engram.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testsupport.KafkaTestResource;
import dev.engram.testsupport.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that opens a request and then goes quiet (a slow-loris client) does not hold its connection: the server
 * closes it after {@code quarkus.http.idle-timeout} (60 s; 3 s under this test's profile).
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortIdleTimeout.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SlowClientTest {

    /** The test profile with a 3 s idle timeout. */
    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", "3s");
        }
    }

    @Test
    void aClientThatStopsMidRequestIsDisconnectedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v3/documents HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1000\r\n\r\n{\"content\": \"half")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();

            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                // an error answer may come before the close; what matters is that the connection ends
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);

            assertThat(read).as("the server closed the connection").isEqualTo(-1);
            assertThat(held).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(15));
        }
    }
}
